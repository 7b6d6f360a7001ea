/* jwt-conformance subprocess adapter for Rhonabwy 1.1 (C), protocol version 3 (docs/adapters.md).
 *
 * One process serves a whole run; the C helper (adapters/c/protocol.c) runs the protocol.
 * Rhonabwy is configured as strictly as its API allows and nothing is checked here: every
 * verdict is Rhonabwy's.
 *
 * Configuration: r_jwks_import_from_json_str on the key set's exact bytes (its refusal is a
 * config error; it takes EC, RSA, OKP Ed25519 and oct keys); r_jwt_advanced_parsen with parse
 * flags R_PARSE_NONE (no unsigned tokens, and no key taken from the header's jwk, jku, x5c or
 * x5u: r_jwt_parse's default, R_PARSE_HEADER_ALL, would trust them) and R_FLAG_IGNORE_REMOTE
 * (nothing is ever fetched); r_jwt_add_sign_jwks with the key set, then r_jwt_verify_signature
 * with no key, so that Rhonabwy looks the key up by kid itself (a token without kid, under any
 * preset, gets the set's only key). Then r_jwt_validate_claims, one claim per call in this order
 * so that a refusal names its claim, from the profile (docs/adapters.md, "Profiles and keys of
 * schema 3"; required claims from jc_required_claims: the profile's required_claims, else the
 * preset's default):
 *   ISS = the profile's issuer (or ISS NULL, presence, when there is no issuer but iss is
 *   required); AUD = the one audience: oidc-id-token's client_id, else the profile's only
 *   audience (AUD NULL, presence, when there is none but aud is required; profiles with several
 *   audiences are skipped); EXP = now - leeway, IAT = now + iat skew, NBF = now + leeway, each
 *   only when the profile requires that claim (Rhonabwy's EXP, IAT and NBF also refuse a token
 *   without the claim: it cannot check a time claim only when present); SUB and JTI present
 *   when required (non-empty strings); client_id present (STR, a string) when required; any
 *   other required claim present (JSN with no value); oidc-id-token's nonce, when not null, STR
 *   nonce = it; TYP = the profile's typ when it is a string (none when null).
 * EXP, IAT and NBF take the vector's now as a plain int (clock injection). Rhonabwy cannot pin
 * the algorithm (the header's alg is used if the key type fits), compares typ and aud as exact
 * strings (one audience: an aud array never matches), has no lifetime bound and no azp check.
 * Rejections are mapped to reasons only where the code is unambiguous: a refused claim (iss,
 * sub, jti, client_id, other required claims as claim_missing, nonce, typ), a kid the library's
 * own lookup does not find, an ES256 signature that does not verify under an EC key. The claims
 * of an acceptance are r_jwt_get_full_claims_json_t, Rhonabwy's decoded payload ("claims": true).
 *
 * Algorithms declared: all thirteen (Rhonabwy 1.1 verifies ES256/384/512, RS*, PS*, EdDSA with
 * Ed25519, HS*). Presets: rfc9068, jwt and oidc-id-token (configured as above).
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
    if (!key && kid)
        reason = "kid_unknown"; /* the library's own lookup found no key for the kid */
    else if (key && r_jwt_get_sign_alg(jwt) == R_JWA_ALG_ES256 && (r_jwk_key_type(key, NULL, R_FLAG_IGNORE_REMOTE) & R_KEY_TYPE_EC))
        reason = "signature_invalid"; /* only the ECDSA check returns RHN_ERROR_INVALID here */
    r_jwk_free(key);
    return reason;
}

/* The one audience R_JWT_CLAIM_AUD compares with: oidc-id-token's client_id, else the profile's
 * only audience; NULL when there is none. *several is set when the profile has more than one. */
static const char *audience(const jc_request *req, int *several)
{
    const char *client_id = jc_profile_str(req, "client_id");
    *several = 0;
    if (!strcmp(jc_preset(req), "oidc-id-token") && client_id)
        return client_id;
    if (jc_profile_len(req, "audiences") > 1)
        *several = 1;
    return jc_profile_str_at(req, "audiences", 0);
}

static json_t *validate(jwt_t *jwt, const jc_request *req)
{
    json_int_t now = req->now, leeway = jc_profile_int(req, "leeway_secs", 0);
    json_int_t exp_at = now - leeway, iat_at = now + jc_profile_int(req, "iat_skew_secs", 60), nbf_at = now + leeway;
    const char *iss = jc_profile_str(req, "issuer"), *typ = jc_profile_str(req, "typ");
    const char *nonce = jc_profile_str(req, "nonce");
    int several, r;
    const char *aud = audience(req, &several);
    json_t *required = jc_required_claims(req->profile), *claim;
    json_t *answer = NULL;
    size_t i;
    if (!required)
        return jc_adapter_error("out of memory");
    /* EXP, NBF and IAT take an int > 0; R_JWT_CLAIM_NOW (-1) would read the system clock. */
    if (exp_at <= 0 || exp_at > INT_MAX || iat_at <= 0 || iat_at > INT_MAX || nbf_at <= 0 || nbf_at > INT_MAX) {
        json_decref(required);
        return jc_skipped("Rhonabwy takes the validation time as a positive int; this one does not fit");
    }
#define REQUIRED(name) jc_claim_required(req->profile, name)
#define CHECK(reason, label, ...)                                                                   \
    if ((r = r_jwt_validate_claims(jwt, __VA_ARGS__, R_JWT_CLAIM_NOP)) != RHN_OK) {                 \
        answer = jc_rejectf(reason, "r_jwt_validate_claims(%s): %s", label, code_name(r));          \
        goto done;                                                                                  \
    }
    /* ISS with a value compares it (and so requires iss); with NULL it requires iss only. */
    if (iss || REQUIRED("iss"))
        CHECK("iss_mismatch", "R_JWT_CLAIM_ISS", R_JWT_CLAIM_ISS, iss)
    /* AUD compares one string (an aud array never matches); NULL requires a string aud. */
    if (several) {
        answer = jc_skipped("R_JWT_CLAIM_AUD takes one audience; the profile has several");
        goto done;
    }
    if (aud || REQUIRED("aud"))
        CHECK(NULL, "R_JWT_CLAIM_AUD", R_JWT_CLAIM_AUD, aud)
    /* EXP, IAT and NBF refuse a token without the claim: they run when the profile requires it
     * (Rhonabwy has no "check if present"). */
    if (REQUIRED("exp"))
        CHECK(NULL, "R_JWT_CLAIM_EXP", R_JWT_CLAIM_EXP, (int)exp_at)
    if (REQUIRED("iat"))
        CHECK(NULL, "R_JWT_CLAIM_IAT", R_JWT_CLAIM_IAT, (int)iat_at)
    if (REQUIRED("nbf"))
        CHECK(NULL, "R_JWT_CLAIM_NBF", R_JWT_CLAIM_NBF, (int)nbf_at)
    if (REQUIRED("sub"))
        CHECK("sub_missing", "R_JWT_CLAIM_SUB", R_JWT_CLAIM_SUB, NULL)
    if (REQUIRED("jti"))
        CHECK("jti_missing", "R_JWT_CLAIM_JTI", R_JWT_CLAIM_JTI, NULL)
    /* Any other required claim: R_JWT_CLAIM_JSN with no value requires its presence. */
    json_array_foreach(required, i, claim) {
        const char *name = json_string_value(claim);
        static const char *const done_above[] = {"iss", "aud", "exp", "iat", "nbf", "sub", "jti", NULL};
        int above = 0;
        for (const char *const *d = done_above; *d; d++)
            above |= !strcmp(*d, name);
        if (!above && !strcmp(name, "client_id")) { /* a string claim: STR with no value requires it */
            CHECK("client_id_missing", "R_JWT_CLAIM_STR client_id", R_JWT_CLAIM_STR, "client_id", NULL)
        } else if (!above) {
            CHECK(jc_missing_claim_reason(name) ? jc_missing_claim_reason(name) : "claim_missing", name,
                  R_JWT_CLAIM_JSN, name, NULL)
        }
    }
    if (nonce && !strcmp(jc_preset(req), "oidc-id-token"))
        CHECK("nonce_mismatch", "R_JWT_CLAIM_STR nonce", R_JWT_CLAIM_STR, "nonce", nonce)
    if (typ)
        CHECK("typ_mismatch", "R_JWT_CLAIM_TYP", R_JWT_CLAIM_TYP, typ)
#undef CHECK
#undef REQUIRED
done:
    json_decref(required);
    return answer;
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
        "with the set (kid lookup by the library; a kid-less token gets the set's only key); r_jwt_validate_claims ISS = "
        "issuer, AUD = oidc client_id or the one audience, then per required claim: EXP = now - leeway, IAT = now + iat "
        "skew, NBF = now + leeway, SUB, JTI, client_id, others present; oidc nonce (STR); TYP = profile typ when set",
        "no algorithm pinning; aud and typ compared as exact strings (one audience: an aud array never matches, "
        "profiles with several are skipped); EXP/IAT/NBF also require their claim, so they run only when the profile "
        "requires it; no lifetime bound, no azp check",
        "algorithms: all 13 (ES*, RS*, PS*, EdDSA, HS*); presets rfc9068, jwt, oidc-id-token",
        NULL,
    };
    static const char *const algorithms[] = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384",
                                             "PS512", "EdDSA", "HS256", "HS384", "HS512", NULL};
    static const char *const presets[] = {"rfc9068", "jwt", "oidc-id-token", NULL};
    static const jc_hello hello = {
        .name = "rhonabwy",
        .library = "Rhonabwy (C)",
        .version = LIB_VERSION,
        .features = features,
        .claims = 1,
        .notes = notes,
        .algorithms = algorithms,
        .presets = presets,
    };
    if (r_global_init() != RHN_OK) {
        fprintf(stderr, "rhonabwy: r_global_init failed\n");
        return 1;
    }
    int status = jc_serve(&hello, verify, NULL);
    r_global_close();
    return status;
}
