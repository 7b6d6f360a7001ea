// jwt-conformance subprocess adapter for fast-jwt (Node.js), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. fast-jwt is configured as strictly as its API allows and nothing is checked
// here: every verdict is fast-jwt's.
//
// Algorithms and presets: all 13 (fast-jwt verifies HS*, RS*, PS*, ES256/384/512 and EdDSA with
// Ed25519 or Ed448 keys) and the presets rfc9068, jwt and oidc-id-token (fast-jwt has no
// ID-token validator: createVerifier is configured for it, below).
//
// Configuration: fast-jwt has no JWK or JWK Set support (its README points to another package)
// and takes keys as strings or Buffers only (not KeyObjects), so each JWK of the key set is
// converted minimally with node:crypto: an oct key to its secret bytes
// (createSecretKey(k, 'base64url').export()), any other to an SPKI PEM
// (createPublicKey({format: 'jwk'})); a JWK node:crypto refuses is a config error, and
// jwks_parsing is not claimed. The key is the one whose kid equals the token's (read with
// fast-jwt's own createDecoder, for selection only), else the first of the set (also for a
// kid-less token under oidc-id-token: fast-jwt has no key selection of its own). createVerifier
// with that key, algorithms = the profile's (pinned: fast-jwt checks the key fits one of them,
// then the token's alg against them), allowedIss = issuer (when set), allowedAud = audiences (when
// any; oidc-id-token: the client_id), allowedNonce = the profile's nonce (oidc-id-token, when
// set), clockTolerance = leeway, clockTimestamp = the vector's now (clock injection), checkTyp =
// the profile's typ (null: no typ check), requiredClaims = the profile's required_claims, else
// its preset's (requiredClaims(profile) of the helper; presence only), plus iss, aud and nonce
// when the profile configures an issuer, an audience or a nonce (docs/profile.md: a configured
// one makes its claim required; fast-jwt's allowedIss, allowedAud and allowedNonce check only a
// claim that is present), no cache,
// allowedCritHeaders empty (every crit extension refused); a createVerifier refusal (say, of
// the key for the algorithms) is a config error. It has no azp check, no token size limit, no
// exp upper bound and no bound on iat in the future; maxAge is not set (it bounds the age since
// iat, which the profile does not). The token's bytes go in as a Buffer. The claims of an
// acceptance are the verifier's payload, as is ("claims": true). An error that is not a
// TokenError is still a rejection (fast-jwt failed closed), its text prefixed "unexpected ".
//
// Live key-set vectors (key_fetch, key_rotation, key_discovery): the keys come from get-jwks
// 11.0.3, the companion client fast-jwt's README points to: buildGetJwks({ttl: ttl_ms,
// issuersWhitelist: [issuer], and either jwksPath = jwks_uri's path under the issuer, or
// providerDiscovery: true (no jwksPath, which would take precedence) when the vector asks for
// discovery; timeout and fetchOptions.timeout = timeout_ms}), built at step 0 of each vector and
// reused by its later steps (the request's jwks is ignored). createVerifier (options above) then
// takes key = async ({header}) => getJwks.getPublicKey({kid, alg from the header, domain: the
// configured issuer}), never the token's unverified iss. get-jwks has no CA option (it calls the
// platform's fetch): the run's CA reaches it through NODE_EXTRA_CA_CERTS, set by the runner and
// honoured by Node's fetch. Its timeout is not applied (below), so no timeout bounds a fetch;
// fetch follows redirects (to http:// and to other hosts); the body is not bounded; it has no
// refetch limit (it caches per kid, and each uncached kid fetches again: refetch_interval_ms is
// not used); after the TTL, any failed lookup (endpoint down, or a set without the kid) falls back
// to the expired key (its stale cache); a JWK with private members is used (jwk-to-pem takes its
// public part); a non-2xx body is parsed as JSON before the status is checked; discovery takes
// jwks_uri from the document without checking its host, scheme or the document's issuer. fast-jwt
// wraps the key callback's failure as FAST_JWT_KEY_FETCHING_ERROR "Cannot fetch key." with the
// error in originalError: the rejection's text adds that error's, and its reason comes from it:
// GetJwksError JWK_NOT_FOUND -> kid_unknown; its request and no-keys codes, fetch's "fetch failed"
// TypeError and the JSON parser's SyntaxError -> key_source_unavailable.

import { createPublicKey, createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { TokenError, createDecoder, createVerifier } from 'fast-jwt';
import buildGetJwks from 'get-jwks';
import {
  ALGORITHMS, ConfigError, PRESETS, Reject, algReason, errorText, missingClaimReason, requiredClaims, serve,
} from 'jwt-conformance-adapter';

const pkg = new URL('./node_modules/fast-jwt/package.json', import.meta.url);
const getJwksPkg = new URL('./node_modules/get-jwks/package.json', import.meta.url);
const GET_JWKS_VERSION = JSON.parse(readFileSync(getJwksPkg, 'utf8')).version;
const decode = createDecoder({ complete: true });
const C = TokenError.codes;
// fast-jwt error code -> catalog reason ID, when unambiguous.
const CODE_REASONS = {
  [C.expired]: 'expired', [C.inactive]: 'not_yet_valid', [C.invalidType]: 'typ_mismatch',
  [C.invalidCritHeader]: 'header_crit', [C.invalidPayload]: 'payload_unparseable', [C.verifyError]: 'signature_invalid',
};
// Claim named in an invalid claim type/value error -> catalog reason ID.
const CLAIM_REASONS = { exp: 'invalid_numeric_type', nbf: 'invalid_numeric_type', iss: 'iss_mismatch', aud: 'aud_mismatch' };

// get-jwks error code -> catalog reason ID (DOMAIN_NOT_ALLOWED cannot happen: the domain is the
// configured issuer, which is the whitelist).
const GET_JWKS_REASONS = {
  JWK_NOT_FOUND: 'kid_unknown', JWKS_REQUEST_FAILED: 'key_source_unavailable', NO_JWKS: 'key_source_unavailable',
  OPENID_CONFIGURATION_REQUEST_FAILED: 'key_source_unavailable', NO_JWKS_URI: 'key_source_unavailable',
};

function keyFetchReason(error) {
  if (error?.name === 'GetJwksError') return GET_JWKS_REASONS[error.code] ?? null;
  // fetch's own failure (refused, reset, untrusted certificate) and a body that is not JSON.
  if (error instanceof TypeError && error.message === 'fetch failed') return 'key_source_unavailable';
  if (error instanceof SyntaxError) return 'key_source_unavailable';
  return null;
}

function remoteKeys(kf) {
  const options = {
    ttl: kf.ttl_ms, issuersWhitelist: [kf.issuer],
    // timeout is documented but not read by get-jwks; fetchOptions.timeout reaches fetch, which
    // has no such option: neither bounds a fetch.
    timeout: kf.timeout_ms, fetchOptions: { timeout: kf.timeout_ms },
  };
  if (kf.discovery) {
    options.providerDiscovery = true;
  } else {
    const base = kf.issuer.endsWith('/') ? kf.issuer : `${kf.issuer}/`;
    if (!kf.jwks_uri.startsWith(base)) {
      throw new ConfigError("get-jwks takes the key set's path under the issuer; jwks_uri is elsewhere");
    }
    options.jwksPath = kf.jwks_uri.slice(base.length);
  }
  return buildGetJwks(options);
}

function keys(req) {
  if (req.keyFetch !== null) {
    req.state.getJwks ??= remoteKeys(req.keyFetch);
    return req.state.getJwks;
  }
  return req.jwks.keys.map((jwk) => ({ kid: jwk.kid, pem: keyOf(jwk) }));
}

// One JWK as fast-jwt takes it: an oct key's secret bytes, else an SPKI PEM.
function keyOf(jwk) {
  if (jwk?.kty === 'oct') {
    if (typeof jwk.k !== 'string') throw new TypeError('oct JWK without a string k');
    return createSecretKey(jwk.k, 'base64url').export();
  }
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
}

// The profile's required claims, plus the claims its configured issuer, audience and nonce make
// required (docs/profile.md, "Claims"): fast-jwt's allowedIss, allowedAud and allowedNonce only
// check a claim that is present, and its requiredClaims is how it is told one must be.
function requiredClaimsOf(p) {
  const claims = new Set(requiredClaims(p));
  if (typeof p.issuer === 'string') claims.add('iss');
  if (audienceOf(p) !== undefined) claims.add('aud');
  if (p.preset === 'oidc-id-token' && typeof p.nonce === 'string') claims.add('nonce');
  return [...claims];
}

function audienceOf(p) {
  if (p.preset === 'oidc-id-token' && typeof p.client_id === 'string') return p.client_id;
  return Array.isArray(p.audiences) && p.audiences.length > 0 ? p.audiences : undefined;
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
  const p = req.profile;
  const options = {
    algorithms: p.algorithms, allowedIss: p.issuer ?? undefined, allowedAud: audienceOf(p),
    clockTolerance: p.leeway_secs * 1000, clockTimestamp: req.now * 1000, checkTyp: p.typ ?? undefined,
    requiredClaims: requiredClaimsOf(p),
  };
  if (p.preset === 'oidc-id-token' && typeof p.nonce === 'string') options.allowedNonce = p.nonce;
  if (req.keyFetch !== null) return verifyFetched(token, keySet, req.keyFetch.issuer, options);
  const kid = tokenKid(token);
  const key = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
  let verifier;
  try {
    verifier = createVerifier({ key: key?.pem, ...options });
  } catch (error) {
    throw new ConfigError(error);
  }
  return verifier(token);
}

async function verifyFetched(token, getJwks, domain, options) {
  let verifier;
  try {
    verifier = createVerifier({
      key: async ({ header }) => getJwks.getPublicKey({ kid: header.kid, alg: header.alg, domain }), ...options,
    });
  } catch (error) {
    throw new ConfigError(error);
  }
  try {
    return await verifier(token);
  } catch (error) {
    if (error?.code !== C.keyFetchingError || !('originalError' in error)) throw error;
    const original = error.originalError;
    throw new Reject(`${errorText(error)} (${errorText(original)})`, keyFetchReason(original));
  }
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
  features: ['clock', 'typ', 'key_fetch', 'key_rotation', 'key_discovery'], claims: true,
  algorithms: ALGORITHMS, presets: PRESETS,
  keys, verify, reason, errors: [TokenError],
  notes: [
    'each JWK converted with node:crypto (oct: its secret bytes; others: SPKI PEM), key picked by kid, else the first; createVerifier with the profile algorithms (pinned), allowedIss, allowedAud (oidc-id-token: client_id), allowedNonce (oidc-id-token), clockTolerance, clockTimestamp = now, checkTyp = typ (null: none), requiredClaims = the profile\'s (else its preset\'s) plus iss/aud/nonce when configured',
    'all 13 algorithms, presets rfc9068, jwt, oidc-id-token; no ID-token validator: no azp check',
    'no JWK Set support (jwks_parsing skipped); requiredClaims checks presence only; no token size limit, no exp upper bound, no iat-in-the-future bound (maxAge, an age bound from iat, not set)',
    `live key sets: keys from get-jwks ${GET_JWKS_VERSION} (buildGetJwks: ttl, issuersWhitelist = issuer, jwksPath or providerDiscovery, timeout), one per vector, as createVerifier's key function with domain = the configured issuer; CA through NODE_EXTRA_CA_CERTS (no CA option)`,
    'get-jwks: its timeout is not applied by fetch; follows redirects; body size not bounded; caches per kid, no refetch limit; after the TTL serves the expired key when the refetch fails or lacks the kid; discovery checks neither jwks_uri nor issuer',
  ],
});
