/* The shared protocol fixture (adapters/fixtures/protocol.json) against the C helper: the hello,
 * request decoding, broken and garbled lines, the reason tables and the response of each
 * outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its
 * README.md. jc_serve owns the process's stdin and stdout, so each case serves in a child
 * process whose stdin and stdout are files.
 *
 * Run: make -C adapters/c test (scripts/test.sh does). */
#define _GNU_SOURCE
#include "../protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int passed, failed;

static void check(int ok, const char *what, const char *name)
{
    if (ok) {
        passed++;
    } else {
        failed++;
        printf("not ok - %s: %s\n", what, name);
    }
}

static json_t *fixture;
/* Members added to the fixture's given hello (the version 3 hello test), or NULL. */
static json_t *given_extra;

static json_t *section(const char *name)
{
    json_t *v = json_object_get(fixture, name);
    if (!v) {
        fprintf(stderr, "fixture: no %s\n", name);
        exit(2);
    }
    return v;
}

static const char *request_line(const char *name)
{
    size_t i;
    json_t *c;
    json_array_foreach(section("requests"), i, c)
        if (!strcmp(json_string_value(json_object_get(c, "name")), name))
            return json_string_value(json_object_get(c, "line"));
    fprintf(stderr, "fixture: no request %s\n", name);
    exit(2);
}

/* A NULL-terminated array of the strings of a JSON array (static storage, for the hello); NULL
 * when the array is absent (the hello's algorithms and presets). */
static const char *const *strings(json_t *array)
{
    static const char *buf[4][64];
    static int which;
    if (!array)
        return NULL;
    const char **out = buf[which++ % 4];
    size_t i, n = 0;
    json_t *s;
    json_array_foreach(array, i, s)
        if (n < 63)
            out[n++] = json_string_value(s);
    out[n] = NULL;
    return out;
}

typedef struct {
    int status;
    json_t *hello;     /* the first line, or NULL */
    json_t *responses; /* the other lines */
} served;

/* Serves the lines in a child process; the parsed output and the exit status. */
static served serve(const char *const *lines, size_t n, jc_verify_fn verify, void *ctx)
{
    served s = {.status = -1, .hello = NULL, .responses = json_array()};
    FILE *in = tmpfile(), *out = tmpfile();
    for (size_t i = 0; i < n; i++)
        fprintf(in, "%s\n", lines[i]);
    fflush(in);
    rewind(in);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        json_t *given = json_deep_copy(json_object_get(section("hello"), "given"));
        if (given_extra)
            json_object_update(given, given_extra);
        jc_hello hello = {
            .name = json_string_value(json_object_get(given, "name")),
            .library = json_string_value(json_object_get(given, "library")),
            .version = json_string_value(json_object_get(given, "version")),
            .features = strings(json_object_get(given, "features")),
            .claims = json_is_true(json_object_get(given, "claims")),
            .notes = strings(json_object_get(given, "notes")),
            .algorithms = strings(json_object_get(given, "algorithms")),
            .presets = strings(json_object_get(given, "presets")),
        };
        /* The helper's messages about garbled lines are expected: keep them off the log. */
        FILE *null = fopen("/dev/null", "w");
        if (!null || dup2(fileno(in), STDIN_FILENO) < 0 || dup2(fileno(out), STDOUT_FILENO) < 0 ||
            dup2(fileno(null), STDERR_FILENO) < 0)
            _exit(3);
        _exit(jc_serve(&hello, verify, ctx));
    }
    int wstatus;
    if (pid > 0 && waitpid(pid, &wstatus, 0) == pid && WIFEXITED(wstatus))
        s.status = WEXITSTATUS(wstatus);
    rewind(out);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    while ((len = getline(&line, &cap, out)) > 0) {
        json_t *v = json_loadb(line, (size_t)len, JSON_ALLOW_NUL, NULL);
        if (!v)
            v = json_string("(not JSON)");
        if (!s.hello)
            s.hello = v;
        else
            json_array_append_new(s.responses, v);
    }
    free(line);
    fclose(in);
    fclose(out);
    return s;
}

static void release(served *s)
{
    json_decref(s->hello);
    json_decref(s->responses);
}

static json_t *hex(const char *bytes, size_t len)
{
    char *h = malloc(2 * len + 1);
    for (size_t i = 0; i < len; i++)
        sprintf(h + 2 * i, "%02x", (unsigned char)bytes[i]);
    h[2 * len] = '\0';
    json_t *j = json_string(h);
    free(h);
    return j;
}

static json_t *member_or_null(json_t *object, const char *key)
{
    json_t *v = json_object_get(object, key);
    return v ? json_incref(v) : json_null();
}

/* The request as this helper decoded it, in the fixture's terms. */
static json_t *decoded(const jc_request *req, void *ctx)
{
    (void)ctx;
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(req->id));
    json_object_set_new(o, "step", json_integer(req->step));
    json_object_set_new(o, "version", json_integer(req->version));
    json_object_set_new(o, "token_hex", hex(req->token, req->token_len));
    json_object_set_new(o, "token_text", req->token_utf8 ? json_stringn(req->token, req->token_len) : json_null());
    if (json_object_get(req->raw, "jwks_base64"))
        json_object_set_new(o, "jwks_hex", hex(req->jwks, req->jwks_len));
    else
        json_object_set_new(o, "jwks_json", json_loadb(req->jwks, req->jwks_len, JSON_DECODE_ANY, NULL));
    json_object_set_new(o, "jwks", req->jwks_json ? json_incref(req->jwks_json) : json_null());
    json_object_set(o, "profile", req->profile);
    json_object_set_new(o, "now", json_integer(req->now));
    /* The C helper decodes no more: the rest is read from the request itself. */
    json_object_set_new(o, "actions", member_or_null(req->raw, "actions"));
    json_object_set_new(o, "features", member_or_null(req->raw, "features"));
    json_object_set_new(o, "timeout_ms", member_or_null(req->raw, "timeout_ms"));
    json_object_set_new(o, "key_fetch", member_or_null(req->raw, "key_fetch"));
    return jc_accept(o);
}

/* Gives the fixture's answer (ctx) through the helper's response constructors. */
static json_t *answering(const jc_request *req, void *ctx)
{
    (void)req;
    json_t *a = ctx;
    const char *kind = json_string_value(json_object_get(a, "outcome"));
#define TEXT(m) json_string_value(json_object_get(a, m))
    if (!strcmp(kind, "accept"))
        return jc_accept(json_incref(json_object_get(a, "claims")));
    if (!strcmp(kind, "reject"))
        return jc_reject(TEXT("error"), TEXT("reason"));
    if (!strcmp(kind, "config_error"))
        return jc_config_error(TEXT("error"), TEXT("code"));
    if (!strcmp(kind, "skipped"))
        return jc_skipped(TEXT("why"));
#undef TEXT
    return NULL;
}

static const char *name_of(json_t *c)
{
    return json_string_value(json_object_get(c, "name"));
}

static void test_hello(void)
{
    served s = serve(NULL, 0, decoded, NULL);
    check(s.status == 0 && json_array_size(s.responses) == 0, "hello: end of input", "");
    check(json_equal(s.hello, json_object_get(section("hello"), "hello")), "hello", "");
    release(&s);
}

/* A hello that declares algorithms or presets says version 3 and carries them (the fixture's
 * hello is version 2: this case is the helper's own). */
static void test_hello_v3(void)
{
    given_extra = json_pack("{s:[s,s], s:[s,s]}", "algorithms", "ES256", "EdDSA", "presets", "rfc9068", "jwt");
    served s = serve(NULL, 0, decoded, NULL);
    json_t *want = json_deep_copy(json_object_get(section("hello"), "hello"));
    json_object_update(want, given_extra);
    json_object_set_new(want, "version", json_integer(3));
    check(s.status == 0 && json_equal(s.hello, want), "hello with algorithms and presets: version 3", "");
    json_decref(want);
    json_decref(given_extra);
    given_extra = NULL;
    release(&s);
}

static void test_requests(void)
{
    size_t i;
    json_t *c;
    json_array_foreach(section("requests"), i, c) {
        const char *line = json_string_value(json_object_get(c, "line"));
        json_t *d = json_object_get(c, "decoded");
        json_t *want = json_pack("[{s:O, s:O, s:s, s:O}]", "id", json_object_get(d, "id"), "step",
                                 json_object_get(d, "step"), "outcome", "accept", "claims", d);
        served s = serve(&line, 1, decoded, NULL);
        check(s.status == 0 && json_equal(s.responses, want), "request decodes as the runner means it", name_of(c));
        if (!json_equal(s.responses, want)) {
            char *got = json_dumps(s.responses, JSON_COMPACT | JSON_SORT_KEYS);
            printf("#  got %s\n", got);
            free(got);
        }
        json_decref(want);
        release(&s);
    }
}

static void test_bad_requests(void)
{
    size_t i;
    json_t *c;
    json_array_foreach(section("bad_requests"), i, c) {
        const char *lines[] = {json_string_value(json_object_get(c, "line")), request_line("plain")};
        served s = serve(lines, 2, decoded, NULL);
        json_t *first = json_array_get(s.responses, 0);
        int text = json_is_string(json_object_get(first, "error"));
        json_object_del(first, "error");
        check(s.status == 0 && json_array_size(s.responses) == 2 && text &&
                  json_equal(first, json_object_get(c, "response")),
              "broken request is an adapter_error", name_of(c));
        release(&s);
    }
}

static void test_garbled_lines(void)
{
    size_t i;
    json_t *c;
    json_array_foreach(section("garbled_lines"), i, c) {
        const char *lines[] = {json_string_value(json_object_get(c, "line")), request_line("plain")};
        served s = serve(lines, 2, decoded, NULL);
        check(s.status == 1 && json_array_size(s.responses) == 0, "garbled line ends serving", name_of(c));
        release(&s);
    }
}

static int same(const char *a, const char *b)
{
    return a && b ? !strcmp(a, b) : a == b;
}

static void test_tables(void)
{
    const char *alg;
    json_t *v;
    size_t i;
    json_object_foreach(section("alg_reasons"), alg, v)
        check(same(jc_alg_reason(alg), json_string_value(v)), "alg reason", alg);
    json_t *others = section("alg_not_a_string");
    const char *reason = json_string_value(json_object_get(others, "reason"));
    /* The C API takes a string: any other value is passed as NULL. */
    json_array_foreach(json_object_get(others, "values"), i, v)
        check(same(jc_alg_reason(json_string_value(v)), reason), "alg reason of a value that is not a string", "");

    json_t *required = section("required_claims");
    size_t n = 0;
    while (JC_REQUIRED_CLAIMS[n])
        n++;
    check(n == json_array_size(required), "required claims: count", "");
    json_array_foreach(required, i, v)
        check(i < n && same(JC_REQUIRED_CLAIMS[i], json_string_value(v)), "required claim", json_string_value(v));
    json_object_foreach(section("missing_claim_reasons"), alg, v)
        check(same(jc_missing_claim_reason(alg), json_string_value(v)), "missing claim reason", alg);
    json_array_foreach(section("other_claims"), i, v)
        check(jc_missing_claim_reason(json_string_value(v)) == NULL, "other claim has no reason", json_string_value(v));
}

/* jc_required_claims of each profile gives its required claims (as sets); so does
 * jc_claim_required, claim by claim. The section is optional in older fixtures. */
static void test_required_claims_by_profile(void)
{
    size_t i, j, k;
    json_t *c, *v, *w;
    json_t *cases = json_object_get(fixture, "required_claims_by_profile");
    json_array_foreach(cases, i, c) {
        json_t *profile = json_object_get(c, "profile"), *want = json_object_get(c, "required");
        json_t *got = jc_required_claims(profile);
        char *name = json_dumps(profile, JSON_COMPACT | JSON_SORT_KEYS);
        int ok = got && json_array_size(got) == json_array_size(want);
        json_array_foreach(want, j, v) {
            int found = 0;
            json_array_foreach(got, k, w)
                found |= json_equal(v, w);
            ok &= found && jc_claim_required(profile, json_string_value(v));
        }
        check(ok, "required claims of a profile", name ? name : "?");
        if (!ok) {
            char *g = json_dumps(got, JSON_COMPACT);
            printf("#  got %s\n", g ? g : "NULL");
            free(g);
        }
        free(name);
        json_decref(got);
    }
}

static void test_responses(void)
{
    size_t i;
    json_t *c;
    json_array_foreach(section("responses"), i, c) {
        const char *line = request_line(json_string_value(json_object_get(c, "request")));
        served s = serve(&line, 1, answering, json_object_get(c, "answer"));
        json_t *want = json_pack("[O]", json_object_get(c, "response"));
        check(s.status == 0 && json_equal(s.responses, want), "response", name_of(c));
        json_decref(want);
        release(&s);
    }
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "../fixtures/protocol.json";
    json_error_t error;
    /* JSON_ALLOW_NUL: the fixture's claims and tokens hold \u0000. */
    fixture = json_load_file(path, JSON_ALLOW_NUL, &error);
    if (!fixture) {
        fprintf(stderr, "%s: %s (line %d)\n", path, error.text, error.line);
        return 2;
    }
    test_hello();
    test_hello_v3();
    test_requests();
    test_bad_requests();
    test_garbled_lines();
    test_tables();
    test_required_claims_by_profile();
    test_responses();
    json_decref(fixture);
    printf("C protocol helper: %d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
