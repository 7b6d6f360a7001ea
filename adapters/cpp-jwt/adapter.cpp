// jwt-conformance subprocess adapter for cpp-jwt 1.4 (C++, arun11299/cpp-jwt; Debian
// libcpp-jwt-dev), protocol version 3 (docs/adapters.md). The protocol loop is jc.hpp (here, on
// nlohmann::json; shared with adapters/poco-jwt). Every verdict is cpp-jwt's: nothing is checked
// here.
//
// Configuration, per request: jwt::decode(token, algorithms(profile.algorithms), ec,
// secret(KEY), verify(true), leeway(profile.leeway_secs), issuer(profile.issuer) when the
// profile has one, aud(A), validate_iat(true) when iat is required, validate_jti(true) when jti
// is required). A is the client_id under oidc-id-token, else the profile's first audience (the
// API takes one audience string; 3 vectors of the corpus list two). The error_code overload is
// used (the throwing one asserts on some codes). issuer/aud make those claims required (absent
// = InvalidIssuer / InvalidAudience); cpp-jwt compares aud as a single string (an aud array is
// a TypeConversionError).
//
// Keys: cpp-jwt has no JWK support and takes one "secret" for every algorithm (the header's
// alg, once in the allow list, picks HMAC, RSA or ECDSA; the secret is the HMAC key or a PEM).
// The adapter parses the key set (nlohmann), picks the JWK whose kid equals the token header's
// (read leniently, for selection only: secret() callbacks see the payload, not the header),
// else the first key, and converts it minimally: oct -> the bytes of k, RSA/EC -> SPKI PEM via
// OpenSSL. A key OpenSSL or the conversion refuses (OKP included) is a config_error.
//
// Left out, and why: PS256/384/512 and EdDSA (cpp-jwt 1.4 has HS*, RS*, ES* only); no clock
// feature (exp and nbf are checked against std::chrono::system_clock, not injectable); no typ
// setting (cpp-jwt refuses any typ other than "JWT", any case, so it refuses at+jwt); exp, sub,
// client_id cannot be required (exp and nbf are checked only when present; sub() compares with
// a given value); no nonce/azp checks. Presets declared: rfc9068, jwt, oidc-id-token (issuer and
// audience configurable for each; no ID-token validator).
// Errors map to reasons only where unambiguous (InvalidAlgorithm -> the alg family, expired,
// immature, issuer, iat/jti missing, signature; not InvalidAudience, which is both missing and
// mismatched aud). Claims of an accept are cpp-jwt's
// decoded payload.
#include <string>
#include <system_error>

#include <jwt/jwt.hpp>

#include "jc.hpp"

#ifndef LIB_VERSION
#error "build with -DLIB_VERSION=\"<Debian version of libcpp-jwt-dev>\" (scripts/setup/cpp.sh)"
#endif

using jc::json;

static const char *reason_of(const std::error_code &ec, const json &header) {
    using E = jwt::VerificationErrc;
    if (ec == E::InvalidAlgorithm) {
        const json *alg = header.is_object() && header.contains("alg") ? &header["alg"] : nullptr;
        return jc::alg_reason(alg);
    }
    if (ec == E::TokenExpired) return "expired";
    if (ec == E::ImmatureSignature) return "not_yet_valid";
    if (ec == E::InvalidIssuer) return "iss_mismatch";
    if (ec == E::InvalidSignature) return "signature_invalid";
    if (ec == E::InvalidIAT) return "iat_missing";
    if (ec == E::InvalidJTI) return "jti_missing";
    return nullptr;
}

static json verify(const jc::Request &req) {
    json set = json::parse(req.jwks, nullptr, false);
    if (set.is_discarded())
        return jc::config_error("key set is not JSON (nlohmann)");
    const json *jwk = jc::pick_key(set, req.token);
    if (!jwk || !jwk->is_object())
        return jc::config_error("key set has no key object to convert");
    std::string secret;
    std::string kty = jwk->contains("kty") && (*jwk)["kty"].is_string() ? (*jwk)["kty"].get<std::string>() : "";
    if (kty == "oct") {
        if (!jwk->contains("k") || !(*jwk)["k"].is_string() || !jc::base64url_decode((*jwk)["k"].get<std::string>(), secret))
            return jc::config_error("oct JWK without a base64url k");
    } else {
        try {
            secret = jc::jwk_pem(*jwk);
        } catch (const std::exception &e) {
            return jc::config_error(std::string("JWK to PEM: ") + e.what());
        }
    }

    std::vector<std::string> algs = req.strings("algorithms");
    std::vector<std::string> required = req.required_claims();
    auto requires_claim = [&](const char *c) {
        for (auto &r : required)
            if (r == c)
                return true;
        return false;
    };
    std::string audience;
    bool has_aud = false;
    if (req.preset() == "oidc-id-token" && req.has_str("client_id")) {
        audience = req.str("client_id");
        has_aud = true;
    } else {
        auto auds = req.strings("audiences");
        if (!auds.empty()) {
            audience = auds[0];
            has_aud = true;
        }
    }
    int64_t leeway = req.integer("leeway_secs", 0);
    if (leeway < 0)
        leeway = 0;

    std::error_code ec;
    // cpp-jwt's decode takes its parameters as a variadic list: the optional ones are chosen here.
    auto run = [&](auto &&...extra) {
        return jwt::decode(jwt::string_view(req.token.data(), req.token.size()),
                           jwt::params::algorithms(algs), ec, jwt::params::secret(secret),
                           jwt::params::verify(true), jwt::params::leeway((uint32_t)leeway),
                           jwt::params::validate_iat(requires_claim("iat")),
                           jwt::params::validate_jti(requires_claim("jti")),
                           std::forward<decltype(extra)>(extra)...);
    };
    bool has_iss = req.has_str("issuer");
    jwt::jwt_object obj = has_iss && has_aud ? run(jwt::params::issuer(req.str("issuer")), jwt::params::aud(audience))
                          : has_iss          ? run(jwt::params::issuer(req.str("issuer")))
                          : has_aud          ? run(jwt::params::aud(audience))
                                             : run();
    if (ec) {
        json header = jc::peek_header(req.token);
        const char *reason = reason_of(ec, header);
        return jc::reject(std::string(ec.category().name()) + ": " + ec.message(), reason);
    }
    return jc::accept(obj.payload().create_json_obj());
}

int main() {
    jc::Hello h;
    h.name = "cpp-jwt";
    h.library = "cpp-jwt (C++)";
    h.version = LIB_VERSION;
    h.algorithms = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "HS256", "HS384", "HS512"};
    h.presets = {"rfc9068", "jwt", "oidc-id-token"};
    h.notes = {
        "jwt::decode with algorithms(profile), secret(key), issuer, aud (client_id under oidc-id-token, else the "
        "first audience), leeway, validate_iat/validate_jti when iat/jti are required",
        "one secret for every algorithm: the JWK whose kid matches the token's (else the first), oct as its bytes, "
        "RSA/EC as an SPKI PEM (OpenSSL)",
        "no PS*, no EdDSA; system clock (no clock injection); no typ setting: typ must be JWT when present, so "
        "at+jwt is refused; exp, sub and client_id cannot be required; aud compared as one string",
    };
    return jc::serve(h, verify);
}
