/* Rhonabwy 1.1 verifies an ES256 token whose signature was made with a P-384 key over SHA-256: the
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
 * Rhonabwy is configured exactly as the jwt-conformance adapter does (adapters/rhonabwy/adapter.c)
 * for this rfc9068 profile: r_jwks_import_from_json_str; r_jwt_advanced_parsen with R_PARSE_NONE
 * and R_FLAG_IGNORE_REMOTE; r_jwt_verify_signature with the key set (kid lookup by the library);
 * r_jwt_validate_claims with ISS, AUD, EXP = now, IAT = now + 60, SUB, JTI, client_id present and
 * TYP "at+jwt" (the adapter makes one call per claim; the verdict is the same). Rhonabwy has no
 * algorithm setting (the vector's profile: issuer https://issuer.example, audience
 * https://api.example, algorithms [ES256, ES384], now 1700000000).
 *
 * Run (Debian librhonabwy-dev installed): bash scripts/setup/c.sh && adapters/rhonabwy/bin/repro-curve
 * or: gcc -o repro-curve adapters/rhonabwy/repro-curve.c $(pkg-config --cflags --libs librhonabwy jansson) && ./repro-curve
 */
#include <stdio.h>
#include <string.h>

#include <rhonabwy.h>

#define ID "ecdsa/es256-signed-by-p384-key"
#define WHAT "an ES256 token signed by a P-384 key"
#define NOW 1700000000

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

int main(void)
{
    jwks_t *jwks = NULL;
    jwt_t *jwt = NULL;
    int accepted = 0, r = RHN_ERROR;
    const char *stage = "r_global_init";
    if (r_global_init() != RHN_OK)
        goto done;
    stage = "r_jwks_import_from_json_str";
    if (r_jwks_init(&jwks) != RHN_OK || (r = r_jwks_import_from_json_str(jwks, JWKS)) != RHN_OK)
        goto done;
    stage = "r_jwt_advanced_parsen";
    if (r_jwt_init(&jwt) != RHN_OK ||
        (r = r_jwt_advanced_parsen(jwt, TOKEN, strlen(TOKEN), R_PARSE_NONE, R_FLAG_IGNORE_REMOTE)) != RHN_OK)
        goto done;
    stage = "r_jwt_verify_signature";
    if ((r = r_jwt_add_sign_jwks(jwt, NULL, jwks)) != RHN_OK ||
        (r = r_jwt_verify_signature(jwt, NULL, R_FLAG_IGNORE_REMOTE)) != RHN_OK)
        goto done;
    stage = "r_jwt_validate_claims";
    if ((r = r_jwt_validate_claims(jwt, R_JWT_CLAIM_ISS, "https://issuer.example", R_JWT_CLAIM_AUD,
                                   "https://api.example", R_JWT_CLAIM_EXP, NOW, R_JWT_CLAIM_IAT, NOW + 60,
                                   R_JWT_CLAIM_SUB, NULL, R_JWT_CLAIM_JTI, NULL, R_JWT_CLAIM_STR, "client_id",
                                   NULL, R_JWT_CLAIM_TYP, "at+jwt", R_JWT_CLAIM_NOP)) != RHN_OK)
        goto done;
    accepted = 1;
done:
    if (accepted)
        printf("REPRODUCED %s: Rhonabwy verified and validated %s (sub \"%s\")\n", ID, WHAT,
               r_jwt_get_claim_str_value(jwt, "sub"));
    else
        printf("NOT REPRODUCED %s: %s refused it (%d)\n", ID, stage, r);
    r_jwt_free(jwt);
    r_jwks_free(jwks);
    r_global_close();
    return accepted ? 0 : 1;
}
