// jwt-conformance subprocess adapter for jsonwebtoken (the npm package, Node.js), protocol
// version 3 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. jsonwebtoken is configured as strictly as its API allows and nothing is
// checked here: every verdict is jsonwebtoken's.
//
// Algorithms and presets: HS256/384/512, RS*, PS* and ES256/384/512 (jsonwebtoken, through jws
// and jwa, has no EdDSA: it is not declared) and the presets rfc9068, jwt and oidc-id-token
// (jsonwebtoken has no ID-token validator: jwt.verify is configured for it, below).
//
// Configuration: jsonwebtoken has no JWK or JWK Set support, so each JWK of the key set is
// converted minimally to a KeyObject with node:crypto: an oct key with createSecretKey(k,
// 'base64url'), any other with createPublicKey({format: 'jwk'}); a JWK node:crypto refuses is a
// config error, and jwks_parsing is not claimed. The key is the one whose kid equals the token's
// (read with jsonwebtoken's own jwt.decode, for selection only), else the first of the set (also
// for a kid-less token under oidc-id-token: jsonwebtoken has no key selection of its own).
// jwt.verify with that key, algorithms = the profile's (pinned; jsonwebtoken 9 also refuses a
// key whose type does not fit the token's alg: a secret for RS*, a public key for HS*, the
// RS256->HS256 confusion of CVE-2015-9235 and CVE-2022-23541; allowInvalidAsymmetricKeyTypes is
// left false), issuer (when set), audience = audiences (when any; oidc-id-token: the
// client_id), nonce = the profile's nonce (oidc-id-token, when set), clockTolerance = leeway and
// clockTimestamp = the vector's now (clock injection). It cannot require any claim (exp and nbf
// are checked only when present; subject and jwtid only match given values; required_claims
// cannot be configured), has no typ check, no azp check and no token size limit; maxAge is not
// set (it bounds the age since iat, which the profile does not). Its API takes a string:
// non-UTF-8 tokens are skipped. The claims of an acceptance are jwt.verify's payload, as is
// ("claims": true). An error that is not a JsonWebTokenError (jsonwebtoken also throws plain
// Errors and its dependencies' errors) is still a rejection (it failed closed), its text
// prefixed "unexpected ".
//
// Live key-set vectors (key_fetch, key_rotation): the keys come from jwks-rsa 4.1.0, the
// companion client jsonwebtoken's README points to: jwksClient({jwksUri, cache: true, cacheMaxAge:
// ttl_ms, rateLimit: true, jwksRequestsPerMinute: 60000 / refetch_interval_ms (at least 1),
// timeout: timeout_ms, requestAgent: an https.Agent trusting ca_file}), built at step 0 of each
// vector and reused by its later steps (the request's jwks is ignored). jwt.verify then takes
// jwks-rsa's getSigningKey as its key callback, with the options above. jwks-rsa caches each kid's
// key for cacheMaxAge and fetches again for a kid it has not cached (an unknown kid, every
// time), through a limiter of so many fetches per minute (a fixed window, not a spacing); it
// follows no redirect (a 3xx is an error); its timeout is Node's socket idle timeout, reset by
// every byte (a slowly dripped body is not cut); the body is not bounded; it has no discovery.
// jsonwebtoken wraps the callback's error in its own ("error in secret or public key callback:
// ..."), so the reason is read from the jwks-rsa error the callback saw: SigningKeyNotFoundError
// and JwksRateLimitError (a kid not cached and no fetch allowed) -> kid_unknown; a fetch failure
// (jwks-rsa marks it isEndpointUnavailable) or a JwksError (no keys, no signing keys) ->
// key_source_unavailable.

import { createPublicKey, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Agent } from 'node:https';
import jwt from 'jsonwebtoken';
import jwksClient from 'jwks-rsa';
import { ALGORITHMS, PRESETS, Skip, algReason, serve } from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/jsonwebtoken/package.json', import.meta.url);
const jwksPkg = new URL('./node_modules/jwks-rsa/package.json', import.meta.url);
const JWKS_RSA_VERSION = JSON.parse(readFileSync(jwksPkg, 'utf8')).version;
// The jwks-rsa error behind a jsonwebtoken "error in secret or public key callback" error.
const keyErrors = new WeakMap();
// jsonwebtoken's JsonWebTokenError message -> catalog reason ID, when unambiguous.
const MESSAGE_REASONS = {
  'invalid signature': 'signature_invalid', 'invalid exp value': 'invalid_numeric_type',
  'invalid nbf value': 'invalid_numeric_type',
};

function keys(req) {
  const kf = req.keyFetch;
  if (kf === null) {
    return req.jwks.keys.map((jwk) => ({ kid: jwk.kid, key: keyOf(jwk) }));
  }
  if (kf.discovery) throw new Skip('jwks-rsa has no OpenID discovery');
  req.state.client ??= jwksClient({
    jwksUri: kf.jwks_uri, cache: true, cacheMaxAge: kf.ttl_ms, rateLimit: true,
    jwksRequestsPerMinute: Math.max(1, Math.floor(60000 / kf.refetch_interval_ms)), timeout: kf.timeout_ms,
    requestAgent: new Agent({ ca: readFileSync(kf.ca_file) }),
  });
  return { client: req.state.client };
}

// One JWK as a KeyObject: an oct key's secret, else the public key.
function keyOf(jwk) {
  if (jwk?.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new TypeError('oct JWK without a string k');
    return createSecretKey(jwk.k, 'base64url');
  }
  return createPublicKey({ key: jwk, format: 'jwk' });
}

function audienceOf(p) {
  if (p.preset === 'oidc-id-token' && typeof p.client_id === 'string') return p.client_id;
  return Array.isArray(p.audiences) && p.audiences.length > 0 ? p.audiences : undefined;
}

// jwt.verify with jwks-rsa's getSigningKey as the key callback (jsonwebtoken's async form).
function verifyFetched(token, client, options) {
  let keyError = null;
  const getKey = (header, callback) => client.getSigningKey(header.kid, (error, key) => {
    keyError = error;
    callback(error, error ? undefined : key.getPublicKey());
  });
  return new Promise((resolve, reject) => {
    jwt.verify(token, getKey, options, (error, payload) => {
      if (error && keyError) keyErrors.set(error, keyError);
      return error ? reject(error) : resolve(payload);
    });
  });
}

function keyErrorReason(error) {
  if (error instanceof jwksClient.SigningKeyNotFoundError || error instanceof jwksClient.JwksRateLimitError) {
    return 'kid_unknown';
  }
  if (error.isEndpointUnavailable || error instanceof jwksClient.JwksError) return 'key_source_unavailable';
  return null;
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
  const p = req.profile;
  const options = {
    algorithms: p.algorithms, issuer: p.issuer ?? undefined, audience: audienceOf(p),
    clockTolerance: p.leeway_secs, clockTimestamp: req.now,
  };
  if (p.preset === 'oidc-id-token' && typeof p.nonce === 'string') options.nonce = p.nonce;
  if (req.keyFetch !== null) return verifyFetched(token, keySet.client, options);
  const kid = tokenKid(token);
  const key = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
  return jwt.verify(token, key?.key, options);
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// jwt.decode keeps a header or payload that is JSON but not an object, and a payload that is not
// JSON at all as a string: the claim and alg errors below then describe no claim or alg, so they
// are labeled only when jwt.decode returns objects.
function reason(error, req) {
  if (error instanceof jwt.TokenExpiredError) return 'expired'; // maxAge is not set: exp only
  if (error instanceof jwt.NotBeforeError) return 'not_yet_valid';
  if (keyErrors.has(error)) return keyErrorReason(keyErrors.get(error));
  const message = error.message ?? '';
  const { header, payload } = jwt.decode(req.tokenText, { complete: true }) ?? {};
  if (message === 'invalid algorithm') return isObject(header) ? algReason(header.alg) : null;
  if (!isObject(payload)) return MESSAGE_REASONS[message] ?? null;
  if (message.startsWith('jwt issuer invalid.')) return 'iss_mismatch';
  if (message.startsWith('jwt audience invalid.')) return 'aud' in payload ? 'aud_mismatch' : 'aud_missing';
  if (message.startsWith('jwt nonce invalid.')) return 'nonce_mismatch';
  return MESSAGE_REASONS[message] ?? null;
}

serve({
  name: 'node-jsonwebtoken', library: 'jsonwebtoken (Node.js)',
  version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock', 'key_fetch', 'key_rotation'], claims: true,
  algorithms: ALGORITHMS.filter((alg) => alg !== 'EdDSA'), presets: PRESETS,
  keys, verify, reason, errors: [jwt.JsonWebTokenError],
  notes: [
    'each JWK to a KeyObject with node:crypto (oct: createSecretKey; others: createPublicKey), key picked by kid, else the first; jwt.verify with the profile algorithms (pinned), issuer, audience (oidc-id-token: client_id), nonce (oidc-id-token), clockTolerance, clockTimestamp = now',
    'HS*, RS*, PS*, ES256/384/512 (no EdDSA in jsonwebtoken); presets rfc9068, jwt, oidc-id-token; no ID-token validator: no azp check',
    'cannot require claims (required_claims not configurable; exp, nbf checked only when present); no typ check; no token size limit; no JWK Set support (jwks_parsing skipped); takes a string: non-UTF-8 tokens skipped',
    `live key sets: keys from jwks-rsa ${JWKS_RSA_VERSION} (jwksClient: cache, cacheMaxAge = TTL, rateLimit with jwksRequestsPerMinute = 60000 / refetch interval, timeout, https.Agent with the run CA), one per vector, as jwt.verify's key callback; no discovery`,
    'jwksClient: caches per kid, refetches for every uncached kid within a per-minute fetch budget; follows no redirect; timeout is a socket idle timeout (a dripped body is not cut); body size not bounded',
  ],
});
