/* Helper for jwt-conformance subprocess adapters written in C (protocol versions 2 and 3: a
 * hello that declares algorithms or presets greets with version 3).
 *
 * The runner talks to an adapter process in JSON lines over stdin/stdout (docs/adapters.md,
 * "The subprocess protocol"). jc_serve runs that loop: it prints the hello, reads one request
 * per line (at most JC_MAX_LINE bytes), decodes token_b64 and jwks_base64, calls the adapter's
 * verify function and writes its response as one compact JSON line. An adapter is then one
 * function that configures the library, verifies and returns a response built with
 * jc_accept / jc_reject / jc_config_error / jc_skipped / jc_adapter_error.
 *
 * Depends on jansson only. API: adapters/c/README.md.
 */
#ifndef JWT_CONFORMANCE_PROTOCOL_H
#define JWT_CONFORMANCE_PROTOCOL_H

#include <stddef.h>

#include <jansson.h>

#ifdef __cplusplus /* usable from C++ adapters (the helper itself is compiled as C) */
extern "C" {
#endif

#define JC_PROTOCOL "jwt-conformance-adapter"
#define JC_PROTOCOL_VERSION 2
/* The version of a hello that declares algorithms or presets (docs/adapters.md, "Profiles and
 * keys of schema 3"). */
#define JC_PROTOCOL_VERSION_3 3
#define JC_HELPER_VERSION "0.2.0"
/* Longest request line read; a longer one ends the process (the runner counts an
 * adapter_error and restarts it). The corpus's largest request (an 8 MiB token, sent as text
 * and as base64) is about 20 MiB. */
#define JC_MAX_LINE ((size_t)64 << 20)

/* The claims an rfc9068 profile requires by default (NULL-terminated). Kept for older code:
 * adapters call jc_required_claims(req->profile), which follows the profile's preset and its
 * required_claims member. */
extern const char *const JC_REQUIRED_CLAIMS[];

/* One request: verify one step of one vector. Everything is owned by the helper and valid
 * during the verify call only. */
typedef struct jc_request {
    const char *id;
    json_int_t step;
    int version;
    /* The token's exact bytes (from token_b64), with a NUL appended (not counted in
     * token_len); token_has_nul says whether the bytes themselves hold a NUL, so that a library
     * taking a C string would see a prefix only; token_utf8 whether they are valid UTF-8. */
    const char *token;
    size_t token_len;
    int token_has_nul;
    int token_utf8;
    /* The key set's exact bytes (jwks_base64; for a version 1 request, the compact JSON of
     * jwks), NUL appended likewise. */
    const char *jwks;
    size_t jwks_len;
    int jwks_has_nul;
    json_t *jwks_json; /* the request's parsed jwks (borrowed; NULL when absent) */
    json_t *profile;   /* the profile object (borrowed; an empty object when absent) */
    json_int_t now;    /* Unix seconds */
    json_t *raw;       /* the whole request (borrowed) */
} jc_request;

/* Profile members: the string, or NULL when absent or not a string. */
const char *jc_profile_str(const jc_request *req, const char *key);
/* An integer member, or dflt when absent or not an integer. */
json_int_t jc_profile_int(const jc_request *req, const char *key, json_int_t dflt);
/* Arrays of strings (audiences, algorithms): their size (0 when not an array), and the i-th
 * string (NULL when not a string). */
size_t jc_profile_len(const jc_request *req, const char *key);
const char *jc_profile_str_at(const jc_request *req, const char *key, size_t i);
/* The profile's preset: its "preset" member, or "rfc9068" when absent (or not a string). */
const char *jc_preset(const jc_request *req);
/* The claims a profile (a request's profile object) requires, as a new JSON array of strings
 * (json_decref it): its "required_claims" member when present, else the preset's default
 * (absent preset = rfc9068: exp iat iss aud sub client_id jti; jwt: none; oidc-id-token: iss sub
 * aud exp iat). NULL only when out of memory. */
json_t *jc_required_claims(const json_t *profile);
/* Whether the profile requires claim (jc_required_claims holds it). */
int jc_claim_required(const json_t *profile, const char *claim);

/* Responses (without id and step). Each returns a new reference that the verify function
 * returns to the helper. Texts may be any bytes: they are made valid UTF-8 (invalid sequences
 * become U+FFFD) and cut to JC_MAX_TEXT bytes. reason and code may be NULL (JSON null). */
#define JC_MAX_TEXT 1024
json_t *jc_accept(json_t *claims); /* steals claims; NULL is JSON null */
json_t *jc_accept_note(json_t *claims, const char *claims_note);
json_t *jc_reject(const char *error, const char *reason);
json_t *jc_rejectf(const char *reason, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
json_t *jc_config_error(const char *error, const char *code);
json_t *jc_config_errorf(const char *code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
json_t *jc_skipped(const char *why);
json_t *jc_adapter_error(const char *error);

/* A JSON string of arbitrary bytes, made valid UTF-8 (invalid sequences become U+FFFD). */
json_t *jc_string(const char *bytes, size_t len);
/* The same, as a malloc'd NUL-terminated string (free it). */
char *jc_utf8_dup(const char *bytes, size_t len);

/* The catalog reason family of a header's alg (NULL: missing or not a string), to label a
 * library's "algorithm not allowed" error: none (any case) or NULL -> alg_none, HS* ->
 * alg_hmac_rejected, RS* and PS* -> alg_rsa_rejected, ES256/ES384/ES512/ES256K -> alg_ecdsa_rejected,
 * anything else -> alg_not_allowed. */
const char *jc_alg_reason(const char *alg);
/* The catalog reason ID for a missing required claim, or NULL for another claim. */
const char *jc_missing_claim_reason(const char *claim);

/* Standard base64 with padding, strict. Returns a malloc'd buffer with a NUL appended (not
 * counted in *out_len), or NULL when the input is not base64. */
unsigned char *jc_base64_decode(const char *in, size_t in_len, size_t *out_len);
/* base64url, lenient (padding and either alphabet tolerated), same contract. */
unsigned char *jc_base64url_decode(const char *in, size_t in_len, size_t *out_len);
/* The token's header read leniently, for key selection only (as conformance's pick_key): the
 * first segment base64url-decoded and parsed as any JSON value; NULL when that fails. */
json_t *jc_peek_header(const char *token, size_t len);

typedef struct jc_hello {
    const char *name;
    const char *library;
    const char *version;
    const char *const *features; /* NULL-terminated; NULL for none */
    int claims;                  /* accept claims are the library's own decoded payload */
    const char *const *notes;    /* NULL-terminated; NULL for none */
    /* Protocol version 3 (added): the algorithms (of ES256 ... HS512) the library can be pinned
     * to and the presets (rfc9068, jwt, oidc-id-token) it can be configured for, NULL-terminated.
     * When either is non-NULL the hello says version 3 and carries both (a NULL one is left
     * out: the runner's default); when both are NULL it says version 2, as before. */
    const char *const *algorithms;
    const char *const *presets;
} jc_hello;

/* Verifies one request; returns a response built with the jc_* constructors (NULL is
 * reported as an adapter_error). */
typedef json_t *(*jc_verify_fn)(const jc_request *req, void *ctx);

/* Prints the hello, then answers every request line on stdin until it closes; returns the
 * process exit status (0 at end of input). While it runs, file descriptor 1 points at stderr,
 * so that a library printing to stdout cannot corrupt the protocol. A line that is not JSON or
 * has no string id and integer step, or is longer than JC_MAX_LINE, is reported on stderr and
 * ends the loop with status 1; a request the helper cannot decode gets an adapter_error. */
int jc_serve(const jc_hello *hello, jc_verify_fn verify, void *ctx);

#ifdef __cplusplus
}
#endif

#endif
