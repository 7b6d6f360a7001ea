// Protocol loop (version 3) for the C++ adapters of jwt-conformance (adapters/cpp-jwt,
// adapters/poco-jwt), on nlohmann::json (Debian nlohmann-json3-dev, which cpp-jwt depends on).
//
// docs/adapters.md, "The subprocess protocol": the hello (with algorithms and presets), one
// request per line, strict base64 decoding of token_b64 and jwks_base64, one compact JSON
// response per request (texts made valid UTF-8, claims past the runner's bounds sent as null
// with a claims_note). A line that is not JSON, has no string id and integer step, or is longer
// than 64 MiB ends the process with status 1 (the runner restarts it); a request that cannot be
// decoded gets an adapter_error; an exception escaping the verify function is a rejection whose
// text starts "unexpected " (the library failed closed), as the other helpers do.
// The C helper (adapters/c) speaks protocol 2 only, hence this header; jwk_pem converts an RSA or
// EC public JWK to an SPKI PEM with OpenSSL 3 (the same conversion as adapters/libjwt).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

namespace jc {

using json = nlohmann::json;

constexpr size_t MAX_LINE = size_t(64) << 20;
constexpr size_t RUNNER_MAX_LINE = size_t(1) << 20;
constexpr size_t RUNNER_MAX_DEPTH = 2048;
constexpr size_t MAX_TEXT = 1024;

struct Request {
    std::string id;
    int64_t step = 0;
    std::string token; // exact bytes of token_b64
    std::string jwks;  // exact bytes of jwks_base64
    json jwks_json;    // the request's parsed jwks
    json profile;      // object
    int64_t now = 0;
    json raw;

    // Profile helpers.
    std::string str(const char *key, const std::string &dflt = "") const {
        auto it = profile.find(key);
        return it != profile.end() && it->is_string() ? it->get<std::string>() : dflt;
    }
    bool has_str(const char *key) const {
        auto it = profile.find(key);
        return it != profile.end() && it->is_string();
    }
    int64_t integer(const char *key, int64_t dflt) const {
        auto it = profile.find(key);
        return it != profile.end() && it->is_number_integer() ? it->get<int64_t>() : dflt;
    }
    std::vector<std::string> strings(const char *key) const {
        std::vector<std::string> out;
        auto it = profile.find(key);
        if (it != profile.end() && it->is_array())
            for (auto &v : *it)
                if (v.is_string())
                    out.push_back(v.get<std::string>());
        return out;
    }
    std::string preset() const { return str("preset", "rfc9068"); }
    // required_claims, else the preset's default.
    std::vector<std::string> required_claims() const {
        auto it = profile.find("required_claims");
        if (it != profile.end() && it->is_array())
            return strings("required_claims");
        std::string p = preset();
        if (p == "jwt")
            return {};
        if (p == "oidc-id-token")
            return {"iss", "sub", "aud", "exp", "iat"};
        return {"exp", "iat", "iss", "aud", "sub", "client_id", "jti"};
    }
};

// Texts: valid UTF-8 (invalid bytes become U+FFFD), at most MAX_TEXT bytes.
inline std::string text(const std::string &s) {
    std::string out;
    size_t i = 0, n = s.size();
    while (i < n && out.size() < MAX_TEXT) {
        unsigned char c = (unsigned char)s[i];
        size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        bool ok = len && i + len <= n;
        for (size_t k = 1; ok && k < len; k++)
            ok = ((unsigned char)s[i + k] >> 6) == 2;
        if (ok && len > 1) { // overlong, surrogates, > U+10FFFF
            uint32_t cp = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
            for (size_t k = 1; k < len; k++)
                cp = (cp << 6) | ((unsigned char)s[i + k] & 0x3f);
            ok = !((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
                   (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff);
        }
        std::string piece = ok ? s.substr(i, len) : std::string("\xef\xbf\xbd");
        if (out.size() + piece.size() > MAX_TEXT)
            break;
        out += piece;
        i += ok ? len : 1;
    }
    return out;
}

inline json accept(json claims) { return json{{"outcome", "accept"}, {"claims", std::move(claims)}}; }
inline json accept_note(const std::string &note) {
    return json{{"outcome", "accept"}, {"claims", nullptr}, {"claims_note", text(note)}};
}
inline json reject(const std::string &error, const char *reason = nullptr) {
    return json{{"outcome", "reject"}, {"error", text(error)}, {"reason", reason ? json(reason) : json(nullptr)}};
}
inline json config_error(const std::string &error, const char *code = nullptr) {
    return json{{"outcome", "config_error"}, {"error", text(error)}, {"code", code ? json(code) : json(nullptr)}};
}
inline json skipped(const std::string &why) { return json{{"outcome", "skipped"}, {"why", text(why)}}; }
inline json adapter_error(const std::string &error) { return json{{"outcome", "adapter_error"}, {"error", text(error)}}; }

// As the other helpers' alg_reason: the reason family of a header's alg (nullptr: not a string).
inline const char *alg_reason(const json *alg) {
    if (!alg || !alg->is_string())
        return "alg_none";
    std::string a = alg->get<std::string>(), lower;
    for (char c : a)
        lower += (char)((c >= 'A' && c <= 'Z') ? c + 32 : c);
    if (lower == "none")
        return "alg_none";
    if (a == "HS256" || a == "HS384" || a == "HS512")
        return "alg_hmac_rejected";
    if (a == "RS256" || a == "RS384" || a == "RS512" || a == "PS256" || a == "PS384" || a == "PS512")
        return "alg_rsa_rejected";
    if (a == "ES256" || a == "ES384" || a == "ES512" || a == "ES256K")
        return "alg_ecdsa_rejected";
    return "alg_not_allowed";
}

inline const char *missing_claim_reason(const std::string &claim) {
    if (claim == "exp") return "exp_missing";
    if (claim == "iat") return "iat_missing";
    if (claim == "iss") return "iss_mismatch";
    if (claim == "aud") return "aud_missing";
    if (claim == "sub") return "sub_missing";
    if (claim == "client_id") return "client_id_missing";
    if (claim == "jti") return "jti_missing";
    return nullptr;
}

inline int b64val(unsigned char c, bool url) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == (url ? '-' : '+') || (url && c == '+')) return 62;
    if (c == (url ? '_' : '/') || (url && c == '/')) return 63;
    return -1;
}

// Standard base64 with padding, strict; false when not base64.
inline bool base64_decode(const std::string &in, std::string &out) {
    out.clear();
    if (in.size() % 4)
        return false;
    for (size_t i = 0; i < in.size(); i += 4) {
        int v[4];
        int pad = 0;
        for (int k = 0; k < 4; k++) {
            unsigned char c = (unsigned char)in[i + k];
            if (c == '=' && i + 4 == in.size() && k >= 2) {
                pad++;
                v[k] = 0;
                continue;
            }
            if (pad || (v[k] = b64val(c, false)) < 0)
                return false;
        }
        uint32_t w = (uint32_t)v[0] << 18 | (uint32_t)v[1] << 12 | (uint32_t)v[2] << 6 | (uint32_t)v[3];
        out += (char)(w >> 16);
        if (pad < 2) out += (char)(w >> 8 & 0xff);
        if (pad < 1) out += (char)(w & 0xff);
    }
    return true;
}

// base64url, lenient (padding and either alphabet tolerated).
inline bool base64url_decode(const std::string &in, std::string &out) {
    out.clear();
    uint32_t acc = 0;
    int bits = 0;
    size_t end = in.size();
    while (end && in[end - 1] == '=')
        end--;
    for (size_t i = 0; i < end; i++) {
        int v = b64val((unsigned char)in[i], true);
        if (v < 0)
            return false;
        acc = acc << 6 | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += (char)(acc >> bits & 0xff);
        }
    }
    return bits < 6;
}

// The token's header read leniently, for key selection only (as conformance's pick_key).
inline json peek_header(const std::string &token) {
    std::string seg = token.substr(0, token.find('.')), bytes;
    if (!base64url_decode(seg, bytes))
        return nullptr;
    return json::parse(bytes, nullptr, false);
}

// The JWK of the set whose kid equals the token header's, else the first; nullptr when none.
inline const json *pick_key(const json &set, const std::string &token) {
    if (!set.is_object() || !set.contains("keys") || !set["keys"].is_array() || set["keys"].empty())
        return nullptr;
    const json &keys = set["keys"];
    json header = peek_header(token);
    if (header.is_object() && header.contains("kid") && header["kid"].is_string())
        for (const auto &k : keys)
            if (k.is_object() && k.contains("kid") && k["kid"] == header["kid"])
                return &k;
    return &keys[0];
}

inline std::string openssl_error() {
    unsigned long e = ERR_get_error();
    char buf[256];
    if (!e)
        return "refused";
    ERR_error_string_n(e, buf, sizeof buf);
    return buf;
}

// The SPKI PEM of an RSA or EC public JWK (OpenSSL 3); throws std::runtime_error.
inline std::string jwk_pem(const json &jwk) {
    auto member = [&](const char *name) {
        std::string out;
        if (!jwk.contains(name) || !jwk[name].is_string() || !base64url_decode(jwk[name].get<std::string>(), out))
            throw std::runtime_error(std::string("JWK without a base64url ") + name);
        return out;
    };
    std::string kty = jwk.value("kty", json()).is_string() ? jwk["kty"].get<std::string>() : "";
    std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> bld(OSSL_PARAM_BLD_new(), OSSL_PARAM_BLD_free);
    std::unique_ptr<BIGNUM, decltype(&BN_free)> n(nullptr, BN_free), e(nullptr, BN_free);
    std::string point, type;
    ERR_clear_error();
    if (kty == "EC") {
        std::string crv = jwk.contains("crv") && jwk["crv"].is_string() ? jwk["crv"].get<std::string>() : "";
        const char *group = crv == "P-256" ? "prime256v1" : crv == "P-384" ? "secp384r1" : crv == "P-521" ? "secp521r1" : nullptr;
        if (!group)
            throw std::runtime_error("EC key with a crv the OpenSSL conversion does not know");
        point = std::string("\x04") + member("x") + member("y"); // OpenSSL checks it is on the curve
        if (!OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
            !OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()))
            throw std::runtime_error("OpenSSL: " + openssl_error());
        type = "EC";
    } else if (kty == "RSA") {
        std::string nb = member("n"), eb = member("e");
        n.reset(BN_bin2bn((const unsigned char *)nb.data(), (int)nb.size(), nullptr));
        e.reset(BN_bin2bn((const unsigned char *)eb.data(), (int)eb.size(), nullptr));
        if (!n || !e || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
            !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()))
            throw std::runtime_error("OpenSSL: " + openssl_error());
        type = "RSA";
    } else {
        throw std::runtime_error("key type the PEM conversion does not handle (kty not EC or RSA)");
    }
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld.get());
    EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_name(nullptr, type.c_str(), nullptr) : nullptr;
    EVP_PKEY *pkey = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
        pkey = nullptr;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    if (!pkey)
        throw std::runtime_error("OpenSSL refused the " + type + " key: " + openssl_error());
    std::string pem;
    BIO *bio = BIO_new(BIO_s_mem());
    char *data = nullptr;
    if (bio && PEM_write_bio_PUBKEY(bio, pkey)) {
        long len = BIO_get_mem_data(bio, &data);
        if (len > 0)
            pem.assign(data, (size_t)len);
    }
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    if (pem.empty())
        throw std::runtime_error("OpenSSL could not write the PEM: " + openssl_error());
    return pem;
}

inline size_t depth(const json &v, size_t limit) {
    if (!v.is_structured())
        return 0;
    if (limit == 0)
        return 1;
    size_t d = 0;
    for (auto &child : v)
        d = std::max(d, depth(child, limit - 1));
    return d + 1;
}

struct Hello {
    std::string name, library, version;
    std::vector<std::string> features, algorithms, presets, notes;
    bool claims = true;
};

using VerifyFn = std::function<json(const Request &)>;

inline std::string dump(const json &v) { return v.dump(-1, ' ', false, json::error_handler_t::replace); }

// Prints the hello, then answers every request line on stdin; returns the exit status.
inline int serve(const Hello &h, const VerifyFn &verify) {
    // Keep the real stdout for the protocol; point fd 1 at stderr for everything else.
    int fd = dup(STDOUT_FILENO);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : nullptr;
    if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        std::cerr << h.name << ": cannot set up stdout\n";
        return 1;
    }
    std::vector<std::string> notes;
    for (auto &n : h.notes)
        notes.push_back(text(n));
    json hello = {{"protocol", "jwt-conformance-adapter"}, {"version", 3}, {"name", h.name},
                  {"library", h.library}, {"library_version", h.version}, {"features", h.features},
                  {"algorithms", h.algorithms}, {"presets", h.presets}, {"exact", false},
                  {"claims", h.claims}, {"notes", notes}};
    auto write = [&](const std::string &s) { return fputs(s.c_str(), out) >= 0 && putc('\n', out) != EOF && !fflush(out); };
    if (!write(dump(hello)))
        return 1;
    std::string line;
    unsigned long number = 0;
    for (;;) {
        line.clear();
        int c;
        while ((c = getchar()) != EOF && c != '\n') {
            line += (char)c;
            if (line.size() > MAX_LINE) {
                std::cerr << h.name << ": request line " << number + 1 << " longer than 64 MiB; giving up\n";
                return 1;
            }
        }
        if (c == EOF && line.empty())
            return 0;
        number++;
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        json raw = json::parse(line, nullptr, false);
        if (raw.is_discarded() || !raw.is_object() || !raw.contains("id") || !raw["id"].is_string() ||
            !raw.contains("step") || !raw["step"].is_number_integer()) {
            std::cerr << h.name << ": request line " << number << " is not a request; giving up\n";
            return 1;
        }
        Request req;
        req.id = raw["id"].get<std::string>();
        req.step = raw["step"].get<int64_t>();
        json answer;
        std::string why;
        if (!raw.contains("token_b64") || !raw["token_b64"].is_string() ||
            !base64_decode(raw["token_b64"].get<std::string>(), req.token))
            why = "token_b64 missing or not base64";
        else if (raw.contains("jwks_base64") && raw["jwks_base64"].is_string()) {
            if (!base64_decode(raw["jwks_base64"].get<std::string>(), req.jwks))
                why = "jwks_base64 not base64";
        } else if (raw.contains("jwks"))
            req.jwks = raw["jwks"].dump();
        else
            why = "no jwks_base64";
        if (why.empty()) {
            req.jwks_json = raw.value("jwks", json());
            req.profile = raw.contains("profile") && raw["profile"].is_object() ? raw["profile"] : json::object();
            req.now = raw.contains("now") && raw["now"].is_number_integer() ? raw["now"].get<int64_t>() : 0;
            req.raw = raw;
            try {
                answer = verify(req);
            } catch (const std::exception &e) {
                answer = reject(std::string("unexpected ") + e.what());
            } catch (...) {
                answer = reject("unexpected exception");
            }
        } else {
            answer = adapter_error(why);
        }
        if (answer.value("outcome", "") == "accept" && !answer["claims"].is_null()) {
            if (depth(answer["claims"], RUNNER_MAX_DEPTH + 1) > RUNNER_MAX_DEPTH) {
                answer["claims"] = nullptr;
                answer["claims_note"] = "claims nest deeper than the runner's 2048 levels";
            }
        }
        answer["id"] = req.id;
        answer["step"] = req.step;
        std::string s = dump(answer);
        if (s.size() > RUNNER_MAX_LINE && answer.value("outcome", "") == "accept") {
            answer["claims"] = nullptr;
            answer["claims_note"] = "claims longer than the runner's 1 MiB line";
            s = dump(answer);
        }
        if (!write(s))
            return 1;
    }
}

} // namespace jc
