/* cjose 0.6 verifies an RS256 token although the application allows RS512 only: cjose 0.6 has no
 * algorithm allowlist, so the header's alg picks the algorithm and any key of a fitting type
 * verifies.
 *
 * RFC 8725 §3.1 (RFC8725-3.1-alg): "Libraries MUST enable the caller to specify a supported set
 * of algorithms and MUST NOT use any other algorithms when performing cryptographic operations."
 *
 * Reproduces: allowlist/rs256-not-in-rs512 (forgery)
 *
 * cjose is configured exactly as the jwt-conformance adapter does (adapters/cjose/adapter.c):
 * cjose_jws_import on the token, cjose_jwk_import of the key set's JWK whose kid matches the
 * token's (else the first), cjose_jws_verify. cjose verifies signatures only: no algorithm,
 * issuer, audience, clock or typ setting exists (the vector's profile: issuer
 * https://issuer.example, audience https://api.example, algorithms [RS512], now 1700000000).
 *
 * Run (Debian libcjose-dev installed): bash scripts/setup/c.sh && adapters/cjose/bin/repro-allowlist
 * or: gcc -o repro-allowlist adapters/cjose/repro-allowlist.c $(pkg-config --cflags --libs cjose jansson) && ./repro-allowlist
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>
#include <jansson.h>

#define ID "allowlist/rs256-not-in-rs512"
#define WHAT "an RS256 token where only RS512 is allowed"

static const char TOKEN[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxl"
    "IiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9p"
    "c3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.nmMnDCEOM"
    "nK43424LWiTFExz-ydD20BPZckyH3sdO8Yz3bOo59HZjAKUZhvT4zbj69EHmzpGszfausf8XPYna6BphhCVY7Ngx-bg1ejBnMPVu"
    "RFJjovOAVaz8kd1VaaK-y9G9mZCnx-BWKadTnyeUmplhvWPjj5sjBUUHP7w5FzFB1frQcZ657BN7P0eLdQVB_Zwy7_krdelW3OpR"
    "LIWlgMmWOgbMOLhq-QZdwBmgm9aW0gg5-_UqWpuRx-1ZnHJHB_XjLxWyCCsnGB7x2omsxak-3nc1AFqwswxUeYMGvzTbOFrtXUzQ"
    "15vTur4rGwbg4lFKPfIqHnmHr2g3J5cMg";
static const char JWKS[] =
    "{\"keys\":[{\"e\":\"AQAB\",\"kid\":\"rsa-2048\",\"kty\":\"RSA\",\"n\":\"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2"
    "MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZ"
    "lxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIR"
    "eOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw\",\""
    "use\":\"sig\"}]}";

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
