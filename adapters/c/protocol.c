/* Helper for jwt-conformance subprocess adapters written in C: see protocol.h and README.md. */
#define _GNU_SOURCE
#include "protocol.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

const char *const JC_REQUIRED_CLAIMS[] = {"exp", "iat", "iss", "aud", "sub", "client_id", "jti", NULL};

/* The runner's bound on one line, and its nesting bound (docs/adapters.md). */
#define RUNNER_MAX_LINE ((size_t)1 << 20)
#define RUNNER_MAX_DEPTH 2048

/* ---- profile ---------------------------------------------------------------------------- */

const char *jc_profile_str(const jc_request *req, const char *key)
{
    return json_string_value(json_object_get(req->profile, key));
}

json_int_t jc_profile_int(const jc_request *req, const char *key, json_int_t dflt)
{
    json_t *v = json_object_get(req->profile, key);
    return json_is_integer(v) ? json_integer_value(v) : dflt;
}

size_t jc_profile_len(const jc_request *req, const char *key)
{
    return json_array_size(json_object_get(req->profile, key));
}

const char *jc_profile_str_at(const jc_request *req, const char *key, size_t i)
{
    return json_string_value(json_array_get(json_object_get(req->profile, key), i));
}

const char *jc_preset(const jc_request *req)
{
    const char *preset = jc_profile_str(req, "preset");
    return preset ? preset : "rfc9068";
}

json_t *jc_required_claims(const json_t *profile)
{
    static const char *const oidc[] = {"iss", "sub", "aud", "exp", "iat", NULL};
    json_t *explicit = json_object_get(profile, "required_claims"), *out, *v;
    const char *preset = json_string_value(json_object_get(profile, "preset"));
    const char *const *claims = JC_REQUIRED_CLAIMS;
    size_t i;
    if (!(out = json_array()))
        return NULL;
    if (json_is_array(explicit)) {
        json_array_foreach(explicit, i, v)
            if (json_is_string(v))
                json_array_append(out, v);
        return out;
    }
    if (preset && !strcmp(preset, "jwt"))
        claims = NULL;
    else if (preset && !strcmp(preset, "oidc-id-token"))
        claims = oidc;
    for (; claims && *claims; claims++)
        json_array_append_new(out, json_string(*claims));
    return out;
}

int jc_claim_required(const json_t *profile, const char *claim)
{
    json_t *claims = jc_required_claims(profile), *v;
    size_t i;
    int found = 0;
    json_array_foreach(claims, i, v)
        if (claim && !strcmp(json_string_value(v), claim))
            found = 1;
    json_decref(claims);
    return found;
}

/* ---- UTF-8 ------------------------------------------------------------------------------ */

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, surrogates or code points
 * above U+10FFFF), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

static int utf8_valid(const char *bytes, size_t len)
{
    const unsigned char *s = (const unsigned char *)bytes;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

/* Valid UTF-8 of at most max bytes (cut at a character boundary); *out_len its length. */
static char *utf8_sanitize(const char *bytes, size_t len, size_t max, size_t *out_len)
{
    const unsigned char *s = (const unsigned char *)bytes;
    char *out = malloc(3 * len + 1), *p = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < len;) {
        size_t n = utf8_seq(s + i, len - i);
        const char *src = n ? bytes + i : "\xEF\xBF\xBD";
        size_t w = n ? n : 3;
        if ((size_t)(p - out) + w > max)
            break;
        memcpy(p, src, w);
        p += w;
        i += n ? n : 1;
    }
    *p = '\0';
    if (out_len)
        *out_len = (size_t)(p - out);
    return out;
}

char *jc_utf8_dup(const char *bytes, size_t len)
{
    return utf8_sanitize(bytes ? bytes : "", bytes ? len : 0, SIZE_MAX, NULL);
}

json_t *jc_string(const char *bytes, size_t len)
{
    size_t n;
    char *s = utf8_sanitize(bytes ? bytes : "", bytes ? len : 0, SIZE_MAX, &n);
    json_t *j = s ? json_stringn(s, n) : NULL;
    free(s);
    return j;
}

static json_t *text(const char *s)
{
    size_t n;
    char *t = utf8_sanitize(s ? s : "", s ? strlen(s) : 0, JC_MAX_TEXT, &n);
    json_t *j = t ? json_stringn(t, n) : NULL;
    free(t);
    return j ? j : json_string("(text unavailable: out of memory)");
}

static json_t *nullable(const char *s)
{
    return s ? text(s) : json_null();
}

/* ---- responses -------------------------------------------------------------------------- */

static json_t *outcome(const char *kind)
{
    json_t *o = json_object();
    if (o)
        json_object_set_new(o, "outcome", json_string(kind));
    return o;
}

json_t *jc_accept(json_t *claims)
{
    json_t *o = outcome("accept");
    if (!o) {
        json_decref(claims);
        return NULL;
    }
    json_object_set_new(o, "claims", claims ? claims : json_null());
    return o;
}

json_t *jc_accept_note(json_t *claims, const char *claims_note)
{
    json_t *o = jc_accept(claims);
    if (o && claims_note)
        json_object_set_new(o, "claims_note", text(claims_note));
    return o;
}

json_t *jc_reject(const char *error, const char *reason)
{
    json_t *o = outcome("reject");
    if (o) {
        json_object_set_new(o, "error", text(error));
        json_object_set_new(o, "reason", nullable(reason));
    }
    return o;
}

static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    return s;
}

json_t *jc_rejectf(const char *reason, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    json_t *o = jc_reject(s ? s : fmt, reason);
    free(s);
    return o;
}

json_t *jc_config_error(const char *error, const char *code)
{
    json_t *o = outcome("config_error");
    if (o) {
        json_object_set_new(o, "error", text(error));
        json_object_set_new(o, "code", nullable(code));
    }
    return o;
}

json_t *jc_config_errorf(const char *code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    json_t *o = jc_config_error(s ? s : fmt, code);
    free(s);
    return o;
}

json_t *jc_skipped(const char *why)
{
    json_t *o = outcome("skipped");
    if (o)
        json_object_set_new(o, "why", text(why));
    return o;
}

json_t *jc_adapter_error(const char *error)
{
    json_t *o = outcome("adapter_error");
    if (o)
        json_object_set_new(o, "error", text(error));
    return o;
}

/* ---- reasons ---------------------------------------------------------------------------- */

const char *jc_alg_reason(const char *alg)
{
    static const char *const hmac[] = {"HS256", "HS384", "HS512", NULL};
    static const char *const rsa[] = {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", NULL};
    static const char *const ecdsa[] = {"ES256", "ES384", "ES512", "ES256K", NULL};
    if (!alg || !strcasecmp(alg, "none"))
        return "alg_none";
    for (const char *const *a = hmac; *a; a++)
        if (!strcmp(alg, *a))
            return "alg_hmac_rejected";
    for (const char *const *a = rsa; *a; a++)
        if (!strcmp(alg, *a))
            return "alg_rsa_rejected";
    for (const char *const *a = ecdsa; *a; a++)
        if (!strcmp(alg, *a))
            return "alg_ecdsa_rejected";
    return "alg_not_allowed";
}

const char *jc_missing_claim_reason(const char *claim)
{
    static const char *const map[][2] = {
        {"exp", "exp_missing"}, {"iat", "iat_missing"}, {"iss", "iss_mismatch"},
        {"aud", "aud_missing"}, {"sub", "sub_missing"}, {"client_id", "client_id_missing"},
        {"jti", "jti_missing"},
    };
    if (!claim)
        return NULL;
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(claim, map[i][0]))
            return map[i][1];
    return NULL;
}

/* ---- base64 ----------------------------------------------------------------------------- */

static int b64_value(unsigned char c, int url)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || (url && c == '-'))
        return 62;
    if (c == '/' || (url && c == '_'))
        return 63;
    return -1;
}

/* strict: standard alphabet, padded to a multiple of 4; lenient: either alphabet, padding
 * optional (and ignored), no length rule beyond "not 4k+1". */
static unsigned char *b64_decode(const char *in, size_t n, size_t *out_len, int lenient)
{
    if (!lenient && n % 4)
        return NULL;
    size_t pad = 0;
    while (pad < n && pad < (lenient ? n : 2) && in[n - 1 - pad] == '=')
        pad++;
    size_t data = n - pad;
    if (data % 4 == 1)
        return NULL;
    unsigned char *out = malloc(data / 4 * 3 + 3 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < data; i++) {
        int v = b64_value((unsigned char)in[i], lenient);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    out[o] = '\0';
    *out_len = o;
    return out;
}

unsigned char *jc_base64_decode(const char *in, size_t in_len, size_t *out_len)
{
    return b64_decode(in, in_len, out_len, 0);
}

unsigned char *jc_base64url_decode(const char *in, size_t in_len, size_t *out_len)
{
    return b64_decode(in, in_len, out_len, 1);
}

json_t *jc_peek_header(const char *token, size_t len)
{
    const char *dot = memchr(token, '.', len);
    size_t n, seg = dot ? (size_t)(dot - token) : len;
    unsigned char *raw = jc_base64url_decode(token, seg, &n);
    if (!raw)
        return NULL;
    json_t *header = json_loadb((const char *)raw, n, JSON_DECODE_ANY, NULL);
    free(raw);
    return header;
}

/* ---- the loop --------------------------------------------------------------------------- */

/* Reads one line (without its newline) into *buf: 1 when read, 0 at end of input, -1 when it
 * is longer than JC_MAX_LINE, -2 on a read or memory error. */
static int read_line(FILE *in, char **buf, size_t *cap, size_t *len)
{
    int c;
    *len = 0;
    if (!*buf) {
        if (!(*buf = malloc(65536)))
            return -2;
        *cap = 65536;
    }
    while ((c = getc_unlocked(in)) != EOF && c != '\n') {
        if (*len >= JC_MAX_LINE)
            return -1;
        if (*len + 1 >= *cap) {
            size_t ncap = *cap * 2;
            char *nbuf = realloc(*buf, ncap);
            if (!nbuf)
                return -2;
            *buf = nbuf;
            *cap = ncap;
        }
        (*buf)[(*len)++] = (char)c;
    }
    if (c == EOF && ferror(in))
        return -2;
    if (c == EOF && *len == 0)
        return 0;
    (*buf)[*len] = '\0';
    return 1;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* An integer member, also when it arrived as a real (a request parsed with
 * JSON_DECODE_INT_AS_REAL); 0 when it is neither or not integral. */
static int get_int(json_t *obj, const char *key, json_int_t *out)
{
    json_t *v = json_object_get(obj, key);
    if (json_is_integer(v)) {
        *out = json_integer_value(v);
        return 1;
    }
    if (json_is_real(v)) {
        double d = json_real_value(v);
        if (d >= -9.2e18 && d <= 9.2e18 && d == (double)(json_int_t)d) {
            *out = (json_int_t)d;
            return 1;
        }
    }
    return 0;
}

/* Fills req from raw; NULL on success, else what is wrong (static text). */
static const char *decode_request(json_t *raw, jc_request *req, unsigned char **token,
                                  unsigned char **jwks, char **jwks_dump)
{
    const char *kind = json_string_value(json_object_get(raw, "type"));
    json_int_t version = JC_PROTOCOL_VERSION;
    if (kind && strcmp(kind, "verify"))
        return "unknown request type";
    get_int(raw, "version", &version);
    req->version = (int)version;
    const char *t = json_string_value(json_object_get(raw, "token_b64"));
    if (!t)
        return "no token_b64";
    if (!(*token = jc_base64_decode(t, json_string_length(json_object_get(raw, "token_b64")),
                                    &req->token_len)))
        return "token_b64 is not base64";
    req->token = (const char *)*token;
    req->token_has_nul = memchr(req->token, 0, req->token_len) != NULL;
    req->token_utf8 = utf8_valid(req->token, req->token_len);
    req->jwks_json = json_object_get(raw, "jwks");
    json_t *jb = json_object_get(raw, "jwks_base64");
    if (jb) {
        if (!json_is_string(jb))
            return "jwks_base64 is not a string";
        if (!(*jwks = jc_base64_decode(json_string_value(jb), json_string_length(jb), &req->jwks_len)))
            return "jwks_base64 is not base64";
        req->jwks = (const char *)*jwks;
    } else { /* version 1: the key set only parsed */
        if (!req->jwks_json)
            return "no jwks_base64 and no jwks";
        if (!(*jwks_dump = json_dumps(req->jwks_json, JSON_COMPACT | JSON_ENCODE_ANY)))
            return "jwks cannot be serialized";
        req->jwks = *jwks_dump;
        req->jwks_len = strlen(*jwks_dump);
    }
    req->jwks_has_nul = memchr(req->jwks, 0, req->jwks_len) != NULL;
    json_t *profile = json_object_get(raw, "profile");
    req->profile = json_is_object(profile) ? profile : NULL;
    if (!get_int(raw, "now", &req->now))
        return "no integer now";
    req->raw = raw;
    return NULL;
}

static int depth_over(json_t *v, int budget)
{
    if (budget < 0)
        return 1;
    const char *key;
    json_t *item;
    size_t i;
    if (json_is_object(v)) {
        json_object_foreach(v, key, item)
            if (depth_over(item, budget - 1))
                return 1;
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, item)
            if (depth_over(item, budget - 1))
                return 1;
    }
    return 0;
}

/* The response line for one answer (malloc'd), or NULL. Claims the runner cannot take (a
 * line over its 1 MiB bound, nesting over its depth bound) are sent as null with a note: the
 * verdict stands. */
static char *encode(const char *id, json_int_t step, json_t *answer)
{
    json_t *line = json_object();
    char *s = NULL;
    if (!line)
        return NULL;
    json_object_set_new(line, "id", json_string(id));
    json_object_set_new(line, "step", json_integer(step));
    json_object_update(line, answer);
    const char *kind = json_string_value(json_object_get(answer, "outcome"));
    int accept = kind && !strcmp(kind, "accept");
    if (accept && depth_over(json_object_get(line, "claims"), RUNNER_MAX_DEPTH - 2)) {
        json_object_set_new(line, "claims", json_null());
        json_object_set_new(line, "claims_note", json_string("claims nested too deeply for the protocol"));
    }
    s = json_dumps(line, JSON_COMPACT);
    if (accept && (!s || strlen(s) + 1 > RUNNER_MAX_LINE)) {
        free(s);
        json_object_set_new(line, "claims", json_null());
        json_object_set_new(line, "claims_note",
                            json_string("claims too long for a protocol line (1 MiB) or not serializable"));
        s = json_dumps(line, JSON_COMPACT);
    }
    json_decref(line);
    return s;
}

static int write_line(FILE *out, const char *s)
{
    return fputs(s, out) < 0 || putc('\n', out) == EOF || fflush(out) ? -1 : 0;
}

static char *hello_line(const jc_hello *h)
{
    json_t *o = json_object(), *features = json_array(), *notes = json_array();
    for (const char *const *f = h->features; f && *f; f++)
        json_array_append_new(features, json_string(*f));
    for (const char *const *n = h->notes; n && *n; n++)
        json_array_append_new(notes, text(*n));
    int v3 = h->algorithms || h->presets;
    json_object_set_new(o, "protocol", json_string(JC_PROTOCOL));
    json_object_set_new(o, "version", json_integer(v3 ? JC_PROTOCOL_VERSION_3 : JC_PROTOCOL_VERSION));
    json_object_set_new(o, "name", text(h->name));
    json_object_set_new(o, "library", text(h->library));
    json_object_set_new(o, "library_version", text(h->version));
    json_object_set_new(o, "features", features);
    if (h->algorithms) {
        json_t *algorithms = json_array();
        for (const char *const *a = h->algorithms; *a; a++)
            json_array_append_new(algorithms, json_string(*a));
        json_object_set_new(o, "algorithms", algorithms);
    }
    if (h->presets) {
        json_t *presets = json_array();
        for (const char *const *p = h->presets; *p; p++)
            json_array_append_new(presets, json_string(*p));
        json_object_set_new(o, "presets", presets);
    }
    json_object_set_new(o, "exact", json_false());
    json_object_set_new(o, "claims", json_boolean(h->claims));
    json_object_set_new(o, "notes", notes);
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

int jc_serve(const jc_hello *hello, jc_verify_fn verify, void *ctx)
{
    /* Keep the real stdout for the protocol; point fd 1 at stderr for everything else. */
    int fd = dup(STDOUT_FILENO);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        fprintf(stderr, "%s: %s: cannot set up stdout: %s\n", JC_PROTOCOL, hello->name, strerror(errno));
        return 1;
    }
    char *h = hello_line(hello);
    if (!h || write_line(out, h)) {
        free(h);
        fprintf(stderr, "%s: %s: cannot write the hello\n", JC_PROTOCOL, hello->name);
        fclose(out);
        return 1;
    }
    free(h);

    char *buf = NULL;
    size_t cap = 0, len = 0;
    unsigned long number = 0;
    int status = 0, r;
    while ((r = read_line(stdin, &buf, &cap, &len)) != 0) {
        number++;
        if (r < 0) {
            fprintf(stderr, "%s: %s: request line %lu: %s; giving up\n", JC_PROTOCOL, hello->name,
                    number, r == -1 ? "longer than 64 MiB" : "read error");
            status = 1;
            break;
        }
        if (blank(buf, len))
            continue;
        json_error_t err;
        /* JSON_ALLOW_NUL: a token may hold NUL bytes (its text form then has \u0000). */
        json_t *raw = json_loadb(buf, len, JSON_ALLOW_NUL, &err);
        if (!raw) /* an integer beyond 64 bits somewhere (jwks): read numbers as reals */
            raw = json_loadb(buf, len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &err);
        const char *id = json_string_value(json_object_get(raw, "id"));
        json_int_t step;
        if (!id || !get_int(raw, "step", &step)) {
            fprintf(stderr, "%s: %s: request line %lu: %s; giving up\n", JC_PROTOCOL, hello->name,
                    number, raw ? "no string id and integer step" : "not JSON");
            json_decref(raw);
            status = 1;
            break;
        }
        jc_request req;
        memset(&req, 0, sizeof req);
        req.id = id;
        req.step = step;
        unsigned char *token = NULL, *jwks = NULL;
        char *jwks_dump = NULL;
        json_t *empty = json_object();
        const char *problem = decode_request(raw, &req, &token, &jwks, &jwks_dump);
        if (!req.profile)
            req.profile = empty;
        json_t *answer = NULL;
        if (problem) {
            answer = jc_adapter_error(problem);
        } else {
            answer = verify(&req, ctx);
            if (!answer)
                answer = jc_adapter_error("the adapter returned no response (out of memory?)");
        }
        char *line = answer ? encode(id, step, answer) : NULL;
        if (!line) {
            json_t *fallback = jc_adapter_error("the response could not be serialized");
            line = fallback ? encode(id, step, fallback) : NULL;
            json_decref(fallback);
        }
        json_decref(answer);
        free(token);
        free(jwks);
        free(jwks_dump);
        json_decref(empty);
        int failed = !line || write_line(out, line);
        free(line);
        json_decref(raw);
        if (failed) {
            fprintf(stderr, "%s: %s: cannot write a response; giving up\n", JC_PROTOCOL, hello->name);
            status = 1;
            break;
        }
    }
    free(buf);
    fclose(out);
    return status;
}
