/* Rhonabwy 1.1 ignores the crit header parameter: a token whose crit lists an extension
 * Rhonabwy does not understand ("http://example.com/ext") is accepted, signature, claims and
 * typ all checked as strictly as its API allows.
 *
 * RFC 7515 §4.1.11: "If any of the listed extension Header Parameters are not understood and
 * supported by the recipient, then the JWS is invalid. … This Header Parameter MUST be
 * understood and processed by implementations." (RFC7515-4.1.11-crit)
 *
 * Reproduces: header/crit-unknown-extension (policy-bypass)
 *
 * Rhonabwy is configured exactly as the jwt-conformance adapter does
 * (adapters/rhonabwy/adapter.c): r_jwks_import_from_json_str; r_jwt_advanced_parsen with
 * R_PARSE_NONE and R_FLAG_IGNORE_REMOTE; r_jwt_verify_signature with the key set (kid lookup
 * by the library); r_jwt_validate_claims with ISS, AUD, EXP = now, IAT = now + 60, SUB, JTI,
 * client_id present and TYP "at+jwt" (the adapter makes one call per claim; the verdict is
 * the same).
 *
 * Run (Debian librhonabwy-dev installed): bash scripts/setup/c.sh && adapters/rhonabwy/bin/repro
 * or: gcc -o repro adapters/rhonabwy/repro.c $(pkg-config --cflags --libs librhonabwy jansson) && ./repro
 */
#include <stdio.h>
#include <string.h>

#include <rhonabwy.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVlLCJr"
    "aWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEi"
    "LCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAx"
    "Iiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4"
    "EnLIRilKJ6HpzMycALTB-8Xj6Kwg";
static const char JWKS[] =
    "{\"keys\":[{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\",\"use\":\"sig\","
    "\"x\":\"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}]}";
static const char ISSUER[] = "https://issuer.example", AUDIENCE[] = "https://api.example", TYP[] = "at+jwt";
static const int NOW = 1700000000, IAT_SKEW = 60;

int main(void)
{
    jwks_t *jwks = NULL;
    jwt_t *jwt = NULL;
    const char *step = "r_global_init";
    int ok = r_global_init() == RHN_OK;
    if (ok && (ok = (r_jwks_init(&jwks) == RHN_OK && r_jwks_import_from_json_str(jwks, JWKS) == RHN_OK)) == 0)
        step = "r_jwks_import_from_json_str";
    if (ok && (ok = (r_jwt_init(&jwt) == RHN_OK &&
                     r_jwt_advanced_parsen(jwt, TOKEN, strlen(TOKEN), R_PARSE_NONE, R_FLAG_IGNORE_REMOTE) == RHN_OK)) == 0)
        step = "r_jwt_advanced_parsen";
    if (ok && (ok = (r_jwt_add_sign_jwks(jwt, NULL, jwks) == RHN_OK &&
                     r_jwt_verify_signature(jwt, NULL, R_FLAG_IGNORE_REMOTE) == RHN_OK)) == 0)
        step = "r_jwt_verify_signature";
    if (ok && (ok = r_jwt_validate_claims(jwt, R_JWT_CLAIM_ISS, ISSUER, R_JWT_CLAIM_AUD, AUDIENCE, R_JWT_CLAIM_EXP, NOW,
                                          R_JWT_CLAIM_IAT, NOW + IAT_SKEW, R_JWT_CLAIM_SUB, NULL, R_JWT_CLAIM_JTI, NULL,
                                          R_JWT_CLAIM_STR, "client_id", NULL, R_JWT_CLAIM_TYP, TYP,
                                          R_JWT_CLAIM_NOP) == RHN_OK) == 0)
        step = "r_jwt_validate_claims";
    if (ok)
        printf("REPRODUCED header/crit-unknown-extension: Rhonabwy accepted a token whose crit lists "
               "\"http://example.com/ext\", an extension it does not understand\n");
    else
        printf("NOT REPRODUCED header/crit-unknown-extension: %s refused the token\n", step);
    r_jwt_free(jwt);
    r_jwks_free(jwks);
    r_global_close();
    return ok ? 0 : 1;
}
