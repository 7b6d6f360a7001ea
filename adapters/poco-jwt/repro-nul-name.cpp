// POCO JWT 1.11 accepts a token whose header has no "alg" member, only "alg\u0000": POCO's JSON
// parser gives the member name with the NUL cut off, so Token::getAlgorithm() reads "ES256".
// RFC 7515 §4.1.1 (RFC7515-4.1.1-alg): alg is REQUIRED; a name that is not "alg" is not alg (M01:
// a token with no algorithm must be refused). Parsing is internal to Token::assign: no setting.
//
// Reproduces: json/header-escaped-alg-trailing-nul-only (forgery)
//
// POCO is configured exactly as the jwt-conformance adapter does (adapters/poco-jwt/adapter.cpp): a
// Signer with setAlgorithms({"ES256"}) (the profile's), setECKey with the P-256 JWK (kid "primary")
// of the vector's key set as an SPKI PEM (OpenSSL's conversion) read by Poco::Crypto::ECKey, then Signer::verify.
//
// Run (Debian libpoco-dev installed): bash scripts/setup/cpp.sh && adapters/poco-jwt/bin/repro-nul-name
// or: g++ -std=gnu++17 -o repro adapters/poco-jwt/repro-nul-name.cpp -lPocoJWT -lPocoJSON -lPocoCrypto -lPocoFoundation && ./repro
#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

static const char TOKEN[] =
    "eyJhbGdcdTAwMDAiOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5le"
    "GFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0c"
    "HM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.Tz"
    "aklm0o4hp9QDjBaRbDx50qhwe8LIo9bY8umuJx6Xv_QuvtPvSkAfBjRp6sOvEe87ogaSxI2TEeypN9Ej6UNQ";

static const char PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEOg9O0oqYw6X3WZLhErumXMqF78Cg\n"
    "L9XjmicCJocZZuGinMEypj0Ctf45TM1bRvKrHzQlCLDIg9FPJ2MF0cMsQg==\n"
    "-----END PUBLIC KEY-----\n";

int main() {
    Poco::JWT::Signer signer;
    signer.setAlgorithms(std::set<std::string>{"ES256"});
    std::istringstream pem(PEM);
    signer.setECKey(new Poco::Crypto::ECKey(&pem));
    try {
        Poco::JWT::Token token = signer.verify(TOKEN);
        std::printf("REPRODUCED json/header-escaped-alg-trailing-nul-only: Signer::verify accepted a header whose only alg-like member is \"alg\\u0000\" (alg \"%s\", sub \"%s\")\n",
                    token.getAlgorithm().c_str(), token.getSubject().c_str());
        return 0;
    } catch (const Poco::Exception &e) {
        std::printf("NOT REPRODUCED json/header-escaped-alg-trailing-nul-only: Signer::verify refused the token (%s)\n", e.displayText().c_str());
        return 1;
    }
}
