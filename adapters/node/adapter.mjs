// jwt-conformance subprocess adapter for jose (Node.js), protocol version 2 (docs/adapters.md).
//
// One process serves a whole run: it prints a hello line, then answers one JSON line per
// request line on stdin until stdin closes. jose is configured as strictly as its API allows
// and nothing is checked here: every verdict is jose's.
//
// Configuration: createLocalJWKSet on the key set's exact bytes (jwks_base64) decoded as strict
// UTF-8 and parsed with JSON.parse, jose's own JSON parser (jose takes key sets as objects, not
// bytes); a refusal at any of these steps is a config error; jose selects the key by kid and alg
// itself. jwtVerify with the profile's algorithms (ES256), issuer, audiences, clockTolerance (0),
// currentDate = the vector's now (clock injection), typ = the profile's typ, and requiredClaims =
// exp, iat, iss, aud, sub, client_id, jti. maxTokenAge is not set: jose applies its one
// clockTolerance to exp, nbf and iat alike, so setting it would wrongly reject
// time/iat-now-plus-60. The claims of an acceptance are jwtVerify's payload, as is: the hello says
// so ("claims": true) and the runner compares them.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as jose from 'jose';

const PROTOCOL = 'jwt-conformance-adapter';
const VERSION = 2;
const REQUIRED = ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'];
const MISSING = {
  exp: 'exp_missing', iat: 'iat_missing', iss: 'iss_mismatch', aud: 'aud_missing',
  sub: 'sub_missing', client_id: 'client_id_missing', jti: 'jti_missing',
};

const joseVersion = JSON.parse(
  readFileSync(new URL('./node_modules/jose/package.json', import.meta.url), 'utf8'),
).version;

// The catalog family of the header's alg, for labeling an "algorithm not allowed" error.
function algReason(token) {
  let alg;
  try {
    alg = jose.decodeProtectedHeader(Buffer.from(token).toString('latin1')).alg;
  } catch {
    return null;
  }
  if (typeof alg !== 'string' || alg.toLowerCase() === 'none') return 'alg_none';
  if (['HS256', 'HS384', 'HS512'].includes(alg)) return 'alg_hmac_rejected';
  if (['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'].includes(alg)) return 'alg_rsa_rejected';
  if (['ES384', 'ES512', 'ES256K'].includes(alg)) return 'alg_ecdsa_rejected';
  return 'alg_not_allowed';
}

// Labels a jose error with a catalog reason ID, when unambiguous.
function reasonOf(error, token) {
  switch (error.code) {
    case 'ERR_JWT_EXPIRED':
      return 'expired';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature_invalid';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return algReason(token);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'kid_unknown';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (error.reason === 'missing') return MISSING[error.claim] ?? null;
      if (error.reason === 'invalid') return ['exp', 'iat', 'nbf'].includes(error.claim) ? 'invalid_numeric_type' : null;
      return { nbf: 'not_yet_valid', iss: 'iss_mismatch', aud: 'aud_mismatch', typ: 'typ_mismatch' }[error.claim] ?? null;
    default:
      if (/crit/.test(error.message ?? '')) return 'header_crit';
      return null;
  }
}

const textOf = (error) => `${error.code ?? error.name}: ${error.message}`;

async function verify(request) {
  const token = new Uint8Array(Buffer.from(request.token_b64, 'base64'));
  const p = request.profile;
  let keySet;
  try {
    const bytes = Buffer.from(request.jwks_base64, 'base64');
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    keySet = jose.createLocalJWKSet(JSON.parse(text));
  } catch (error) {
    return { outcome: 'config_error', error: textOf(error) };
  }
  const options = {
    algorithms: p.algorithms,
    issuer: p.issuer ?? undefined,
    audience: p.audiences,
    clockTolerance: p.leeway_secs,
    currentDate: new Date(request.now * 1000),
    typ: p.typ,
    requiredClaims: REQUIRED,
  };
  try {
    const { payload } = await jose.jwtVerify(token, keySet, options);
    return { outcome: 'accept', claims: payload };
  } catch (error) {
    if (error instanceof jose.errors.JOSEError) {
      return { outcome: 'reject', error: textOf(error), reason: reasonOf(error, token) };
    }
    return { outcome: 'reject', error: `unexpected ${textOf(error)}` };
  }
}

function write(object) {
  process.stdout.write(`${JSON.stringify(object)}\n`);
}

write({
  protocol: PROTOCOL,
  version: VERSION,
  name: 'jose',
  library: 'jose (Node.js)',
  library_version: joseVersion,
  features: ['clock', 'jwks_parsing'],
  exact: false,
  claims: true,
  notes: [
    "createLocalJWKSet on JSON.parse of the key set's bytes; jwtVerify with profile algorithms, issuer, audiences, clockTolerance 0, currentDate = now, typ, requiredClaims exp/iat/iss/aud/sub/client_id/jti",
    'maxTokenAge not set: jose uses one clockTolerance for exp, nbf and iat, so setting it would wrongly reject time/iat-now-plus-60',
  ],
});

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  const request = JSON.parse(line);
  let outcome;
  try {
    outcome = await verify(request);
  } catch (error) {
    outcome = { outcome: 'adapter_error', error: String(error) };
  }
  write({ id: request.id, step: request.step, ...outcome });
}
