/* José 11 verifies an RS256 token whose kid names the set's HMAC key with the set's RSA key:
 * jose_jws_ver with a JWK Set tries every key and ignores kid, so the key the token names is not
 * the key that verifies it. Each key must be used with exactly one algorithm, and the kid binds
 * the token to the HMAC key, which cannot verify RS256.
 *
 * RFC 8725 §3.1 (RFC8725-3.1-alg): "each key MUST be used with exactly one algorithm, and this
 * MUST be checked when the cryptographic operation is performed."
 *
 * Reproduces: algorithms/rs256-kid-of-hmac-key (forgery)
 *
 * José is configured exactly as the jwt-conformance adapter does (adapters/latchset-
 * jose/adapter.c): the compact token turned into the flattened JWS object as the jose command's
 * reader does, the key set parsed with jansson and given whole to jose_jws_ver(NULL, jws, NULL,
 * set, false). José verifies signatures only and has no algorithm, issuer, audience, clock or typ
 * setting (the vector's profile: issuer https://issuer.example, audience https://api.example,
 * algorithms [RS256, HS256], now 1700000000).
 *
 * Run (Debian libjose-dev installed): bash scripts/setup/c.sh && adapters/latchset-jose/bin/repro-kid
 * or: gcc -o repro-kid adapters/latchset-jose/repro-kid.c $(pkg-config --cflags --libs jose jansson) && ./repro-kid
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jose/jose.h>

#define ID "algorithms/rs256-kid-of-hmac-key"
#define WHAT "an RS256 token naming the HMAC key's kid, verified with the RSA key"

static const char TOKEN[] =
    "eyJhbGciOiJSUzI1NiIsImtpZCI6ImhtYWMiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.l9O5QbraNAQXYs"
    "2gPq7AVDBm85e7C199Ne147JCy6durtbrH-iNJpQBb3JL05m-m_wFWsvZPMtDk9VYmTjA9i2_gD4v0A7rv2hgNIpYS68ISglyzSl"
    "kA7xX_lg2G-oXRgbek6aeqUjUvmQU1hmex7jC38bnE6pl01SuFpxTCwLipyl1A0VqDOvoKQtnVOg3IFaqIB3E6bTGW8-MurRqnTM"
    "muZRmRIkXjoRf6EZ1pty-R8yIEW_T_GLqNCbgqaov61aeEfvo_Rmf-rdpMqMHIZhfVwkG32xcC9pRE9oHPsFeb_-pGTu4f3ayjWU"
    "gPdHtsX2CMvUgh2ejcJCmGdrfbsw";
static const char JWKS[] =
    "{\"keys\":[{\"e\":\"AQAB\",\"kid\":\"rsa-2048\",\"kty\":\"RSA\",\"n\":\"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2"
    "MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZ"
    "lxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIR"
    "eOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw\",\""
    "use\":\"sig\"},{\"k\":\"qNSagWB5_CV0pNwlEdIgpkpUcXJqYqzIB8Tpgb_Z_SY\",\"kid\":\"hmac\",\"kty\":\"oct\",\"use\":\"sig\"}"
    "]}";

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
