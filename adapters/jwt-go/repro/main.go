// Standalone reproduction of dgrijalva/jwt-go v3's gravest must finding in jwt-conformance: it
// ignores the "crit" header parameter, so it accepts a token whose crit lists an extension it does not
// understand.
//
// RFC 7515 §4.1.11 (binding on the recipient): "If any of the listed extension Header Parameters
// are not understood and supported by the recipient, then the JWS is invalid. … This Header
// Parameter MUST be understood and processed by implementations." The token below is correctly
// signed by the pinned key, valid in every claim, and its header has
// "crit": ["http://example.com/ext"] with "http://example.com/ext": true; the library has no way
// to be told which extensions it understands, and never looks at crit.
//
// Reproduces: header/crit-unknown-extension (policy-bypass)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/jwt-go/main.go): jwt.Parser{ValidMethods: ["ES256"]}, MapClaims, jwt.TimeFunc
// = the vector's now, the JWK converted to an *ecdsa.PublicKey with the standard library, then
// MapClaims.VerifyExpiresAt/VerifyIssuedAt(now, true), VerifyIssuer(issuer, true) and
// VerifyAudience(audience, true). Only the library and Go's standard library are used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/jwt-go/bin/repro
// or: cd adapters/jwt-go/repro && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED header/crit-unknown-extension: …" and exits 0 when the library accepts.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"fmt"
	"math/big"
	"os"
	"time"

	"github.com/dgrijalva/jwt-go"
)

const (
	vector   = "header/crit-unknown-extension"
	issuer   = "https://issuer.example"
	audience = "https://api.example"
	now      = 1700000000
	// JWK {"kty":"EC","crv":"P-256","kid":"primary","alg":"ES256","use":"sig","x":…,"y":…}
	jwkX  = "Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE"
	jwkY  = "opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"
	token = "eyJhbGciOiJFUzI1NiIsImNyaXQiOlsiaHR0cDovL2V4YW1wbGUuY29tL2V4dCJdLCJodHRwOi8vZXhhbXBsZS5jb20vZXh0Ijp0cnVlLCJraWQiOiJwcmltYXJ5IiwidHlwIjoiYXQrand0In0" +
		".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ" +
		".oYwG_a_DaEDlfjUVQm9XZqbCEiZjwR9Naj78PmgL1Okhf0UX3flJwGHQb4EnLIRilKJ6HpzMycALTB-8Xj6Kwg"
)

func coordinate(s string) *big.Int {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return new(big.Int).SetBytes(b)
}

func notReproduced(format string, args ...interface{}) {
	fmt.Printf("NOT REPRODUCED %s: %s\n", vector, fmt.Sprintf(format, args...))
	os.Exit(1)
}

func main() {
	key := &ecdsa.PublicKey{Curve: elliptic.P256(), X: coordinate(jwkX), Y: coordinate(jwkY)}
	jwt.TimeFunc = func() time.Time { return time.Unix(now, 0) }
	parser := &jwt.Parser{ValidMethods: []string{"ES256"}}
	claims := jwt.MapClaims{}
	parsed, err := parser.ParseWithClaims(token, claims, func(*jwt.Token) (interface{}, error) { return key, nil })
	if err != nil {
		notReproduced("jwt-go rejected the token: %v", err)
	}
	switch {
	case !claims.VerifyExpiresAt(now, true):
		notReproduced("jwt-go rejected the token: VerifyExpiresAt(now, true) is false")
	case !claims.VerifyIssuedAt(now, true):
		notReproduced("jwt-go rejected the token: VerifyIssuedAt(now, true) is false")
	case !claims.VerifyIssuer(issuer, true):
		notReproduced("jwt-go rejected the token: VerifyIssuer(issuer, true) is false")
	case !claims.VerifyAudience(audience, true):
		notReproduced("jwt-go rejected the token: VerifyAudience(audience, true) is false")
	}
	fmt.Printf("REPRODUCED %s: jwt-go accepted (Valid=%v) a token whose crit lists the unknown extension %v\n",
		vector, parsed.Valid, parsed.Header["crit"])
}
