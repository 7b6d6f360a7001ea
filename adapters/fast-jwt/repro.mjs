// fast-jwt accepts a token at the very second it expires (exp == now).
//
// RFC 7519 §4.1.4: exp is "the expiration time on or after which the JWT MUST NOT be accepted
// for processing ... the current date/time MUST be before the expiration date/time"; RFC 9068 §4
// repeats it for access tokens. fast-jwt checks exp with `now <= exp` (src/verifier.js,
// validateClaimDateValue), so with zero clock tolerance a token whose exp equals the current time
// is still accepted: one second too long.
//
// Reproduces: time/exp-equals-now (policy-bypass)
//
// Run (after scripts/setup/node.sh): node adapters/fast-jwt/repro.mjs
// fast-jwt is configured exactly as adapters/fast-jwt/adapter.mjs configures it; only fast-jwt
// and Node's standard library are used.

import { createPublicKey } from 'node:crypto';
import { createVerifier } from 'fast-jwt';

const ID = 'time/exp-equals-now';
const JWK = {
  alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
  x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
};
// Header {"alg":"ES256","kid":"primary","typ":"at+jwt"}; payload with exp 1700000000 = NOW.
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.' +
  'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjE3MDAwMDAwMDAsImlhdCI6MTY5OTk5OTk5MCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.' +
  'R3HfUjiP8kUeiAgIuZC9Zcs8EVNkQNTWcQ46TOeg1Kf4KF26AbrWVTAp4u9uTs5fpLYMEOcguAG9vhUDYcXVBA';
const NOW = 1700000000;

const verify = createVerifier({
  key: createPublicKey({ key: JWK, format: 'jwk' }).export({ type: 'spki', format: 'pem' }),
  algorithms: ['ES256'], allowedIss: 'https://issuer.example', allowedAud: ['https://api.example'],
  clockTolerance: 0, clockTimestamp: NOW * 1000, checkTyp: 'at+jwt',
  requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'],
});

try {
  const claims = verify(Buffer.from(TOKEN));
  console.log(`REPRODUCED ${ID}: fast-jwt accepted the token with exp ${claims.exp} at now ${NOW} (exp == now)`);
  process.exit(0);
} catch (error) {
  console.log(`NOT REPRODUCED ${ID}: fast-jwt rejected it: ${error.code ?? error.name}: ${error.message}`);
  process.exit(1);
}
