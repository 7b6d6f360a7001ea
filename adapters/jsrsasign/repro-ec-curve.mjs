// jsrsasign verifies an ES256 token with a P-384 key.
//
// RFC 7518 §3.4: ES256 is "ECDSA using P-256 and SHA-256"; RFC 8725 §3.1: each key is used
// with exactly one algorithm, and the verifier must check that the key fits the token's alg.
// jsrsasign's KJUR.jws.JWS.verify (src/jws-3.3.js) only checks that the key of an ES* token is
// a KJUR.crypto.ECDSA object; KJUR.crypto.Signature then verifies with the key's own curve and
// the alg's hash, so an ES256 token signed with a P-384 key (over SHA-256) verifies: the
// token's alg does not bind the curve, and a P-384 key trusted for ES384 also vouches for ES256
// tokens.
//
// Reproduces: ecdsa/es256-signed-by-p384-key (forgery)
//
// Run (after scripts/setup/node.sh): node adapters/jsrsasign/repro-ec-curve.mjs
// jsrsasign 11.1.5 is configured exactly as adapters/jsrsasign/adapter.mjs configures it for
// this vector (the key with the token's kid through KEYUTIL.getKey, KJUR.jws.JWS.verifyJWT with
// the profile's algorithms, issuer, audiences, verifyAt and gracePeriod); only jsrsasign and
// Node's standard library are used. No stricter setting exists: verifyJWT's acceptField takes
// alg, iss, sub, aud, jti, verifyAt and gracePeriod, none of which bears on the signature check,
// and jsrsasign has no other JWT verification entry point.

import rs from 'jsrsasign';

const { KJUR, KEYUTIL } = rs;
const ID = 'ecdsa/es256-signed-by-p384-key';
const JWK = {
  "crv": "P-384",
  "kid": "p384",
  "kty": "EC",
  "use": "sig",
  "x": "L7sEUkkF-LfDYiaMeKV6kzFD7oBQ0ti2LVUPxjhIz_-4-bQHzRPIfnR2RA8o0x5k",
  "y": "Mz9ugU5C1rbjCMja3boHI2sceo1S0gTT7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al"
};
const TOKEN =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY' +
  '2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z' +
  'XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.N30x3JTCnci3wq' +
  'aq4oLiNFeCpUTyiKqd5Z-XiC50OdAppf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWaf9IZOkc_pw-KO3' +
  'OktxWh8yTubw4u';
const ACCEPT = {"alg": ["ES256", "ES384"], "verifyAt": 1700000000, "gracePeriod": 0, "iss": ["https://issuer.example"], "aud": ["https://api.example"]};

if (KJUR.jws.JWS.verifyJWT(TOKEN, KEYUTIL.getKey(JWK), ACCEPT)) {
  console.log(`REPRODUCED ${ID}: jsrsasign accepted an ES256 token signed with the P-384 key (the curve of the key is not checked against the alg)`);
  process.exit(0);
}
console.log(`NOT REPRODUCED ${ID}: jsrsasign rejected the token`);
process.exit(1);
