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
//
// Live key-set vectors (key_fetch, key_rotation): the key set is jose's own remote client,
// createRemoteJWKSet(new URL(jwks_uri), {timeoutDuration: timeout_ms, cooldownDuration:
// refetch_interval_ms, cacheMaxAge: ttl_ms}), built at step 0 of each vector and reused by its
// later steps (the request's jwks is ignored); jwtVerify is then called as above. jose fetches
// with the platform's fetch: the run's CA reaches it through NODE_EXTRA_CA_CERTS (set by the
// runner, honoured by Node's fetch), as jose has no CA option. jose follows no redirect (a 3xx is
// "Expected 200 OK"), its timeout (an AbortSignal) covers the whole exchange, the body size is
// not bounded, and an unknown kid refetches once the cooldown since the last fetch has passed.
// It has no OpenID discovery (no key_discovery). Its fetch errors map to key_source_unavailable:
// JWKSTimeout, the generic JOSEError of a non-200 answer or a body that is not JSON, and
// JWKSInvalid (a body that is not a public JWK Set); a transport failure (refused, reset,
// untrusted certificate) escapes as fetch's own TypeError: an "unexpected" rejection.

import { readFileSync } from 'node:fs';
import * as jose from 'jose';
import { REQUIRED_CLAIMS, Skip, algReason, missingClaimReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/jose/package.json', import.meta.url);
// jose error code (then claim of a failed claim check) -> catalog reason ID, when unambiguous.
const CODE_REASONS = {
  ERR_JWT_EXPIRED: 'expired', ERR_JWKS_NO_MATCHING_KEY: 'kid_unknown',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: 'signature_invalid',
};
const CLAIM_REASONS = { nbf: 'not_yet_valid', iss: 'iss_mismatch', aud: 'aud_mismatch', typ: 'typ_mismatch' };

// Codes of jose's remote key-set failures (the generic code only comes from the remote client).
const FETCH_CODES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

function keys(req) {
  const kf = req.keyFetch;
  if (kf === null) return jose.createLocalJWKSet(req.jwksJson());
  if (kf.discovery) throw new Skip('jose has no OpenID discovery');
  req.state.keySet ??= jose.createRemoteJWKSet(new URL(kf.jwks_uri), {
    timeoutDuration: kf.timeout_ms, cooldownDuration: kf.refetch_interval_ms, cacheMaxAge: kf.ttl_ms,
  });
  return req.state.keySet;
}

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
  if (req.keyFetch !== null && FETCH_CODES.has(error.code)) return 'key_source_unavailable';
  return CODE_REASONS[error.code] ?? (/crit/.test(error.message ?? '') ? 'header_crit' : null);
}

serve({
  name: 'jose', library: 'jose (Node.js)', version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock', 'jwks_parsing', 'typ', 'key_fetch', 'key_rotation'], claims: true,
  keys, verify, reason, errors: [jose.errors.JOSEError],
  notes: [
    "createLocalJWKSet on JSON.parse of the key set's bytes; jwtVerify with profile algorithms, issuer, audiences, clockTolerance 0, currentDate = now, typ, requiredClaims exp/iat/iss/aud/sub/client_id/jti",
    'maxTokenAge not set: jose uses one clockTolerance for exp, nbf and iat, so setting it would wrongly reject time/iat-now-plus-60',
    "live key sets: jose's createRemoteJWKSet (timeoutDuration, cooldownDuration, cacheMaxAge from the vector), one per vector; CA through NODE_EXTRA_CA_CERTS (no CA option); no discovery",
    'createRemoteJWKSet: follows no redirect, timeout covers the whole exchange, body size not bounded; a transport failure surfaces as fetch\'s TypeError (unmapped)',
  ],
});
