/* jwt-conformance subprocess adapter for libjwt 1.10 (C), protocol version 3 (docs/adapters.md).
 *
 * One process serves a whole run; the C helper (adapters/c/protocol.c) runs the protocol. libjwt
 * is configured as strictly as its API allows and nothing is checked here: every verdict is
 * libjwt's.
 *
 * Configuration: libjwt 1.10 has one verification call, jwt_decode(&jwt, token, key, key_len),
 * which checks the signature only. It has no JWK support, so the key set's bytes are parsed
 * with jansson and the key picked by the token's kid (read leniently, for selection only), else
 * the first key of the set, as conformance's pick_key (also for a kid-less token under a mixed
 * set); that JWK is converted minimally: an EC (P-256, P-384, P-521) or RSA key to an SPKI PEM
 * with OpenSSL (a JWK OpenSSL refuses is a config error), an oct key to the raw bytes of its k
 * (an HMAC secret); an OKP key has no libjwt form (config error). libjwt cannot pin the algorithm:
 * it takes it from the token's header (HS*, RS* or ES*; under HS* the key bytes, a PEM too, are
 * the HMAC secret: its reproduced forgery, confusion/hs256-pem-no-typ). It validates no claim
 * (exp, nbf, iat, iss, aud, required claims, client_id, nonce), takes no clock and has no typ
 * setting: it refuses any typ other than "JWT" (any case) when typ is a string, so it refuses
 * at+jwt. Its errors are bare errno values (EINVAL for every refusal): no reason is mapped. The
 * claims of an acceptance are jwt_get_grants_json(jwt, NULL), libjwt's decoded payload
 * ("claims": true). A token holding a NUL byte is skipped (jwt_decode takes a C string).
 *
 * Algorithms declared: the nine of jwt_alg_t (HS256/384/512, RS256/384/512, ES256/384/512); libjwt
 * 1.10 has no PS* and no EdDSA. Presets: rfc9068 and jwt (nothing is configured per preset:
 * libjwt has no setting for either); not oidc-id-token (no audience, client id or nonce check).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "../c/protocol.h"

#ifndef LIB_VERSION
#error "build with -DLIB_VERSION=\"<Debian version of libjwt0>\" (scripts/setup/c.sh)"
#endif

/* The JWK whose kid equals the token's, else the first (borrowed), or NULL. */
static json_t *pick_key(json_t *keys, const char *token, size_t token_len)
{
    json_t *header = jc_peek_header(token, token_len), *kid = json_object_get(header, "kid");
    json_t *found = json_array_get(keys, 0), *key;
    size_t i;
    if (json_is_string(kid)) {
        json_array_foreach(keys, i, key) {
            json_t *k = json_object_get(key, "kid");
            if (json_is_string(k) && json_equal(k, kid)) {
                found = key;
                break;
            }
        }
    }
    json_decref(header);
    return found;
}

static const char *openssl_error(char *buf, size_t len)
{
    unsigned long e = ERR_get_error();
    if (!e)
        return "refused";
    ERR_error_string_n(e, buf, len);
    return buf;
}

/* A base64url member of a JWK as a BIGNUM-ready buffer, or NULL. */
static unsigned char *member(json_t *jwk, const char *name, size_t *len)
{
    json_t *v = json_object_get(jwk, name);
    return json_is_string(v) ? jc_base64url_decode(json_string_value(v), json_string_length(v), len)
                             : NULL;
}

/* The EVP_PKEY of an EC or RSA public JWK, or NULL with *why set. */
static EVP_PKEY *jwk_pkey(json_t *jwk, char *why, size_t why_len)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    const char *crv = json_string_value(json_object_get(jwk, "crv"));
    OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
    OSSL_PARAM *params = NULL;
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;
    unsigned char *a = NULL, *b = NULL, *point = NULL;
    BIGNUM *n = NULL, *e = NULL;
    size_t alen = 0, blen = 0;
    const char *type = NULL;
    char ossl[256];

    if (!bld) {
        snprintf(why, why_len, "out of memory");
        goto done;
    }
    if (kty && !strcmp(kty, "EC")) {
        const char *group = !crv                     ? NULL
                            : !strcmp(crv, "P-256") ? "prime256v1"
                            : !strcmp(crv, "P-384") ? "secp384r1"
                            : !strcmp(crv, "P-521") ? "secp521r1"
                                                    : NULL;
        if (!group) {
            snprintf(why, why_len, "EC key with a crv OpenSSL conversion does not know");
            goto done;
        }
        if (!(a = member(jwk, "x", &alen)) || !(b = member(jwk, "y", &blen))) {
            snprintf(why, why_len, "EC key without base64url x and y");
            goto done;
        }
        if (!(point = malloc(1 + alen + blen))) {
            snprintf(why, why_len, "out of memory");
            goto done;
        }
        point[0] = 0x04; /* uncompressed SEC1 point: OpenSSL checks it is on the curve */
        memcpy(point + 1, a, alen);
        memcpy(point + 1 + alen, b, blen);
        if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, 1 + alen + blen)) {
            snprintf(why, why_len, "OpenSSL: %s", openssl_error(ossl, sizeof ossl));
            goto done;
        }
        type = "EC";
    } else if (kty && !strcmp(kty, "RSA")) {
        if (!(a = member(jwk, "n", &alen)) || !(b = member(jwk, "e", &blen))) {
            snprintf(why, why_len, "RSA key without base64url n and e");
            goto done;
        }
        if (!(n = BN_bin2bn(a, (int)alen, NULL)) || !(e = BN_bin2bn(b, (int)blen, NULL)) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
            !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e)) {
            snprintf(why, why_len, "OpenSSL: %s", openssl_error(ossl, sizeof ossl));
            goto done;
        }
        type = "RSA";
    } else {
        snprintf(why, why_len, "key type libjwt 1.10 has no form for (kty not EC, RSA or oct)");
        goto done;
    }
    if (!(params = OSSL_PARAM_BLD_to_param(bld)) || !(ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) ||
        EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
        snprintf(why, why_len, "OpenSSL refused the %s key: %s", type, openssl_error(ossl, sizeof ossl));
        pkey = NULL;
    }
done:
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    OSSL_PARAM_BLD_free(bld);
    BN_free(n);
    BN_free(e);
    free(a);
    free(b);
    free(point);
    return pkey;
}

/* The SPKI PEM (malloc'd, with its final newline) of a public JWK, or NULL with *why set. */
static char *jwk_pem(json_t *jwk, size_t *len, char *why, size_t why_len)
{
    EVP_PKEY *pkey = jwk_pkey(jwk, why, why_len);
    char *pem = NULL, *data, ossl[256];
    BIO *bio;
    if (!pkey)
        return NULL;
    if ((bio = BIO_new(BIO_s_mem())) && PEM_write_bio_PUBKEY(bio, pkey)) {
        long n = BIO_get_mem_data(bio, &data);
        if (n > 0 && (pem = malloc((size_t)n + 1))) {
            memcpy(pem, data, (size_t)n);
            pem[n] = '\0';
            *len = (size_t)n;
        }
    }
    if (!pem)
        snprintf(why, why_len, "OpenSSL could not write the PEM: %s", openssl_error(ossl, sizeof ossl));
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return pem;
}

/* The key bytes libjwt takes for a JWK (malloc'd, *len set): the raw k of an oct key (an HMAC
 * secret), else an SPKI PEM. NULL with *why set. */
static char *jwk_key(json_t *jwk, size_t *len, char *why, size_t why_len)
{
    const char *kty = json_string_value(json_object_get(jwk, "kty"));
    if (kty && !strcmp(kty, "oct")) {
        char *k = (char *)member(jwk, "k", len);
        if (!k)
            snprintf(why, why_len, "oct key without a base64url k");
        return k;
    }
    return jwk_pem(jwk, len, why, why_len);
}

static json_t *verify(const jc_request *req, void *ctx)
{
    (void)ctx;
    json_error_t err;
    char why[512];
    size_t pem_len = 0;
    json_t *set, *answer;
    ERR_clear_error();

    /* Key set: parsed only to pick and convert one key (libjwt has no JWK support). */
    if (!(set = json_loadb(req->jwks, req->jwks_len, 0, &err)))
        return jc_config_errorf(NULL, "key set is not JSON (jansson: %s)", err.text);
    json_t *jwk = pick_key(json_object_get(set, "keys"), req->token, req->token_len);
    if (!json_is_object(jwk)) {
        json_decref(set);
        return jc_config_error("key set has no key object to convert for libjwt", NULL);
    }
    char *pem = jwk_key(jwk, &pem_len, why, sizeof why);
    json_decref(set);
    if (!pem)
        return jc_config_errorf(NULL, "JWK to libjwt key: %s", why);
    if (req->token_has_nul) {
        free(pem);
        return jc_skipped("jwt_decode takes a NUL-terminated string; the token holds a NUL byte");
    }

    jwt_t *jwt = NULL;
    int ret = jwt_decode(&jwt, req->token, (const unsigned char *)pem, (int)pem_len);
    free(pem);
    if (ret) {
        const char *name = strerrorname_np(ret);
        jwt_free(jwt);
        return jc_rejectf(NULL, "jwt_decode: %s (%s)", name ? name : "error", strerror(ret));
    }
    char *grants = jwt_get_grants_json(jwt, NULL);
    json_t *claims = grants ? json_loads(grants, JSON_DECODE_ANY, NULL) : NULL;
    answer = claims ? jc_accept(claims)
                    : jc_accept_note(NULL, "jwt_get_grants_json returned no JSON");
    free(grants);
    jwt_free(jwt);
    return answer;
}

int main(void)
{
    static const char *const notes[] = {
        "jwt_decode with the JWK whose kid matches the token's, else the set's first key: EC and RSA keys as SPKI PEM "
        "(OpenSSL), oct keys as the raw bytes of k, OKP refused (no libjwt form); libjwt 1.10 checks the signature only",
        "no algorithm pinning (the header's alg picks HS*/RS*/ES*; under HS* the key bytes, a PEM too, are the HMAC "
        "secret), no claim validation (exp, iss, aud, required claims, client_id, nonce), no clock; typ must be JWT "
        "when present: at+jwt is refused",
        "algorithms: HS*, RS*, ES* (libjwt 1.10 has no PS* and no EdDSA); presets rfc9068 and jwt, nothing configured "
        "per preset; not oidc-id-token (no audience, client id or nonce check)",
        NULL,
    };
    static const char *const algorithms[] = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512",
                                             "HS256", "HS384", "HS512", NULL};
    static const char *const presets[] = {"rfc9068", "jwt", NULL};
    static const jc_hello hello = {
        .name = "libjwt",
        .library = "libjwt (C)",
        .version = LIB_VERSION,
        .features = NULL,
        .claims = 1,
        .notes = notes,
        .algorithms = algorithms,
        .presets = presets,
    };
    return jc_serve(&hello, verify, NULL);
}
