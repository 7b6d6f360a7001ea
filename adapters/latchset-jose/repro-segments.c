/* José 11's compact reader (the jose command's parse_compact, cmd/jose.c; libjose itself takes
 * JSON JWS only) stops the signature field at a third dot and never reads what follows, so a
 * string of four segments verifies as the first three. A compact JWS has exactly three.
 *
 * RFC 7515 §7.1 (RFC7515-3-compact): the JWS Compact Serialization is three base64url parts
 * separated by two periods; RFC 7515 §5.2 (RFC7515-5.2-signature).
 *
 * Reproduces: form/segments-4 (forgery)
 *
 * José is configured exactly as the jwt-conformance adapter does (adapters/latchset-
 * jose/adapter.c): the compact token turned into the flattened JWS object as the jose command's
 * reader does, the key set parsed with jansson and given whole to jose_jws_ver(NULL, jws, NULL,
 * set, false). José verifies signatures only and has no algorithm, issuer, audience, clock or typ
 * setting (the vector's profile: issuer https://issuer.example, audience https://api.example,
 * algorithms [ES256], now 1700000000).
 *
 * Run (Debian libjose-dev installed): bash scripts/setup/c.sh && adapters/latchset-jose/bin/repro-segments
 * or: gcc -o repro-segments adapters/latchset-jose/repro-segments.c $(pkg-config --cflags --libs jose jansson) && ./repro-segments
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jose/jose.h>

#define ID "form/segments-4"
#define WHAT "a genuine token with a fourth segment appended"

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlI"
    "iwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc"
    "3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.t072FQDotx"
    "PJq4G8dWw3aCFZzbzcHWZ2t5b5cvBzxwJbE23ZBIwCNiRbtw7CV3wMEzPAa08MELAI6WQSukLDBQ.eyJhbGciOiJFUzI1NiIsImt"
    "pZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ";
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
