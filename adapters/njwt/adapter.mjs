// jwt-conformance subprocess adapter for njwt (Node.js), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. njwt is configured as strictly as its API allows and nothing is checked
// here: every verdict is njwt's.
//
// Algorithms and presets: HS256/384/512, RS256/384/512 and ES256/384/512, the algorithms njwt
// verifies (no PS*, no EdDSA: not declared), and the presets rfc9068, jwt and oidc-id-token.
// njwt pins exactly one algorithm (Verifier.setSigningAlgorithm; the token's alg must equal it),
// so a vector whose profile allows several algorithms is skipped (library_limit): the adapter
// would otherwise have to pick one of them per token, from the token's own header.
//
// Configuration: njwt has no JWK or JWK Set support, so each JWK of the key set is converted
// minimally to a KeyObject with node:crypto: an oct key with createSecretKey(k, 'base64url'), any
// other with createPublicKey({format: 'jwk'}); a JWK node:crypto refuses is a config error, and
// jwks_parsing is not claimed. njwt.createVerifier().setSigningAlgorithm(the profile's one
// algorithm).withKeyResolver(resolver): njwt hands the resolver the token's kid, and it answers
// the key with that kid, else the first of the set (also for a kid-less token under
// oidc-id-token: njwt has no key selection of its own). verifier.verify(token) checks the alg,
// exp and nbf (when present) against the system clock (njwt takes no clock: `clock` is not
// declared, so vectors that need one are skipped) and the signature. njwt has no claim checks
// beyond exp and nbf: no issuer, audience, required-claims, typ, nonce, azp, crit or size check
// can be configured. Its API takes a string: non-UTF-8 tokens are skipped. The claims of an
// acceptance are the verified Jwt's body as njwt builds it (JwtBody.toJSON; "claims": true).
// njwt exports no error class: every throw is a rejection; its messages map to reasons when
// unambiguous.

import { createPublicKey, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import njwt from 'njwt';
import { Skip, algReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/njwt/package.json', import.meta.url);
const ALGORITHMS = ['ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'HS256', 'HS384', 'HS512'];
// njwt message -> catalog reason ID, when unambiguous.
const MESSAGE_REASONS = {
  'Jwt is expired': 'expired', 'Jwt not active': 'not_yet_valid', 'Signature verification failed': 'signature_invalid',
};

// One JWK as a KeyObject: an oct key's secret, else the public key.
function keyOf(jwk) {
  if (jwk?.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new TypeError('oct JWK without a string k');
    return createSecretKey(jwk.k, 'base64url');
  }
  return createPublicKey({ key: jwk, format: 'jwk' });
}

function keys(req) {
  return req.jwks.keys.map((jwk) => ({ kid: jwk.kid, key: keyOf(jwk) }));
}

function verify(req, keySet) {
  const token = req.tokenText;
  if (token === null) throw new Skip('njwt takes a string; the token is not UTF-8');
  const algorithms = req.profile.algorithms;
  if (algorithms.length !== 1) {
    throw new Skip(`njwt pins one algorithm (setSigningAlgorithm); the profile allows ${algorithms.join(', ')}`);
  }
  const verifier = njwt.createVerifier().setSigningAlgorithm(algorithms[0]).withKeyResolver((kid, callback) => {
    const entry = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
    return callback(null, entry?.key); // njwt returns what the resolver returns (synchronous form)
  });
  return verifier.verify(token).body.toJSON();
}

function reason(error) {
  const message = error?.message ?? '';
  if (message === 'Unexpected signature algorithm') return algReason(error.parsedHeader?.alg);
  return MESSAGE_REASONS[message] ?? null;
}

serve({
  name: 'njwt', library: 'njwt (Node.js)', version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: [], claims: true,
  algorithms: ALGORITHMS, presets: ['rfc9068', 'jwt', 'oidc-id-token'],
  keys, verify, reason,
  notes: [
    "each JWK to a KeyObject with node:crypto (oct: createSecretKey; others: createPublicKey); createVerifier().setSigningAlgorithm(the profile's algorithm).withKeyResolver(key with the token's kid, else the first)",
    'HS*, RS*, ES256/384/512 only (no PS*, no EdDSA); njwt pins one algorithm: profiles allowing several are skipped',
    'checks only alg, signature, exp and nbf (when present): no issuer, audience, required-claims, typ, nonce, azp, crit or size check exists; system clock only (clock not declared); no JWK Set support; takes a string: non-UTF-8 tokens skipped',
  ],
});
