// POCO JWT 1.11 accepts a token of four segments: Signer::tryVerify splits the token on dots and
// only refuses fewer than three parts ("parts.size() < 3"); whatever follows the third segment is
// ignored. RFC 7515 §3.1/§7.1 (RFC7515-3-compact): a JWS Compact Serialization is exactly three
// base64url parts joined by two dots; the extra segment is attacker-controlled data that reaches
// the application as part of an "authenticated" token. No Signer setting changes the split.
//
// Reproduces: form/segments-4 (forgery)
//
// POCO is configured exactly as the jwt-conformance adapter does (adapters/poco-jwt/adapter.cpp): a
// Signer with setAlgorithms({"ES256"}) (the profile's), setECKey with the P-256 JWK (kid "primary")
// of the vector's key set as an SPKI PEM (OpenSSL's conversion) read by Poco::Crypto::ECKey, then Signer::verify.
//
// Run (Debian libpoco-dev installed): bash scripts/setup/cpp.sh && adapters/poco-jwt/bin/repro-segments
// or: g++ -std=gnu++17 -o repro adapters/poco-jwt/repro-segments.cpp -lPocoJWT -lPocoJSON -lPocoCrypto -lPocoFoundation && ./repro
#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlI"
    "iwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc"
    "3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.t072FQDotx"
    "PJq4G8dWw3aCFZzbzcHWZ2t5b5cvBzxwJbE23ZBIwCNiRbtw7CV3wMEzPAa08MELAI6WQSukLDBQ.eyJhbGciOiJFUzI1NiIsImt"
    "pZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ";

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
        std::printf("REPRODUCED form/segments-4: Signer::verify accepted a token of four segments (alg \"%s\", sub \"%s\")\n",
                    token.getAlgorithm().c_str(), token.getSubject().c_str());
        return 0;
    } catch (const Poco::Exception &e) {
        std::printf("NOT REPRODUCED form/segments-4: Signer::verify refused the token (%s)\n", e.displayText().c_str());
        return 1;
    }
}
