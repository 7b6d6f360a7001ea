/* jwt-conformance subprocess adapter for Rhonabwy 1.1 (C), protocol version 2 (docs/adapters.md).
 *
 * One process serves a whole run; the C helper (adapters/c/protocol.c) runs the protocol.
 * Rhonabwy is configured as strictly as its API allows and nothing is checked here: every
 * verdict is Rhonabwy's.
 *
 * Configuration: r_jwks_import_from_json_str on the key set's exact bytes (its refusal is a
 * config error); r_jwt_advanced_parsen with parse flags R_PARSE_NONE (no unsigned tokens, and
 * no key taken from the header's jwk, jku, x5c or x5u: r_jwt_parse's default,
 * R_PARSE_HEADER_ALL, would trust them) and R_FLAG_IGNORE_REMOTE (nothing is ever fetched);
 * r_jwt_add_sign_jwks with the key set, then r_jwt_verify_signature with no key, so that
 * Rhonabwy looks the key up by kid itself (a token without kid gets the set's only key). Then
 * r_jwt_validate_claims, one claim per call in this order so that a refusal names its claim:
 * ISS = the profile's issuer, AUD = its audience, EXP = now - leeway, IAT = now + iat skew,
 * SUB and JTI present (non-empty strings), STR client_id present, TYP = the profile's typ. EXP
 * and IAT take the vector's now as a plain int (clock injection). Rhonabwy cannot pin the
 * algorithm (the header's alg is used if the key type fits), compares typ and aud as exact
 * strings (one audience: profiles with several are skipped; an aud array never matches), has
 * no lifetime bound, and its NBF check also requires nbf to be present, so nbf is not checked.
 * Rejections are mapped to reasons only where the code is unambiguous: a refused claim (iss,
 * sub, jti, client_id, typ), a kid the library's own lookup does not find, an ES256 signature
 * that does not verify under an EC key. The claims of an acceptance are
 * r_jwt_get_full_claims_json_t, Rhonabwy's decoded payload ("claims": true).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rhonabwy.h>

#include "../c/protocol.h"

#ifndef LIB_VERSION
#error "build with -DLIB_VERSION=\"<Debian version of librhonabwy>\" (scripts/setup/c.sh)"
#endif

static const char *code_name(int code)
{
    switch (code) {
    case RHN_OK: return "RHN_OK";
    case RHN_ERROR: return "RHN_ERROR";
    case RHN_ERROR_MEMORY: return "RHN_ERROR_MEMORY";
    case RHN_ERROR_PARAM: return "RHN_ERROR_PARAM";
    case RHN_ERROR_UNSUPPORTED: return "RHN_ERROR_UNSUPPORTED";
    case RHN_ERROR_INVALID: return "RHN_ERROR_INVALID";
    default: return "unknown error code";
    }
}

/* The reason of a failed r_jwt_verify_signature, when the code path is unambiguous. */
static const char *signature_reason(jwt_t *jwt, jwks_t *jwks, int code)
{
    const char *kid = r_jwt_get_sig_kid(jwt), *reason = NULL;
    if (code != RHN_ERROR_INVALID)
        return NULL;
    jwk_t *key = kid ? r_jwks_get_by_kid(jwks, kid) : r_jwks_size(jwks) == 1 ? r_jwks_get_at(jwks, 0) : NULL;
    if (!key)
        reason = "kid_unknown"; /* the library's own lookup found no key */
    else if (r_jwt_get_sign_alg(jwt) == R_JWA_ALG_ES256 && (r_jwk_key_type(key, NULL, R_FLAG_IGNORE_REMOTE) & R_KEY_TYPE_EC))
        reason = "signature_invalid"; /* only the ECDSA check returns RHN_ERROR_INVALID here */
    r_jwk_free(key);
    return reason;
}

static json_t *validate(jwt_t *jwt, const jc_request *req)
{
    json_int_t now = req->now, leeway = jc_profile_int(req, "leeway_secs", 0);
    json_int_t exp_at = now - leeway, iat_at = now + jc_profile_int(req, "iat_skew_secs", 60);
    const char *iss = jc_profile_str(req, "issuer"), *aud = jc_profile_str_at(req, "audiences", 0);
    const char *typ = jc_profile_str(req, "typ");
    int r;
    /* EXP and IAT take an int > 0; R_JWT_CLAIM_NOW (-1) would read the system clock. */
    if (exp_at <= 0 || exp_at > INT_MAX || iat_at <= 0 || iat_at > INT_MAX)
        return jc_skipped("Rhonabwy takes the validation time as a positive int; this one does not fit");
    if (!iss || !aud || !typ)
        return jc_adapter_error("profile without issuer, audience or typ");
#define CHECK(reason, label, ...)                                                               \
    if ((r = r_jwt_validate_claims(jwt, __VA_ARGS__, R_JWT_CLAIM_NOP)) != RHN_OK)               \
        return jc_rejectf(reason, "r_jwt_validate_claims(%s): %s", label, code_name(r));
    CHECK("iss_mismatch", "R_JWT_CLAIM_ISS", R_JWT_CLAIM_ISS, iss)
    CHECK(NULL, "R_JWT_CLAIM_AUD", R_JWT_CLAIM_AUD, aud)
    CHECK(NULL, "R_JWT_CLAIM_EXP", R_JWT_CLAIM_EXP, (int)exp_at)
    CHECK(NULL, "R_JWT_CLAIM_IAT", R_JWT_CLAIM_IAT, (int)iat_at)
    CHECK("sub_missing", "R_JWT_CLAIM_SUB", R_JWT_CLAIM_SUB, NULL)
    CHECK("jti_missing", "R_JWT_CLAIM_JTI", R_JWT_CLAIM_JTI, NULL)
    CHECK("client_id_missing", "R_JWT_CLAIM_STR client_id", R_JWT_CLAIM_STR, "client_id", NULL)
    CHECK("typ_mismatch", "R_JWT_CLAIM_TYP", R_JWT_CLAIM_TYP, typ)
#undef CHECK
    return NULL;
}

static json_t *verify(const jc_request *req, void *ctx)
{
    (void)ctx;
    jwks_t *jwks = NULL;
    jwt_t *jwt = NULL;
    json_t *answer = NULL;
    int r;

    if (req->jwks_has_nul)
        return jc_skipped("r_jwks_import_from_json_str takes a C string; the key set holds a NUL byte");
    if (r_jwks_init(&jwks) != RHN_OK)
        return jc_adapter_error("r_jwks_init failed");
    if ((r = r_jwks_import_from_json_str(jwks, req->jwks)) != RHN_OK) {
        answer = jc_config_errorf(NULL, "r_jwks_import_from_json_str: %s", code_name(r));
        goto done;
    }
    if (jc_profile_len(req, "audiences") != 1) {
        answer = jc_skipped("R_JWT_CLAIM_AUD takes one audience; the profile has several");
        goto done;
    }
    if (r_jwt_init(&jwt) != RHN_OK) {
        answer = jc_adapter_error("r_jwt_init failed");
        goto done;
    }
    if ((r = r_jwt_advanced_parsen(jwt, req->token, req->token_len, R_PARSE_NONE, R_FLAG_IGNORE_REMOTE)) != RHN_OK) {
        answer = jc_rejectf(NULL, "r_jwt_advanced_parsen: %s", code_name(r));
        goto done;
    }
    if ((r = r_jwt_add_sign_jwks(jwt, NULL, jwks)) != RHN_OK) {
        answer = jc_rejectf(NULL, "r_jwt_add_sign_jwks: %s", code_name(r));
        goto done;
    }
    if ((r = r_jwt_verify_signature(jwt, NULL, R_FLAG_IGNORE_REMOTE)) != RHN_OK) {
        answer = jc_rejectf(signature_reason(jwt, jwks, r), "r_jwt_verify_signature: %s", code_name(r));
        goto done;
    }
    if ((answer = validate(jwt, req)))
        goto done;
    json_t *claims = r_jwt_get_full_claims_json_t(jwt);
    answer = claims ? jc_accept(claims) : jc_accept_note(NULL, "r_jwt_get_full_claims_json_t returned NULL");
done:
    r_jwt_free(jwt);
    r_jwks_free(jwks);
    return answer;
}

int main(void)
{
    static const char *const features[] = {"clock", "jwks_parsing", "typ", NULL};
    static const char *const notes[] = {
        "r_jwks_import_from_json_str; r_jwt_advanced_parsen(R_PARSE_NONE, R_FLAG_IGNORE_REMOTE); r_jwt_verify_signature "
        "with the set (kid lookup by the library); r_jwt_validate_claims ISS, AUD, EXP = now - leeway, IAT = now + iat "
        "skew, SUB, JTI, client_id present, TYP = profile typ",
        "no algorithm pinning; aud and typ compared as exact strings (one audience: an aud array never matches, "
        "profiles with several are skipped); NBF would require nbf, so nbf is unchecked; no lifetime bound",
        NULL,
    };
    static const jc_hello hello = {
        .name = "rhonabwy",
        .library = "Rhonabwy (C)",
        .version = LIB_VERSION,
        .features = features,
        .claims = 1,
        .notes = notes,
    };
    if (r_global_init() != RHN_OK) {
        fprintf(stderr, "rhonabwy: r_global_init failed\n");
        return 1;
    }
    int status = jc_serve(&hello, verify, NULL);
    r_global_close();
    return status;
}
