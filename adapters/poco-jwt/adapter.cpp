// jwt-conformance subprocess adapter for POCO JWT 1.11 (C++, Poco::JWT; Debian libpoco-dev),
// protocol version 3 (docs/adapters.md). The protocol loop is adapters/cpp-jwt/jc.hpp (on
// nlohmann::json). Every verdict is POCO's: nothing is checked here.
//
// Configuration, per request: a fresh Poco::JWT::Signer, setAlgorithms(profile.algorithms)
// (setAlgorithms, not addAlgorithm: a Signer starts with HS256 allowed, which addAlgorithm would
// keep), one key set in its slot (setHMACKey / setRSAKey / setECKey), then
// Signer::verify(token), which throws on a refusal (tryVerify's false is the same
// SignatureVerificationException). POCO JWT verifies the signature only: Signer checks no claim
// (exp, nbf, iat, iss, aud, required claims; Token only has getters), takes no clock, no typ,
// no audience, no issuer. The presets are declared (rfc9068, jwt, oidc-id-token) because the
// library can be used for each one as far as it goes: its verdicts are scored as they are.
//
// Keys: POCO has no JWK support. The adapter parses the key set (nlohmann), picks the JWK
// whose kid equals the token header's (read leniently, for selection only), else the first key,
// and converts it minimally: oct -> the bytes of k (setHMACKey), RSA/EC -> SPKI PEM via
// OpenSSL, read by Poco::Crypto::RSAKey / ECKey from a stream. The other slots stay empty (a
// token whose alg needs another key family is refused by POCO: "No RSA key available"...). A key
// the conversion or POCO refuses (OKP included) is a config_error.
//
// Left out, and why: PS256/384/512 and EdDSA (POCO JWT 1.11 registers HS*, RS*, ES* only); no
// clock feature; no claim, issuer, audience, typ, nonce configuration exists in the API.
// Errors: UnallowedAlgorithmException -> the alg family (alg_reason of the header's alg, read
// by POCO: Token::getAlgorithm); SignatureVerificationException -> signature_invalid; others
// unmapped. Claims of an accept are POCO's decoded payload (Poco::JSON::Object, stringified).
#include <sstream>
#include <string>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Crypto/RSAKey.h>
#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/JWTException.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

#include "../cpp-jwt/jc.hpp"

#ifndef LIB_VERSION
#error "build with -DLIB_VERSION=\"<Debian version of libpocojwt80>\" (scripts/setup/cpp.sh)"
#endif

using jc::json;

static json verify(const jc::Request &req) {
    json set = json::parse(req.jwks, nullptr, false);
    if (set.is_discarded())
        return jc::config_error("key set is not JSON (nlohmann)");
    const json *jwk = jc::pick_key(set, req.token);
    if (!jwk || !jwk->is_object())
        return jc::config_error("key set has no key object to convert");
    std::string kty = jwk->contains("kty") && (*jwk)["kty"].is_string() ? (*jwk)["kty"].get<std::string>() : "";

    Poco::JWT::Signer signer;
    std::set<std::string> algs;
    for (auto &a : req.strings("algorithms"))
        algs.insert(a);
    signer.setAlgorithms(algs);
    try {
        if (kty == "oct") {
            std::string secret;
            if (!jwk->contains("k") || !(*jwk)["k"].is_string() ||
                !jc::base64url_decode((*jwk)["k"].get<std::string>(), secret))
                return jc::config_error("oct JWK without a base64url k");
            signer.setHMACKey(secret);
        } else {
            std::string pem;
            try {
                pem = jc::jwk_pem(*jwk);
            } catch (const std::exception &e) {
                return jc::config_error(std::string("JWK to PEM: ") + e.what());
            }
            std::istringstream stream(pem);
            if (kty == "RSA")
                signer.setRSAKey(new Poco::Crypto::RSAKey(&stream));
            else
                signer.setECKey(new Poco::Crypto::ECKey(&stream));
        }
    } catch (const Poco::Exception &e) {
        return jc::config_error("POCO refused the key: " + e.displayText());
    }

    try {
        Poco::JWT::Token token = signer.verify(req.token);
        std::ostringstream out;
        token.payload().stringify(out);
        json claims = json::parse(out.str(), nullptr, false);
        if (claims.is_discarded())
            return jc::accept_note("POCO's payload did not stringify to JSON");
        return jc::accept(claims);
    } catch (const Poco::JWT::UnallowedAlgorithmException &e) {
        json alg = e.message();
        return jc::reject(e.displayText(), jc::alg_reason(&alg));
    } catch (const Poco::JWT::SignatureVerificationException &e) {
        return jc::reject(e.displayText(), "signature_invalid");
    } catch (const Poco::Exception &e) {
        return jc::reject(e.displayText());
    }
}

int main() {
    jc::Hello h;
    h.name = "poco-jwt";
    h.library = "POCO JWT (C++)";
    h.version = LIB_VERSION;
    h.algorithms = {"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "HS256", "HS384", "HS512"};
    h.presets = {"rfc9068", "jwt", "oidc-id-token"};
    h.notes = {
        "Poco::JWT::Signer with setAlgorithms(profile.algorithms) (replacing the default HS256) and one key: the JWK "
        "whose kid matches the token's (else the first), oct as setHMACKey, RSA/EC as SPKI PEM (OpenSSL) read by "
        "Poco::Crypto::RSAKey/ECKey; Signer::verify",
        "signature only: POCO JWT validates no claim (exp, nbf, iat, iss, aud, required claims), has no clock, "
        "typ, issuer, audience or nonce setting; no PS*, no EdDSA",
    };
    return jc::serve(h, verify);
}
