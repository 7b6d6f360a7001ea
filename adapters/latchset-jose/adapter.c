/* jwt-conformance subprocess adapter for José 11 (latchset/jose, C), protocol version 3
 * (docs/adapters.md).
 *
 * One process serves a whole run; the C helper (adapters/c/protocol.c) runs the protocol. José
 * (libjose, Debian libjose0) is a JOSE library on jansson, not a JWT one: it verifies JWS
 * signatures against a JWK or a JWK Set and has no claims API. It is used as strictly as its
 * API allows and nothing is checked here: every verdict is José's.
 *
 * Configuration: libjose takes JWS objects in the JSON serialization only (its compact reader
 * lives in the jose command, cmd/jose.c parse_compact, which the library does not export), so
 * the token's bytes are turned into the flattened object {"protected", "payload", "signature"}
 * exactly as that reader does: each field runs to the next dot (the third to the end, or to a
 * third dot, after which nothing is read), each made only of base64url characters
 * (JOSE_B64_MAP); a token it would not read is rejected with that reason, a token holding a NUL
 * byte is skipped. The key set's bytes are parsed with jansson (José's JSON library,
 * JSON_ALLOW_NUL: the bytes as they are; a parse failure is a config error) and handed to
 * jose_jws_ver(cfg, jws, NULL, set, false) as is: José tries every key of a JWK Set (any one
 * verifying suffices) and ignores kid, so key selection is José's own, for tokens with and
 * without kid. José takes the algorithm from the protected header (jose_jws_ver_io, lib/jws.c)
 * and has no way to pin one: the only algorithm check is against a key's own "alg" member
 * (which José 11 applies as strcmp(header alg, key alg) < 0, so only a header alg sorting before
 * the key's is refused), and its API documents "alg" on a JWK as a hint for signing and key
 * generation, not as a verification allowlist, so the adapter sets none: the key set's keys go
 * to José unchanged. The key's use / key_ops are checked by José (jose_jwk_prm, "verify").
 * José verifies the signature only: no exp, nbf, iat, iss, aud, sub, client_id, jti, nonce or
 * typ check and no clock (the application validates claims itself), so claim vectors fail where
 * a preset expects a check. The claims of an acceptance are jose_b64_dec_load of the payload
 * (José's base64url + JSON decoder; "claims": true); a payload that is not JSON is accepted with
 * null claims and a note. Errors are the messages José reports through jose_cfg's error
 * function (JOSE_CFG_ERR_*); none is mapped to a reason (jose_jws_ver's false covers a bad
 * signature, an unusable key and an unknown algorithm alike, one per key tried).
 *
 * Algorithms declared: the twelve José 11 verifies (ES256/384/512, RS256/384/512, PS256/384/512,
 * HS256/384/512; José 11 has no EdDSA: OKP keys are not usable for signatures). Presets: rfc9068
 * and jwt, nothing configured per preset; not oidc-id-token (no audience, client id or nonce
 * check).
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jose/jose.h>

#include "../c/protocol.h"

#ifndef LIB_VERSION
#error "build with -DLIB_VERSION=\"<Debian version of libjose0>\" (scripts/setup/c.sh)"
#endif

/* The messages José reported for one request, through jose_cfg's error function. */
typedef struct {
    char text[900];
    size_t len;
} errors;

static const char *err_name(uint64_t err)
{
    switch (err) {
    case JOSE_CFG_ERR_JWK_INVALID: return "JOSE_CFG_ERR_JWK_INVALID";
    case JOSE_CFG_ERR_JWK_MISMATCH: return "JOSE_CFG_ERR_JWK_MISMATCH";
    case JOSE_CFG_ERR_JWK_DENIED: return "JOSE_CFG_ERR_JWK_DENIED";
    case JOSE_CFG_ERR_ALG_NOTSUP: return "JOSE_CFG_ERR_ALG_NOTSUP";
    case JOSE_CFG_ERR_ALG_NOINFER: return "JOSE_CFG_ERR_ALG_NOINFER";
    case JOSE_CFG_ERR_JWS_INVALID: return "JOSE_CFG_ERR_JWS_INVALID";
    default: return "error";
    }
}

static void on_error(void *misc, const char *file, int line, uint64_t err, const char *fmt, va_list ap)
{
    errors *e = misc;
    char message[512];
    (void)file;
    (void)line;
    vsnprintf(message, sizeof message, fmt, ap);
    if (e->len < sizeof e->text - 1) {
        int n = snprintf(e->text + e->len, sizeof e->text - e->len, "%s%s: %s", e->len ? "; " : "",
                         err_name(err), message);
        if (n > 0)
            e->len = e->len + (size_t)n < sizeof e->text ? e->len + (size_t)n : sizeof e->text - 1;
    }
}

/* The JWS object José's own compact reader (cmd/jose.c parse_compact with jcmd_jws_fields) makes
 * of the token, or NULL when it would not read it. As there, each field runs to the next dot
 * (the last one to the end when there is no further dot: anything after a third dot is not
 * read), and holds base64url characters only (valid_b64). */
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

static json_t *verify(const jc_request *req, void *ctx)
{
    (void)ctx;
    json_error_t jerr;
    json_t *answer = NULL, *jws = NULL, *set = NULL;
    errors e = {.len = 0};
    e.text[0] = '\0';

    if (req->token_has_nul)
        return jc_skipped("José's compact reader takes a C string; the token holds a NUL byte");
    if (!(set = json_loadb(req->jwks, req->jwks_len, JSON_ALLOW_NUL, &jerr)))
        return jc_config_errorf(NULL, "key set is not JSON (jansson, José's JSON library: %s)", jerr.text);
    if (!(jws = compact_to_json(req->token, req->token_len))) {
        answer = jc_reject("not a compact JWS José's reader takes (three dot-separated base64url fields)", NULL);
        goto done;
    }
    jose_cfg_t *cfg = jose_cfg();
    if (!cfg) {
        answer = jc_adapter_error("jose_cfg failed");
        goto done;
    }
    jose_cfg_set_err_func(cfg, on_error, &e);
    bool ok = jose_jws_ver(cfg, jws, NULL, set, false);
    jose_cfg_decref(cfg);
    if (!ok) {
        answer = e.len ? jc_rejectf(NULL, "jose_jws_ver: false (%s)", e.text) : jc_reject("jose_jws_ver: false", NULL);
        goto done;
    }
    json_t *claims = jose_b64_dec_load(json_object_get(jws, "payload"));
    answer = claims ? jc_accept(claims)
                    : jc_accept_note(NULL, "José verified the JWS; its payload is not base64url JSON (jose_b64_dec_load)");
done:
    json_decref(jws);
    json_decref(set);
    return answer;
}

int main(void)
{
    static const char *const notes[] = {
        "compact token turned into the flattened JWS object as the jose command's reader does (libjose takes JSON "
        "JWS only); key set parsed with jansson and given whole to jose_jws_ver(cfg, jws, NULL, set, false): José "
        "tries every key, ignoring kid",
        "signature only: no exp/nbf/iat/iss/aud/sub/client_id/jti/nonce validation, no clock, no typ check (the "
        "application must validate claims); no algorithm pinning: the header's alg is used, checked only against a "
        "key's own alg member (as strcmp(header, key) < 0 in José 11); the API documents no alg allowlist, so none "
        "is set",
        "algorithms: ES*, RS*, PS*, HS* (José 11 has no EdDSA); presets rfc9068 and jwt, nothing configured per "
        "preset; not oidc-id-token (no audience, client id or nonce check)",
        NULL,
    };
    static const char *const algorithms[] = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256",
                                             "PS384", "PS512", "HS256", "HS384", "HS512", NULL};
    static const char *const presets[] = {"rfc9068", "jwt", NULL};
    static const jc_hello hello = {
        .name = "latchset-jose",
        .library = "José (latchset/jose, C)",
        .version = LIB_VERSION,
        .features = NULL,
        .claims = 1,
        .notes = notes,
        .algorithms = algorithms,
        .presets = presets,
    };
    return jc_serve(&hello, verify, NULL);
}
