/* jwt-conformance subprocess adapter for cjose 0.6 (C), protocol version 3 (docs/adapters.md).
 *
 * One process serves a whole run; the C helper (adapters/c/protocol.c) runs the protocol. cjose
 * is a JOSE library, not a JWT one: it verifies JWS signatures only. It is used as strictly as
 * its API allows and nothing is checked here: every verdict is cjose's.
 *
 * Configuration: cjose_jws_import on the token's exact bytes; the token's kid read with cjose's
 * own header parser (cjose_jws_get_protected, cjose_header_get); cjose has no key-set type, so
 * the key set's bytes are parsed with jansson (cjose's own JSON library) and the JWK whose kid
 * matches is picked, else the set's first key (also for a kid-less token under a mixed set), as
 * conformance's pick_key, and imported with cjose_jwk_import (EC P-256/P-384/P-521, RSA and oct
 * keys; its refusal, e.g. of an OKP key, is a config error); then cjose_jws_verify. cjose cannot pin the
 * algorithm (the header's alg is used when the key type fits), validates no claim (it never
 * parses the payload: cjose_jws_get_plaintext hands back bytes), takes no clock and has no typ
 * check. Accept answers carry null claims ("claims": false): cjose has no claims. Errors are
 * cjose_err codes; none is mapped to a reason (CJOSE_ERR_CRYPTO covers a bad signature and an
 * unknown algorithm alike).
 *
 * Algorithms declared: the twelve cjose 0.6 verifies (ES256/384/512, RS256/384/512,
 * PS256/384/512, HS256/384/512; cjose 0.6 has no EdDSA and no OKP keys). Presets: rfc9068 and jwt,
 * nothing configured per preset (a JWS library has no claim settings); not oidc-id-token (no
 * audience, client id or nonce check: cjose never reads the claims).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjose/cjose.h>

#include "../c/protocol.h"

/* The JWK whose kid equals kid, else the first (borrowed), or NULL. */
static json_t *pick_key(json_t *keys, const char *kid)
{
    json_t *key;
    size_t i;
    if (kid) {
        json_array_foreach(keys, i, key) {
            const char *k = json_string_value(json_object_get(key, "kid"));
            if (k && !strcmp(k, kid))
                return key;
        }
    }
    return json_array_get(keys, 0);
}

static json_t *cjose_failure(int config, const char *call, const cjose_err *err)
{
    const char *message = err->message ? err->message : cjose_err_message(err->code);
    const char *where = err->function ? err->function : "?";
    return config ? jc_config_errorf(NULL, "%s: %s (in %s)", call, message, where)
                  : jc_rejectf(NULL, "%s: %s (in %s)", call, message, where);
}

static json_t *verify(const jc_request *req, void *ctx)
{
    (void)ctx;
    cjose_err err = {0};
    json_error_t jerr;
    json_t *set = NULL, *answer = NULL;
    cjose_jwk_t *jwk = NULL;
    char *key_json = NULL;
    uint8_t *plaintext = NULL;
    size_t plaintext_len = 0;

    cjose_jws_t *jws = cjose_jws_import(req->token, req->token_len, &err);
    if (!jws)
        return cjose_failure(0, "cjose_jws_import", &err);
    cjose_err kid_err = {0};
    const char *kid = cjose_header_get(cjose_jws_get_protected(jws), "kid", &kid_err);

    if (!(set = json_loadb(req->jwks, req->jwks_len, 0, &jerr))) {
        answer = jc_config_errorf(NULL, "key set is not JSON (jansson: %s)", jerr.text);
        goto done;
    }
    json_t *key = pick_key(json_object_get(set, "keys"), kid);
    if (!json_is_object(key)) {
        answer = jc_config_error("key set has no key object to import", NULL);
        goto done;
    }
    if (!(key_json = json_dumps(key, JSON_COMPACT))) {
        answer = jc_adapter_error("cannot serialize the JWK");
        goto done;
    }
    if (!(jwk = cjose_jwk_import(key_json, strlen(key_json), &err))) {
        answer = cjose_failure(1, "cjose_jwk_import", &err);
        goto done;
    }
    if (!cjose_jws_verify(jws, jwk, &err)) {
        answer = cjose_failure(0, "cjose_jws_verify", &err);
        goto done;
    }
    if (!cjose_jws_get_plaintext(jws, &plaintext, &plaintext_len, &err)) {
        answer = cjose_failure(0, "cjose_jws_get_plaintext", &err);
        goto done;
    }
    answer = jc_accept_note(NULL, "cjose verifies the signature only and returns the payload as bytes: no claims");
done:
    /* plaintext belongs to jws */
    cjose_jwk_release(jwk);
    cjose_jws_release(jws);
    free(key_json);
    json_decref(set);
    return answer;
}

int main(void)
{
    static const char *const notes[] = {
        "cjose_jws_import; kid from cjose's header parser; cjose_jwk_import of the JWK with that kid, else the first "
        "(no key-set type); cjose_jws_verify: a JWS library, it checks the signature only",
        "no algorithm pinning (the header's alg, if the key type fits), no claim validation (exp, iss, aud, required "
        "claims), no clock, no typ check; no claims returned (the payload stays bytes)",
        "algorithms: ES*, RS*, PS*, HS* (cjose 0.6 has no EdDSA, no OKP keys: an OKP key picked is a config error); "
        "presets rfc9068 and jwt, nothing configured per preset; not oidc-id-token (no audience, client id or nonce "
        "check)",
        NULL,
    };
    static const char *const algorithms[] = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256",
                                             "PS384", "PS512", "HS256", "HS384", "HS512", NULL};
    static const char *const presets[] = {"rfc9068", "jwt", NULL};
    jc_hello hello = {
        .name = "cjose",
        .library = "cjose (C)",
        .version = cjose_version(),
        .features = NULL,
        .claims = 0,
        .notes = notes,
        .algorithms = algorithms,
        .presets = presets,
    };
    return jc_serve(&hello, verify, NULL);
}
