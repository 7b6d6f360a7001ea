// Standalone reproduction of a go-jose v2 must finding in jwt-conformance: v2 has no algorithm
// allowlist (ParseSigned takes none: v3 added it), so a PS256 token verifies with the RSA key
// pinned for RS256 only: whatever the token's header names among the algorithms the key's type
// can run is used.
//
// RFC 8725 §3.1 (binding on libraries): "Libraries MUST enable the caller to specify a supported
// set of algorithms and MUST NOT use any other algorithms when performing cryptographic
// operations." The token below is a genuine PS256 token under the pinned RSA key (kid
// "rsa-2048"); the application allows RS256 only, and go-jose accepts it.
//
// Reproduces: allowlist/ps256-not-in-rs256 (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/go-jose/main.go): the JWK Set unmarshalled into a jose.JSONWebKeySet with go-jose's
// JSON package, jwt.ParseSigned, Claims(keySet, &claims, &raw) (the library picks the key by
// kid), then claims.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, 0). Only the
// library and Go's standard library are used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/go-jose/bin/repro-allowlist
// or: cd adapters/go-jose/repro-allowlist && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED allowlist/ps256-not-in-rs256: …" and exits 0 when the library accepts.
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
	vector   = "allowlist/ps256-not-in-rs256"
	issuer   = "https://issuer.example"
	audience = "https://api.example"
	now      = 1700000000
	jwks     = `{"keys":[{"e":"AQAB","kid":"rsa-2048","kty":"RSA","n":"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2` +
		`MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZ` +
		`lxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIR` +
		`eOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw","` +
		`use":"sig"}]}`
	token = `eyJhbGciOiJQUzI1NiIsImtpZCI6InJzYS0yMDQ4IiwidHlwIjoiYXQrand0In0.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxl` +
		`IiwiY2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9p` +
		`c3N1ZXIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxIiwic3ViIjoiMDFIWlkySjNLNE01TjZQN1E4UjlTMFQxVjIifQ.04FRpxXTv` +
		`BG3bjVh99iR1GKyKLm78JG0MmuLXQZH4KOCO-rKClulTeoRjh9WKMxaZI5ar3DDxmZt4bYS8i9sPQ0RtIcJe4UcqiNxSHuvxfE1S` +
		`-arGY353GJ8IJPYD_ChwbUh6oWmbXQydW7ASfuKnQOVvFPESeDK5FHk6X8XkTndwuarJ7bPWLDjLjT7humO47pktHhj_JTaswGib` +
		`7m8pqxpxH9DsTZv7oHYopHIO8AaqzyaqG3dgcory7GgB7LG1x6_TZdfHRAa6w5RBQolDesO2pQ-F4MBKdlocMzD8oHJI3KCUpXfp` +
		`qQofblgqT1ufnwZHbZZPiODhtkY4g4UrQ`
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
	fmt.Printf("REPRODUCED %s: go-jose accepted a token with alg %s (kid %q) where only RS256 is allowed\n", vector, parsed.Headers[0].Algorithm, parsed.Headers[0].KeyID)
}
