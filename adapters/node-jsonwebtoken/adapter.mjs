// jwt-conformance subprocess adapter for jsonwebtoken (the npm package, Node.js), protocol
// version 2 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. jsonwebtoken is configured as strictly as its API allows and nothing is
// checked here: every verdict is jsonwebtoken's.
//
// Configuration: jsonwebtoken has no JWK or JWK Set support, so each JWK of the key set is
// converted to a KeyObject with node:crypto (createPublicKey({format: 'jwk'})); a JWK node:crypto
// refuses is a config error, and jwks_parsing is not claimed. The key is the one whose kid equals
// the token's (read with jsonwebtoken's own jwt.decode, for selection only), else the first.
// jwt.verify with that key, the profile's algorithms (ES256), issuer, audience = audiences,
// clockTolerance = leeway (0) and clockTimestamp = the vector's now (clock injection). It cannot
// require any claim (exp and nbf are checked only when present; subject and jwtid only match
// given values), has no typ check and no token size limit; maxAge is not set (it bounds the age
// since iat, which the profile does not). Its API takes a string: non-UTF-8 tokens are skipped.
// The claims of an acceptance are jwt.verify's payload, as is ("claims": true). An error that is
// not a JsonWebTokenError (jsonwebtoken also throws plain Errors and its dependencies' errors) is
// still a rejection (it failed closed), its text prefixed "unexpected ".

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import jwt from 'jsonwebtoken';
import { Skip, algReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/jsonwebtoken/package.json', import.meta.url);
// jsonwebtoken's JsonWebTokenError message -> catalog reason ID, when unambiguous.
const MESSAGE_REASONS = {
  'invalid signature': 'signature_invalid', 'invalid exp value': 'invalid_numeric_type',
  'invalid nbf value': 'invalid_numeric_type',
};

function keys(req) {
  return req.jwks.keys.map((jwk) => ({ kid: jwk.kid, key: createPublicKey({ key: jwk, format: 'jwk' }) }));
}

function tokenKid(token) {
  try {
    return jwt.decode(token, { complete: true })?.header?.kid;
  } catch {
    return undefined; // jwt.verify will reject the token itself
  }
}

function verify(req, keySet) {
  const token = req.tokenText;
  if (token === null) throw new Skip('jsonwebtoken takes a string; the token is not UTF-8');
  const kid = tokenKid(token);
  const key = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
  const p = req.profile;
  return jwt.verify(token, key?.key, {
    algorithms: p.algorithms, issuer: p.issuer ?? undefined, audience: p.audiences,
    clockTolerance: p.leeway_secs, clockTimestamp: req.now,
  });
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// jwt.decode keeps a header or payload that is JSON but not an object, and a payload that is not
// JSON at all as a string: the claim and alg errors below then describe no claim or alg, so they
// are labeled only when jwt.decode returns objects.
function reason(error, req) {
  if (error instanceof jwt.TokenExpiredError) return 'expired'; // maxAge is not set: exp only
  if (error instanceof jwt.NotBeforeError) return 'not_yet_valid';
  const message = error.message ?? '';
  const { header, payload } = jwt.decode(req.tokenText, { complete: true }) ?? {};
  if (message === 'invalid algorithm') return isObject(header) ? algReason(header.alg) : null;
  if (!isObject(payload)) return MESSAGE_REASONS[message] ?? null;
  if (message.startsWith('jwt issuer invalid.')) return 'iss_mismatch';
  if (message.startsWith('jwt audience invalid.')) return 'aud' in payload ? 'aud_mismatch' : 'aud_missing';
  return MESSAGE_REASONS[message] ?? null;
}

serve({
  name: 'node-jsonwebtoken', library: 'jsonwebtoken (Node.js)',
  version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock'], claims: true, keys, verify, reason, errors: [jwt.JsonWebTokenError],
  notes: [
    'each JWK to a KeyObject with node:crypto, key picked by kid; jwt.verify with profile algorithms, issuer, audience, clockTolerance 0, clockTimestamp = now',
    'cannot require claims (exp, nbf checked only when present); no typ check; no token size limit; no JWK Set support (jwks_parsing skipped); takes a string: non-UTF-8 tokens skipped',
  ],
});
