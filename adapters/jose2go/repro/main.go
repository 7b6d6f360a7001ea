// Standalone reproduction of a jose2go 1.5 must finding in jwt-conformance: it has no algorithm
// allowlist (Decode takes none and verifies with the algorithm the token's header names), so a
// PS256 token verifies with the RSA key pinned for RS256 only.
//
// RFC 8725 §3.1 (binding on libraries): "Libraries MUST enable the caller to specify a supported
// set of algorithms and MUST NOT use any other algorithms when performing cryptographic
// operations." The token below is a genuine PS256 token under the pinned RSA key (kid
// "rsa-2048"); the application allows RS256 only, and jose2go accepts it: whatever its header
// names among the algorithms the key's type can run is used.
//
// Reproduces: allowlist/ps256-not-in-rs256 (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/jose2go/main.go): the JWK converted to a Go key with the standard library, given to
// jose.DecodeBytes as jose2go's key callback (the key whose kid equals the header's; jose2go
// takes no algorithm list and checks no claims). Only the library and Go's standard library are
// used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/jose2go/bin/repro
// or: cd adapters/jose2go/repro && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED allowlist/ps256-not-in-rs256: …" and exits 0 when the library accepts.
package main

import (
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"

	jose "github.com/dvsekhvalnov/jose2go"
)

const (
	vector = "allowlist/ps256-not-in-rs256"
	jwks   = `{"keys":[{"e":"AQAB","kid":"rsa-2048","kty":"RSA","n":"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2` +
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

func b64(s string) []byte {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func main() {
	var set struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal([]byte(jwks), &set); err != nil {
		panic(err)
	}
	jwk := set.Keys[0]
	key := &rsa.PublicKey{N: new(big.Int).SetBytes(b64(jwk["n"])), E: int(new(big.Int).SetBytes(b64(jwk["e"])).Int64())}
	callback := func(headers map[string]interface{}, payload string) interface{} {
		if headers["kid"] == jwk["kid"] {
			return key
		}
		return errors.New("no key with that kid")
	}
	payload, headers, err := jose.DecodeBytes(token, callback)
	if err != nil {
		notReproduced("jose2go rejected the token: %v", err)
	}
	fmt.Printf("REPRODUCED %s: jose2go accepted a token with alg %v (payload of %d bytes) where only RS256 is allowed\n", vector, headers["alg"], len(payload))
}
