// jsrsasign accepts an ES512 signature of 130 octets instead of 132.
//
// RFC 7518 §3.4: the ES512 signature is R and S each as a 66-octet big-endian integer, 132
// octets in all; "The JWS Signature value MUST be rejected" otherwise (a 64-octet rule for ES256
// and its siblings). jsrsasign's KJUR.crypto.ECDSA.concatSigToASN1Sig (src/ecdsa-modified-1.0.js)
// checks only that the hex length is a multiple of 4, then splits it in halves: this token's
// signature is the genuine r and s in 65 octets each (their leading zero octets dropped), and it
// verifies, so one signed token has several byte forms.
//
// Reproduces: ecdsa/es512-sig-130-octets (forgery)
//
// Run (after scripts/setup/node.sh): node adapters/jsrsasign/repro-es512-short.mjs
// jsrsasign 11.1.5 is configured exactly as adapters/jsrsasign/adapter.mjs configures it for
// this vector (the key with the token's kid through KEYUTIL.getKey, KJUR.jws.JWS.verifyJWT with
// the profile's algorithms, issuer, audiences, verifyAt and gracePeriod); only jsrsasign and
// Node's standard library are used. No stricter setting exists: verifyJWT's acceptField takes
// alg, iss, sub, aud, jti, verifyAt and gracePeriod, none of which bears on the signature check,
// and jsrsasign has no other JWT verification entry point.

import rs from 'jsrsasign';

const { KJUR, KEYUTIL } = rs;
const ID = 'ecdsa/es512-sig-130-octets';
const JWK = {
  "alg": "ES512",
  "crv": "P-521",
  "kid": "p521",
  "kty": "EC",
  "use": "sig",
  "x": "AQBWDia6cnF2VfA3xO8kmEFSN8LysA0SPzi1S7U6eN9fiMJaCdGyXvw_kHcJ-cAIyuwVIBEB1UgoOzUkFjJ289o1",
  "y": "AFcPFqZ56uio-PflDhAFXLWkaNCXs8emPSdxKQoB5Y0KptCFiZKbFt6GEc0gBlxHtuwr_1hJSsH-1B-fyFVEgBj2"
};
const TOKEN =
  'eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY' +
  '2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z' +
  'XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxLTIiLCJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.9vA-zkz2FEhB' +
  'r-DSPAv_jWsSr3UfMEHQ1cv5OIcuBCdml4xoL1QrX2FAHWX6EWjtiWqRvk-I3VzKwSE40lHtg67BoFHPD92vrOxwTD8r1_37ajQ4' +
  'o0E9NR78p-iIa7ZvCIa0VgFGH9q-VPGWIbTY0FLE8pPRRWsNUC80CljMe0n7oQ';
const ACCEPT = {"alg": ["ES512"], "verifyAt": 1700000000, "gracePeriod": 0, "iss": ["https://issuer.example"], "aud": ["https://api.example"]};

if (KJUR.jws.JWS.verifyJWT(TOKEN, KEYUTIL.getKey(JWK), ACCEPT)) {
  console.log(`REPRODUCED ${ID}: jsrsasign accepted an ES512 signature of 130 octets (r and s in 65 octets each), which RFC 7518 §3.4 requires to be 132`);
  process.exit(0);
}
console.log(`NOT REPRODUCED ${ID}: jsrsasign rejected the token`);
process.exit(1);
