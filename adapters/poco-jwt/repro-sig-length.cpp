// POCO JWT 1.11 accepts an ES512 signature of 130 octets: its ECDSA verification splits the
// signature into two halves, whatever its length, and DER-encodes them as r and s. RFC 7518 §3.4
// (RFC7518-3.4-es384-es512) fixes the ES512 signature as R || S in exactly 132 octets; any other
// length MUST fail validation. A second valid encoding of the same signature is a malleability
// (forgery class: the signature bytes are not the ones the key holder produced). No Signer
// setting checks the length.
//
// Reproduces: ecdsa/es512-sig-130-octets (forgery)
//
// POCO is configured exactly as the jwt-conformance adapter does (adapters/poco-jwt/adapter.cpp): a
// Signer with setAlgorithms({"ES512"}) (the profile's), setECKey with the P-521 JWK (kid "p521")
// of the vector's key set as an SPKI PEM (OpenSSL's conversion) read by Poco::Crypto::ECKey, then Signer::verify.
//
// Run (Debian libpoco-dev installed): bash scripts/setup/cpp.sh && adapters/poco-jwt/bin/repro-sig-length
// or: g++ -std=gnu++17 -o repro adapters/poco-jwt/repro-sig-length.cpp -lPocoJWT -lPocoJSON -lPocoCrypto -lPocoFoundation && ./repro
#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxLTIiLCJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.9vA-zkz2FEhB"
    "r-DSPAv_jWsSr3UfMEHQ1cv5OIcuBCdml4xoL1QrX2FAHWX6EWjtiWqRvk-I3VzKwSE40lHtg67BoFHPD92vrOxwTD8r1_37ajQ4"
    "o0E9NR78p-iIa7ZvCIa0VgFGH9q-VPGWIbTY0FLE8pPRRWsNUC80CljMe0n7oQ";

static const char PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MIGbMBAGByqGSM49AgEGBSuBBAAjA4GGAAQBAFYOJrpycXZV8DfE7ySYQVI3wvKw\n"
    "DRI/OLVLtTp431+IwloJ0bJe/D+Qdwn5wAjK7BUgEQHVSCg7NSQWMnbz2jUAVw8W\n"
    "pnnq6Kj49+UOEAVctaRo0Jezx6Y9J3EpCgHljQqm0IWJkpsW3oYRzSAGXEe27Cv/\n"
    "WElKwf7UH5/IVUSAGPY=\n"
    "-----END PUBLIC KEY-----\n";

int main() {
    Poco::JWT::Signer signer;
    signer.setAlgorithms(std::set<std::string>{"ES512"});
    std::istringstream pem(PEM);
    signer.setECKey(new Poco::Crypto::ECKey(&pem));
    try {
        Poco::JWT::Token token = signer.verify(TOKEN);
        std::printf("REPRODUCED ecdsa/es512-sig-130-octets: Signer::verify accepted an ES512 signature of 130 octets (alg \"%s\", sub \"%s\")\n",
                    token.getAlgorithm().c_str(), token.getSubject().c_str());
        return 0;
    } catch (const Poco::Exception &e) {
        std::printf("NOT REPRODUCED ecdsa/es512-sig-130-octets: Signer::verify refused the token (%s)\n", e.displayText().c_str());
        return 1;
    }
}
