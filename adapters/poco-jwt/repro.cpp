// POCO JWT 1.11 verifies an ES256 token with a P-384 key: Signer uses whatever EC key it holds with
// the hash of the header's alg, and never compares the key's curve with the algorithm (ES256 is
// P-256 and SHA-256, RFC 7518 §3.4). A P-384 key accepted under ES256 is one key used with two
// algorithms, which RFC 8725 §3.1 (RFC8725-3.1-alg) forbids ("each key MUST be used with exactly
// one algorithm"); an application allowing ES256 and ES384 cannot stop it: Signer has no
// key-to-algorithm binding (setECKey takes any curve).
//
// Reproduces: ecdsa/es256-signed-by-p384-key (forgery)
//
// POCO is configured exactly as the jwt-conformance adapter does (adapters/poco-jwt/adapter.cpp): a
// Signer with setAlgorithms({"ES256", "ES384"}) (the profile's), setECKey with the P-384 JWK (kid "p384")
// of the vector's key set as an SPKI PEM (OpenSSL's conversion) read by Poco::Crypto::ECKey, then Signer::verify.
//
// Run (Debian libpoco-dev installed): bash scripts/setup/cpp.sh && adapters/poco-jwt/bin/repro
// or: g++ -std=gnu++17 -o repro adapters/poco-jwt/repro.cpp -lPocoJWT -lPocoJSON -lPocoCrypto -lPocoFoundation && ./repro
#include <cstdio>
#include <set>
#include <sstream>
#include <string>

#include <Poco/Crypto/ECKey.h>
#include <Poco/Exception.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>

static const char TOKEN[] =
    "eyJhbGciOiJFUzI1NiIsImtpZCI6InAzODQiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY"
    "2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z"
    "XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.N30x3JTCnci3wq"
    "aq4oLiNFeCpUTyiKqd5Z-XiC50OdAppf5Tm56D0KcHd45470xYdPimEN-t-nlkRYVRJmhaP0IVHn25qq4hWYWaf9IZOkc_pw-KO3"
    "OktxWh8yTubw4u";

static const char PEM[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAEL7sEUkkF+LfDYiaMeKV6kzFD7oBQ0ti2\n"
    "LVUPxjhIz/+4+bQHzRPIfnR2RA8o0x5kMz9ugU5C1rbjCMja3boHI2sceo1S0gTT\n"
    "7GM0IJrxqMsC41GAv2t44bbOw4ocU9Al\n"
    "-----END PUBLIC KEY-----\n";

int main() {
    Poco::JWT::Signer signer;
    signer.setAlgorithms(std::set<std::string>{"ES256", "ES384"});
    std::istringstream pem(PEM);
    signer.setECKey(new Poco::Crypto::ECKey(&pem));
    try {
        Poco::JWT::Token token = signer.verify(TOKEN);
        std::printf("REPRODUCED ecdsa/es256-signed-by-p384-key: Signer::verify accepted an ES256 token with the P-384 key (alg \"%s\", sub \"%s\")\n",
                    token.getAlgorithm().c_str(), token.getSubject().c_str());
        return 0;
    } catch (const Poco::Exception &e) {
        std::printf("NOT REPRODUCED ecdsa/es256-signed-by-p384-key: Signer::verify refused the token (%s)\n", e.displayText().c_str());
        return 1;
    }
}
