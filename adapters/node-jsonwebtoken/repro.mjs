// jsonwebtoken (npm) accepts a token whose "crit" header lists an extension it does not
// understand.
//
// RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
// supported by the recipient, then the JWS is invalid. ... This Header Parameter MUST be
// understood and processed by implementations." jsonwebtoken never reads "crit" (verify.js), so
// a token that marks an extension as critical is accepted as if the extension were not there
// (CVE-2026-32597 documents the attack: a crit extension the verifier does not understand is
// silently ignored).
//
// Reproduces: header/crit-unknown-extension (policy-bypass)
//
// Run (after scripts/setup/node.sh): node adapters/node-jsonwebtoken/repro.mjs
// jsonwebtoken is configured exactly as adapters/node-jsonwebtoken/adapter.mjs configures it;
// only jsonwebtoken and Node's standard library are used.

import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';

const ID = 'header/crit-unknown-extension';
const JWK = {
  alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
  x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
};
// Header {"alg":"ES256","crit":["http://example.com/ext"],"http://example.com/ext":true,
// "kid":"primary","typ":"at+jwt"}, correctly signed by the key above.
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVlLCJraWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0.' +
  'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.' +
  'oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4EnLIRilKJ6HpzMycALTB-8Xj6Kwg';
const NOW = 1700000000;

try {
  jwt.verify(TOKEN, createPublicKey({ key: JWK, format: 'jwk' }), {
    algorithms: ['ES256'], issuer: 'https://issuer.example', audience: ['https://api.example'],
    clockTolerance: 0, clockTimestamp: NOW,
  });
  const { crit } = jwt.decode(TOKEN, { complete: true }).header;
  console.log(`REPRODUCED ${ID}: jsonwebtoken accepted the token although its crit lists ${JSON.stringify(crit)}, an extension it does not understand`);
  process.exit(0);
} catch (error) {
  console.log(`NOT REPRODUCED ${ID}: jsonwebtoken rejected it: ${error.name}: ${error.message}`);
  process.exit(1);
}
