// Standalone reproduction of a jose2go 1.5 must finding in jwt-conformance: its ECDSA verifier
// does not check the signature's length: it splits whatever octets come in half as r and s, so
// an ES512 signature of 130 octets (r and s in 65 octets each, their leading zero octets dropped)
// verifies.
//
// RFC 7518 §3.4 (binding): "The JWS Signature value MUST be a 64-octet sequence. If it is not a
// 64-octet sequence, the validation has failed", and for ECDSA P-521 SHA-512 "R and S will be
// 521 bits each, resulting in a 132-octet sequence". One signed token thereby has several byte
// forms.
//
// Reproduces: ecdsa/es512-sig-130-octets (forgery)
//
// The library is configured exactly as the jwt-conformance adapter configures it
// (adapters/jose2go/main.go): the JWK converted to a Go key with the standard library, given to
// jose.DecodeBytes as jose2go's key callback (the key whose kid equals the header's; jose2go
// takes no algorithm list and checks no claims). Only the library and Go's standard library are
// used.
//
// Run (after scripts/setup/go.sh, which builds it): adapters/jose2go/bin/repro-es512-short
// or: cd adapters/jose2go/repro-es512-short && GO111MODULE=off GOPATH=/usr/share/gocode go run .
// Prints "REPRODUCED ecdsa/es512-sig-130-octets: …" and exits 0 when the library accepts.
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
	vector = "ecdsa/es512-sig-130-octets"
	jwks   = `{"keys":[{"alg":"ES512","crv":"P-521","kid":"p521","kty":"EC","use":"sig","x":"AQBWDia6cnF2VfA3xO8km` +
		`EFSN8LysA0SPzi1S7U6eN9fiMJaCdGyXvw_kHcJ-cAIyuwVIBEB1UgoOzUkFjJ289o1","y":"AFcPFqZ56uio-PflDhAFXLWkaN` +
		`CXs8emPSdxKQoB5Y0KptCFiZKbFt6GEc0gBlxHtuwr_1hJSsH-1B-fyFVEgBj2"}]}`
	token = `eyJhbGciOiJFUzUxMiIsImtpZCI6InA1MjEiLCJ0eXAiOiJhdCtqd3QifQ.eyJhdWQiOiJodHRwczovL2FwaS5leGFtcGxlIiwiY` +
		`2xpZW50X2lkIjoiY2xpZW50LTEiLCJleHAiOjQxMDI0NDQ4MDAsImlhdCI6MTAwMDAwMDAwMCwiaXNzIjoiaHR0cHM6Ly9pc3N1Z` +
		`XIuZXhhbXBsZSIsImp0aSI6Imp0aS0wMDAxLTIiLCJzdWIiOiIwMUhaWTJKM0s0TTVONlA3UThSOVMwVDFWMiJ9.9vA-zkz2FEhB` +
		`r-DSPAv_jWsSr3UfMEHQ1cv5OIcuBCdml4xoL1QrX2FAHWX6EWjtiWqRvk-I3VzKwSE40lHtg67BoFHPD92vrOxwTD8r1_37ajQ4` +
		`o0E9NR78p-iIa7ZvCIa0VgFGH9q-VPGWIbTY0FLE8pPRRWsNUC80CljMe0n7oQ`
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
	fmt.Printf("REPRODUCED %s: jose2go accepted a token with alg %v and a 130-octet signature (payload of %d bytes)\n", vector, headers["alg"], len(payload))
}
