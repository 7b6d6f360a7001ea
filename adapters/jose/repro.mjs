// jose (Node.js) accepts a token with a line break inside its signature segment.
//
// RFC 7515 §5.2, step 7: "Base64url-decode the encoded representation of the JWS Signature,
// following the restriction that no line breaks, whitespace, or other additional characters have
// been used. ... If any of the listed steps fails, then the signature or MAC cannot be
// validated." jose decodes segments with the platform's forgiving base64 decoder (atob, or
// Uint8Array.fromBase64 where present), which skips ASCII whitespace, so the altered token still
// verifies: two different strings pass as the same token.
//
// Reproduces: form/signature-inner-newline (parser-laxity)
//
// Run (after scripts/setup/node.sh): node adapters/jose/repro.mjs
// jose is configured exactly as adapters/jose/adapter.mjs configures it; only jose and Node's
// standard library are used.

import * as jose from 'jose';

const ID = 'form/signature-inner-newline';
const JWKS = JSON.stringify({
  keys: [{
    alg: 'ES256', crv: 'P-256', kid: 'primary', kty: 'EC', use: 'sig',
    x: 'Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE', y: 'opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI',
  }],
});
// A valid token with "\n" inserted inside its signature segment.
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.' +
  'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.' +
  't072FQDotxPJq4G8dWw3aCFZzbzcHWZ2t5b5cvBzxwJbE23ZBIwCNiRbtw7CV3wMEz\nPAa08MELAI6WQSukLDBQ';
const NOW = 1700000000;

try {
  await jose.jwtVerify(new TextEncoder().encode(TOKEN), jose.createLocalJWKSet(JSON.parse(JWKS)), {
    algorithms: ['ES256'], issuer: 'https://issuer.example', audience: ['https://api.example'], typ: 'at+jwt',
    clockTolerance: 0, currentDate: new Date(NOW * 1000),
    requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'],
  });
  console.log(`REPRODUCED ${ID}: jose accepted the token although its signature segment contains a line break`);
  process.exit(0);
} catch (error) {
  console.log(`NOT REPRODUCED ${ID}: jose rejected it: ${error.code ?? error.name}: ${error.message}`);
  process.exit(1);
}
