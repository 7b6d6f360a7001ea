// njwt accepts a token whose "crit" header lists an extension it does not understand.
//
// RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
// supported by the recipient, then the JWS is invalid. ... This Header Parameter MUST be
// understood and processed by implementations." njwt's Verifier.verify (index.js) checks the
// token's alg against the one configured, exp, nbf and the signature, and never reads "crit",
// so a token that marks an extension as critical is accepted as if the extension were not
// there.
//
// Reproduces: header/crit-unknown-extension (policy-bypass)
//
// Run (after scripts/setup/node.sh): node adapters/njwt/repro.mjs
// njwt 2.0.1 is configured exactly as adapters/njwt/adapter.mjs configures it: the JWK as a
// KeyObject (node:crypto), createVerifier().setSigningAlgorithm('ES256').withKeyResolver(the key
// with the token's kid); only njwt and Node's standard library are used. No stricter setting
// exists: a Verifier takes only a signing algorithm, a signing key and a key resolver.

import { createPublicKey } from 'node:crypto';
import njwt from 'njwt';

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

const keys = [{ kid: JWK.kid, key: createPublicKey({ key: JWK, format: 'jwk' }) }];
try {
  const verified = njwt.createVerifier().setSigningAlgorithm('ES256').withKeyResolver((kid, callback) => {
    const entry = keys.find((k) => k.kid === kid) || keys[0];
    return callback(null, entry.key);
  }).verify(TOKEN);
  console.log(`REPRODUCED ${ID}: njwt accepted the token although its crit lists ${JSON.stringify(verified.header.crit)}, an extension it does not understand`);
  process.exit(0);
} catch (error) {
  console.log(`NOT REPRODUCED ${ID}: njwt rejected it: ${error.name}: ${error.message}`);
  process.exit(1);
}
