/* cjose 0.6 accepts a nested token whose inner token is unsecured: the outer JWS (cty "JWT",
 * signed by the pinned key) verifies, and cjose never looks at cty or at the payload, which is an
 * inner token with alg "none". A verifier must reject it either way: read as nested (RFC 7519
 * §7.2 step 8), the inner token is an Unsecured JWS; read as flat, the payload is no JSON claims
 * set.
 *
 * RFC 7518 §3.6: "Implementations that support Unsecured JWSs MUST NOT accept such objects as
 * valid unless the application specifies that it is acceptable for a specific object to be not
 * integrity protected." (RFC7518-3.6-none); RFC 7519 §7.2 step 10 (RFC7519-7.2-json).
 *
 * Reproduces: serialization/nested-inner-alg-none (forgery)
 *
 * cjose is configured exactly as the jwt-conformance adapter does (adapters/cjose/adapter.c):
 * cjose_jws_import on the token, cjose_jwk_import of the key set's only JWK (kid "primary"),
 * cjose_jws_verify. cjose verifies signatures only: no issuer, audience, clock, algorithm or
 * content-type setting exists (the vector's profile: issuer https://issuer.example, audience
 * https://api.example, now 1700000000).
 *
 * Run (Debian libcjose-dev installed): bash scripts/setup/c.sh && adapters/cjose/bin/repro
 * or: gcc -o repro adapters/cjose/repro.c $(pkg-config --cflags --libs cjose) && ./repro
 */
#include <stdio.h>
#include <string.h>

#include <cjose/cjose.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImN0eSI6IkpXVCIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.ZXlKaGJHY2lPaUp1YjI1b"
    "Elpd2lkSGx3SWpvaVlYUXJhbmQwSW4wLmV5SmhkV1FpT2lKb2RIUndjem92TDJGd2FTNWxlR0Z0Y0d4bElpd2lZMnhwWlc1MFgyb"
    "GtJam9pWTJ4cFpXNTBMVEVpTENKbGVIQWlPalF4TURJME5EUTRNREFzSW1saGRDSTZNVEF3TURBd01EQXdNQ3dpYVhOeklqb2lhS"
    "FIwY0hNNkx5OXBjM04xWlhJdVpYaGhiWEJzWlNJc0ltcDBhU0k2SW1wMGFTMHdNREF4SWl3aWMzVmlJam9pTURGSVdsa3lTak5MT"
    "kUwMVRqWlFOMUU0VWpsVE1GUXhWaklpZlEu.68v7mAkjX3mtzyDGRmTLYGgiRrVpiscCKjoj5zOT0-QVtJTzecknO8IqS3vOELxT"
    "aZopdnXwAemAcb00EQKC-Q";
static const char JWK[] =
    "{\"alg\":\"ES256\",\"crv\":\"P-256\",\"kid\":\"primary\",\"kty\":\"EC\",\"use\":\"sig\",\"x\":\"Og9O0oqYw6X3WZLhErumXMqF78C"
    "gL9XjmicCJocZZuE\",\"y\":\"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI\"}";

int main(void)
{
    cjose_err err = {0};
    cjose_jwk_t *jwk = cjose_jwk_import(JWK, strlen(JWK), &err);
    cjose_jws_t *jws = jwk ? cjose_jws_import(TOKEN, strlen(TOKEN), &err) : NULL;
    int accepted = jws && cjose_jws_verify(jws, jwk, &err);
    if (accepted)
        printf("REPRODUCED serialization/nested-inner-alg-none: cjose_jws_verify accepted a cty JWT "
               "token whose inner token is unsecured (alg none)\n");
    else
        printf("NOT REPRODUCED serialization/nested-inner-alg-none: cjose refused it (%s)\n",
               err.message ? err.message : "no error message");
    cjose_jws_release(jws);
    cjose_jwk_release(jwk);
    return accepted ? 0 : 1;
}
