// jwt-conformance subprocess adapter for fast-jwt (Node.js), protocol version 2 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. fast-jwt is configured as strictly as its API allows and nothing is checked
// here: every verdict is fast-jwt's.
//
// Configuration: fast-jwt has no JWK or JWK Set support (its README points to another package),
// so each JWK of the key set is converted to an SPKI PEM with node:crypto
// (createPublicKey({format: 'jwk'})); a JWK node:crypto refuses is a config error, and
// jwks_parsing is not claimed. The key is the one whose kid equals the token's (read with
// fast-jwt's own createDecoder, for selection only), else the first. createVerifier with that
// PEM, the profile's algorithms (ES256), allowedIss = issuer, allowedAud = audiences,
// clockTolerance = leeway (0), clockTimestamp = the vector's now (clock injection), checkTyp = the
// profile's typ, requiredClaims = exp, iat, iss, aud, sub, client_id, jti (presence only), no
// cache, allowedCritHeaders empty (every crit extension refused); a createVerifier refusal (say,
// of the key) is a config error. It has no token size limit, no exp upper bound and no bound on
// iat in the future; maxAge is not set (it bounds the age since iat, which the profile does not).
// The token's bytes go in as a Buffer. The claims of an acceptance are the verifier's payload, as
// is ("claims": true). An error that is not a TokenError is still a rejection (fast-jwt failed
// closed), its text prefixed "unexpected ".

import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TokenError, createDecoder, createVerifier } from 'fast-jwt';
import { ConfigError, REQUIRED_CLAIMS, algReason, missingClaimReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/fast-jwt/package.json', import.meta.url);
const decode = createDecoder({ complete: true });
const C = TokenError.codes;
// fast-jwt error code -> catalog reason ID, when unambiguous.
const CODE_REASONS = {
  [C.expired]: 'expired', [C.inactive]: 'not_yet_valid', [C.invalidType]: 'typ_mismatch',
  [C.invalidCritHeader]: 'header_crit', [C.invalidPayload]: 'payload_unparseable', [C.verifyError]: 'signature_invalid',
};
// Claim named in an invalid claim type/value error -> catalog reason ID.
const CLAIM_REASONS = { exp: 'invalid_numeric_type', nbf: 'invalid_numeric_type', iss: 'iss_mismatch', aud: 'aud_mismatch' };

function keys(req) {
  return req.jwks.keys.map((jwk) => ({
    kid: jwk.kid,
    pem: createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
  }));
}

function tokenKid(token) {
  try {
    return decode(token).header.kid;
  } catch {
    return undefined; // the verifier will reject the token itself
  }
}

function verify(req, keySet) {
  const token = Buffer.from(req.token);
  const kid = tokenKid(token);
  const key = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
  const p = req.profile;
  let verifier;
  try {
    verifier = createVerifier({
      key: key?.pem, algorithms: p.algorithms, allowedIss: p.issuer ?? undefined, allowedAud: p.audiences,
      clockTolerance: p.leeway_secs * 1000, clockTimestamp: req.now * 1000, checkTyp: p.typ,
      requiredClaims: [...REQUIRED_CLAIMS],
    });
  } catch (error) {
    throw new ConfigError(error);
  }
  return verifier(token);
}

function reason(error, req) {
  const message = error.message ?? '';
  switch (error.code) {
    case C.invalidAlgorithm:
      return algReason(decode(Buffer.from(req.token)).header.alg);
    case C.invalidSignature: // also the decoder's refusal of a non-base64url signature segment
      decode(Buffer.from(req.token)); // throws (reason null) when the token does not decode
      return 'signature_invalid';
    case C.missingRequiredClaim:
      return missingClaimReason(/^The (\S+) claim is required\.$/.exec(message)?.[1]);
    case C.invalidClaimType:
    case C.invalidClaimValue:
      return CLAIM_REASONS[/^(?:The|None of) (\S+) claim/.exec(message)?.[1]] ?? null;
    case C.malformed: // only this one of its messages names a single cause
      return message === 'The token header is not a valid JSON object.' ? 'header_unparseable' : null;
    default:
      return CODE_REASONS[error.code] ?? null;
  }
}

serve({
  name: 'fast-jwt', library: 'fast-jwt (Node.js)', version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock', 'typ'], claims: true, keys, verify, reason, errors: [TokenError],
  notes: [
    'each JWK to PEM with node:crypto, key picked by kid; createVerifier with profile algorithms, allowedIss, allowedAud, clockTolerance 0, clockTimestamp = now, checkTyp = typ, requiredClaims exp/iat/iss/aud/sub/client_id/jti',
    'no JWK Set support (jwks_parsing skipped); requiredClaims checks presence only; no token size limit, no exp upper bound, no iat-in-the-future bound (maxAge, an age bound from iat, not set)',
  ],
});
