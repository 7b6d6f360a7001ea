// jwt-conformance subprocess adapter for jsrsasign (Node.js), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the helper package jwt-conformance-adapter (adapters/node)
// runs the protocol: it prints a hello line, then answers one JSON line per request line on stdin
// until stdin closes. jsrsasign is configured as strictly as its API allows and nothing is
// checked here: every verdict is jsrsasign's.
//
// Algorithms and presets: HS256/384/512, RS*, PS* and ES256/384/512 (jsrsasign's JWS algorithm
// table, KJUR.jws.JWS.jwsalg2sigalg, has no EdDSA: it is not declared) and the presets rfc9068,
// jwt and oidc-id-token (jsrsasign has no ID-token validator: verifyJWT is configured for it,
// below).
//
// Configuration: jsrsasign has no JWK Set parser; each JWK of the key set is converted
// minimally with jsrsasign's own KEYUTIL.getKey (RSA and EC JWKs), an oct key being given as
// jsrsasign's HMAC key form {b64u: k} (KEYUTIL.getKey takes no oct JWK). A key KEYUTIL.getKey
// refuses (an OKP key, say) is kept as its refusal: it is a config error only when it is the
// key selected for the token, so a set mixing key types still loads; a key set that is not an
// object with a keys array is a config error. The key is the one whose kid equals the token's
// (read with jsrsasign's own KJUR.jws.JWS.readSafeJSONString, for selection only), else the
// first of the set (also for a kid-less token under oidc-id-token: jsrsasign has no key
// selection of its own). KJUR.jws.JWS.verifyJWT(token, key, acceptField) with alg = the
// profile's algorithms (pinned), iss = [issuer] (when set), aud = the profile's audiences (when
// any; oidc-id-token: [client_id]), verifyAt = the vector's now (clock injection) and
// gracePeriod = leeway. verifyJWT checks iss, aud, exp, nbf and iat only when the token carries
// them (no claim can be required: required_claims cannot be configured), refuses an iat in the
// future (by more than gracePeriod), requires every aud value to be accepted, and has no typ,
// nonce, azp, crit-understanding or size check. It returns false without saying why: such a
// rejection has no reason. Its API takes a string: non-UTF-8 tokens are skipped. The claims of
// an acceptance are the payload as jsrsasign's own KJUR.jws.JWS.parse reads it
// ("claims": true). jsrsasign throws strings and plain Errors (no error class): every throw is
// a rejection, unmapped. Upstream's README announces the end of support (11.1.4, "final
// release"; npm packages deprecated); 11.1.5 is the newest on npm and the one pinned.

import { readFileSync } from 'node:fs';
import rs from 'jsrsasign';
import { ALGORITHMS, ConfigError, PRESETS, Reject, Skip, serve } from 'jwt-conformance-adapter';

const { KJUR, KEYUTIL, b64utoutf8 } = rs;
const pkg = new URL('./node_modules/jsrsasign/package.json', import.meta.url);

// One JWK as jsrsasign takes it: {key} or {error} (KEYUTIL.getKey's refusal).
function keyOf(jwk) {
  if (jwk !== null && typeof jwk === 'object' && jwk.kty === 'oct') {
    if (typeof jwk.k !== 'string') return { error: 'oct JWK without a string k' };
    return { key: { b64u: jwk.k } };
  }
  try {
    return { key: KEYUTIL.getKey(jwk) };
  } catch (error) {
    return { error: typeof error === 'string' ? error : `${error?.name}: ${error?.message}` };
  }
}

function keys(req) {
  const set = req.jwks;
  if (set === null || typeof set !== 'object' || !Array.isArray(set.keys)) {
    throw new TypeError('the key set is not an object with a keys array');
  }
  return set.keys.map((jwk) => ({ kid: jwk?.kid, ...keyOf(jwk) }));
}

function tokenKid(token) {
  try {
    return KJUR.jws.JWS.readSafeJSONString(b64utoutf8(token.split('.')[0]))?.kid;
  } catch {
    return undefined; // verifyJWT will reject the token itself
  }
}

function audienceOf(p) {
  if (p.preset === 'oidc-id-token' && typeof p.client_id === 'string') return [p.client_id];
  return Array.isArray(p.audiences) && p.audiences.length > 0 ? p.audiences : undefined;
}

function verify(req, keySet) {
  const token = req.tokenText;
  if (token === null) throw new Skip('jsrsasign takes a string; the token is not UTF-8');
  const p = req.profile;
  const kid = tokenKid(token);
  const entry = (typeof kid === 'string' && keySet.find((k) => k.kid === kid)) || keySet[0];
  if (entry === undefined) throw new ConfigError('the key set has no keys');
  if ('error' in entry) throw new ConfigError(`KEYUTIL.getKey: ${entry.error}`);
  const accept = { alg: [...p.algorithms], verifyAt: req.now, gracePeriod: p.leeway_secs };
  if (typeof p.issuer === 'string') accept.iss = [p.issuer];
  const aud = audienceOf(p);
  if (aud !== undefined) accept.aud = [...aud];
  if (!KJUR.jws.JWS.verifyJWT(token, entry.key, accept)) {
    throw new Reject('KJUR.jws.JWS.verifyJWT returned false', null);
  }
  return KJUR.jws.JWS.parse(token).payloadObj;
}

serve({
  name: 'jsrsasign', library: 'jsrsasign (Node.js)', version: JSON.parse(readFileSync(pkg, 'utf8')).version,
  features: ['clock'], claims: true,
  algorithms: ALGORITHMS.filter((alg) => alg !== 'EdDSA'), presets: PRESETS,
  keys, verify,
  notes: [
    'each JWK with KEYUTIL.getKey (oct: {b64u: k}), key picked by kid, else the first; a key getKey refuses is a config error only when selected; KJUR.jws.JWS.verifyJWT with alg = the profile algorithms (pinned), iss, aud (oidc-id-token: [client_id]), verifyAt = now, gracePeriod = leeway',
    'HS*, RS*, PS*, ES256/384/512 (no EdDSA in jsrsasign); presets rfc9068, jwt, oidc-id-token; no ID-token validator: no nonce, no azp check',
    'jsrsasign is at end of support upstream (README: 11.1.4 final release, npm packages deprecated); 11.1.5 pinned',
    'verifyJWT checks iss, aud, exp, nbf, iat only when present (required_claims cannot be configured), refuses iat in the future, needs every aud value accepted; no typ check, no size limit; returns false without a reason (rejections unmapped); no JWK Set parser (jwks_parsing skipped); takes a string: non-UTF-8 tokens skipped',
  ],
});
