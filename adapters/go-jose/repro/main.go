// Standalone reproduction of go-jose v2's gravest must finding in jwt-conformance: with zero
// leeway, jwt.Claims.ValidateWithLeeway accepts a token at the very second of its exp (it
// rejects only when now is after exp).
//
// RFC 7519 §4.1.4 (binding on the recipient): "The "exp" (expiration time) claim identifies the
// expiration time on or after which the JWT MUST NOT be accepted for processing. The processing
// of the "exp" claim requires that the current date/time MUST be before the expiration date/time
// listed in the "exp" claim." The token below is correctly signed by the pinned key, has
// exp = 1700000000 and is verified at now = 1700000000: it is expired, and go-jose accepts it.
//
// Reproduces: time/exp-equals-now (policy-bypass)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/go-jose/main.go): the JWK Set unmarshalled into a jose.JSONWebKeySet with go-jose's
// JSON package, jwt.ParseSigned, Claims(keySet, &claims, &raw) (the library picks the key by
// kid), then claims.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, 0). Only the
// library and Go's standard library are used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/go-jose/bin/repro
// or: cd adapters/go-jose/repro && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED time/exp-equals-now: …" and exits 0 when the library accepts.
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
	vector   = "time/exp-equals-now"
	issuer   = "https://issuer.example"
	audience = "https://api.example"
	now      = 1700000000
	jwks     = `{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig",` +
		`"x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}`
	token = "eyJhbGciOiJFUzI1NiIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ" +
		".eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjE3MDAwMDAwMDAsImlhdCI6MTY5OTk5OTk5MCwiaXNzIjoiaHR0cHM6Ly9pc3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ" +
		".R3HfUjiP8kUeiAgIuZC9Zcs8EVNkQNTWcQ46TOeg1Kf4KF26AbrWVTAp4u9uTs5fpLYMEOcguAG9vhUDYcXVBA"
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
	fmt.Printf("REPRODUCED %s: go-jose accepted, with zero leeway at now = %d, a token whose exp is %d\n",
		vector, now, int64(*claims.Expiry))
}
