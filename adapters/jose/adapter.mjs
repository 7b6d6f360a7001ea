// jwt-conformance subprocess adapter for jose (Node.js), protocol version 2 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. jose is configured as strictly as its API allows and nothing is checked
// here: every verdict is jose's.
//
// Configuration: createLocalJWKSet on the key set's exact bytes (jwks_base64) decoded as strict
// UTF-8 and parsed with JSON.parse, jose's own JSON parser (jose takes key sets as objects, not
// bytes); a refusal at any of these steps is a config error; jose selects the key by kid and alg
// itself. jwtVerify with the profile's algorithms (ES256), issuer, audiences, clockTolerance (0),
// currentDate = the vector's now (clock injection), typ = the profile's typ, and requiredClaims =
// exp, iat, iss, aud, sub, client_id, jti. maxTokenAge is not set: jose applies its one
// clockTolerance to exp, nbf and iat alike, so setting it would wrongly reject
// time/iat-now-plus-60. The claims of an acceptance are jwtVerify's payload, as is: the hello says
// so ("claims": true) and the runner compares them. An error that is not a JOSEError is still a
// rejection (jose failed closed), its text prefixed "unexpected ".

import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import { REQUIRED_CLAIMS, algReason, missingClaimReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/jose/package.json', import.meta.url);
// jose error code (then claim of a failed claim check) -> catalog reason ID, when unambiguous.
const CODE_REASONS = {
  ERR_JWT_EXPIRED: 'expired', ERR_JWKS_NO_MATCHING_KEY: 'kid_unknown',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature_invalid',
};
const CLAIM_REASONS = { nbf: 'not_yet_valid', iss: 'iss_mismatch', aud: 'aud_mismatch', typ: 'typ_mismatch' };

const keys = (req) => jose.createLocalJWKSet(req.jwksJson());

async function verify(req, keySet) {
  const p = req.profile;
  const options = {
    algorithms: p.algorithms, issuer: p.issuer ?? undefined, audience: p.audiences, typ: p.typ,
    clockTolerance: p.leeway_secs, currentDate: new Date(req.now * 1000), requiredClaims: REQUIRED_CLAIMS,
  };
  return (await jose.jwtVerify(req.token, keySet, options)).payload;
}

function reason(error, req) {
  if (error.code === 'ERR_JOSE_ALG_NOT_ALLOWED') { // a header jose cannot read: null
    return algReason(jose.decodeProtectedHeader(Buffer.from(req.token).toString('latin1')).alg);
  }
  if (error.code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
    if (error.reason === 'missing') return missingClaimReason(error.claim);
    if (error.reason === 'invalid') return ['exp', 'iat', 'nbf'].includes(error.claim) ? 'invalid_numeric_type' : null;
    return CLAIM_REASONS[error.claim] ?? null;
  }
  return CODE_REASONS[error.code] ?? (/crit/.test(error.message ?? '') ? 'header_crit' : null);
}

serve({
  name: 'jose', library: 'jose (Node.js)', version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock', 'jwks_parsing', 'typ'], claims: true, keys, verify, reason, errors: [jose.errors.JOSEError],
  notes: [
    "createLocalJWKSet on JSON.parse of the key set's bytes; jwtVerify with profile algorithms, issuer, audiences, clockTolerance 0, currentDate = now, typ, requiredClaims exp/iat/iss/aud/sub/client_id/jti",
    'maxTokenAge not set: jose uses one clockTolerance for exp, nbf and iat, so setting it would wrongly reject time/iat-now-plus-60',
  ],
});
