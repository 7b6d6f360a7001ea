/* José 11 verifies an RS256 token although the application allows RS512 only: José 11 has no
 * algorithm allowlist, so the header's alg picks the algorithm and any key of a fitting type
 * verifies.
 *
 * RFC 8725 §3.1 (RFC8725-3.1-alg): "Libraries MUST enable the caller to specify a supported set
 * of algorithms and MUST NOT use any other algorithms when performing cryptographic operations."
 * José's only algorithm check compares the header's alg with the key's own "alg" member, and
 * José 11 applies it as strcmp(header alg, key alg) < 0 (lib/jws.c), so even a key's alg only
 * refuses header algorithms that sort before it.
 *
 * Reproduces: allowlist/rs256-not-in-rs512 (forgery)
 *
 * José is configured exactly as the jwt-conformance adapter does (adapters/latchset-
 * jose/adapter.c): the compact token turned into the flattened JWS object as the jose command's
 * reader does, the key set parsed with jansson and given whole to jose_jws_ver(NULL, jws, NULL,
 * set, false). José verifies signatures only and has no algorithm, issuer, audience, clock or typ
 * setting (the vector's profile: issuer https://issuer.example, audience https://api.example,
 * algorithms [RS512], now 1700000000).
 *
 * Run (Debian libjose-dev installed): bash scripts/setup/c.sh && adapters/latchset-jose/bin/repro-allowlist
 * or: gcc -o repro-allowlist adapters/latchset-jose/repro-allowlist.c $(pkg-config --cflags --libs jose jansson) && ./repro-allowlist
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jose/jose.h>

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

/* The flattened JWS object José's compact reader (cmd/jose.c parse_compact) makes of a token,
 * exactly as the adapter builds it (libjose takes JSON JWS objects only). */
static json_t *compact_to_json(const char *token, size_t len)
{
    static const char *const fields[] = {"protected", "payload", "signature"};
    json_t *jws = json_object();
    size_t i = 0;
    for (size_t j = 0; j < 3 && jws; j++) {
        const char *dot = i < len ? memchr(token + i, '.', len - i) : NULL;
        size_t n = dot ? (size_t)(dot - (token + i)) : i < len ? len - i : 0;
        if (!dot && j < 2)
            goto refused;
        for (size_t k = 0; k < n; k++)
            if (!strchr(JOSE_B64_MAP, token[i + k]))
                goto refused;
        if (json_object_set_new(jws, fields[j], json_stringn(token + i, n)) < 0)
            goto refused;
        i += n + 1;
    }
    return jws;
refused:
    json_decref(jws);
    return NULL;
}

int main(void)
{
    json_t *set = json_loads(JWKS, JSON_ALLOW_NUL, NULL);
    json_t *jws = compact_to_json(TOKEN, strlen(TOKEN));
    bool accepted = set && jws && jose_jws_ver(NULL, jws, NULL, set, false);
    json_t *claims = accepted ? jose_b64_dec_load(json_object_get(jws, "payload")) : NULL;
    const char *sub = json_string_value(json_object_get(claims, "sub"));
    if (accepted)
        printf("REPRODUCED %s: jose_jws_ver accepted %s (sub \"%s\")\n", ID, WHAT, sub ? sub : "?");
    else
        printf("NOT REPRODUCED %s: jose_jws_ver refused the token\n", ID);
    json_decref(claims);
    json_decref(jws);
    json_decref(set);
    return accepted ? 0 : 1;
}
