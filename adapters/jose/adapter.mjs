// jwt-conformance subprocess adapter for jose (Node.js), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. jose is configured as strictly as its API allows and nothing is checked
// here: every verdict is jose's.
//
// Algorithms and presets: all 13 (ES256/384/512, RS*, PS*, EdDSA with Ed25519, HS256/384/512) and
// the presets rfc9068, jwt and oidc-id-token (jose has no ID-token validator: jwtVerify is
// configured for it, below).
//
// Configuration: createLocalJWKSet on the key set's exact bytes (jwks_base64) decoded as strict
// UTF-8 and parsed with JSON.parse, jose's own JSON parser (jose takes key sets as objects, not
// bytes); a refusal at any of these steps is a config error; jose selects the key by kid, alg,
// kty, crv, use and key_ops itself, refuses a kid-less token that several keys match
// (JWKSMultipleMatchingKeys) and RSA moduli under 2048 bits. jose's JWK Set refuses symmetric
// algorithms ('Unsupported "alg" value for a JSON Web Key Set'), so for an HS256/384/512 token
// the adapter hands jwtVerify one oct JWK of the set as the key, jose's own JWK import then
// checking it (kty oct, k, alg, use, key_ops): the key whose kid equals the token's (read from
// the header jose passes to the key function), or for a kid-less token the set's first oct key;
// none is jose's JWKSNoMatchingKey. jwtVerify with algorithms = the profile's (pinned; jose
// refuses any other alg before the key is resolved), issuer (when set), audience = the
// profile's audiences (when any) or, under oidc-id-token, the client_id, clockTolerance
// (leeway), currentDate = the vector's now (clock injection), typ = the profile's typ (null: no
// typ check) and requiredClaims = the profile's required_claims, else its preset's
// (requiredClaims(profile) of the helper). jose has no nonce and no azp check (an ID token's
// nonce and azp are not verified) and no upper bound on exp. maxTokenAge is not set: jose
// applies its one clockTolerance to exp, nbf and iat alike, so setting it would wrongly reject
// time/iat-now-plus-60. The claims of an acceptance are jwtVerify's payload, as is: the hello
// says so ("claims": true) and the runner compares them. An error that is not a JOSEError is
// still a rejection (jose failed closed), its text prefixed "unexpected ".
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
import { ALGORITHMS, PRESETS, Skip, algReason, missingClaimReason, requiredClaims, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/jose/package.json', import.meta.url);
// jose error code (then claim of a failed claim check) -> catalog reason ID, when unambiguous.
const CODE_REASONS = {
  ERR_JWT_EXPIRED: 'expired', ERR_JWKS_NO_MATCHING_KEY: 'kid_unknown',
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: 'kid_ambiguous',
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

const HMAC = new Set(['HS256', 'HS384', 'HS512']);

// jose's JWK Set takes no symmetric keys: for an HS* token, one oct JWK of the set (by kid, else
// the first oct key), which jwtVerify imports and checks itself.
function withSecrets(req, keySet) {
  if (req.keyFetch !== null) return keySet;
  return (header, token) => {
    if (!HMAC.has(header?.alg)) return keySet(header, token);
    const set = req.jwksJson();
    const kid = header.kid;
    const jwk = typeof kid === 'string'
      ? set.keys.find((k) => k?.kid === kid)
      : set.keys.find((k) => k?.kty === 'oct');
    if (jwk === undefined) throw new jose.errors.JWKSNoMatchingKey();
    return jwk;
  };
}

function audienceOf(p) {
  if (p.preset === 'oidc-id-token' && typeof p.client_id === 'string') return p.client_id;
  return Array.isArray(p.audiences) && p.audiences.length > 0 ? p.audiences : undefined;
}

async function verify(req, keySet) {
  const p = req.profile;
  const options = {
    algorithms: p.algorithms, issuer: p.issuer ?? undefined, audience: audienceOf(p), typ: p.typ ?? undefined,
    clockTolerance: p.leeway_secs, currentDate: new Date(req.now * 1000), requiredClaims: requiredClaims(p),
  };
  return (await jose.jwtVerify(req.token, withSecrets(req, keySet), options)).payload;
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
  algorithms: ALGORITHMS, presets: PRESETS,
  keys, verify, reason, errors: [jose.errors.JOSEError],
  notes: [
    "createLocalJWKSet on JSON.parse of the key set's bytes; jwtVerify with the profile's algorithms (pinned), issuer, audiences (oidc-id-token: client_id), clockTolerance, currentDate = now, typ (null: none), requiredClaims = the profile's (else its preset's)",
    "jose's JWK Set refuses HS* (symmetric algorithms): for an HS* token the adapter gives jwtVerify the set's oct JWK with the token's kid (kid-less: the first oct key), which jose imports and checks",
    'all 13 algorithms, presets rfc9068, jwt, oidc-id-token; no ID-token validator: no nonce and no azp check, no exp upper bound',
    'maxTokenAge not set: jose uses one clockTolerance for exp, nbf and iat, so setting it would wrongly reject time/iat-now-plus-60',
    "live key sets: jose's createRemoteJWKSet (timeoutDuration, cooldownDuration, cacheMaxAge from the vector), one per vector; CA through NODE_EXTRA_CA_CERTS (no CA option); no discovery",
    'createRemoteJWKSet: follows no redirect, timeout covers the whole exchange, body size not bounded; a transport failure surfaces as fetch\'s TypeError (unmapped)',
  ],
});
