package jwtconformance

// Minimal JWK conversion for Go libraries that take crypto keys and have no JWK parser of their
// own (golang-jwt, dgrijalva/jwt-go, jose2go): each key of a JWK Set becomes the Go value those
// libraries verify with, and nothing else is checked.

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
)

// JWK is one converted key of a set.
type JWK struct {
	// Kid is the key's kid when it is a string (HasKid), else "".
	Kid    string
	HasKid bool
	// Kty is the key's kty as sent.
	Kty string
	// Key is *ecdsa.PublicKey (EC), *rsa.PublicKey (RSA), ed25519.PublicKey (OKP Ed25519) or
	// []byte (oct: the secret's bytes).
	Key interface{}
}

var jwkCurves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

// ConvertJWKS converts every key of a JWK Set (its bytes) minimally, with Go's standard library:
// EC: crv (P-256, P-384, P-521) picks the curve and x, y (base64url) are its coordinates; a point
// not on the curve is refused (Go's curve arithmetic panics on one). RSA: n and e (base64url,
// e at most 2^31-1: Go's int) make an *rsa.PublicKey. OKP with crv Ed25519: x's bytes, whatever
// their length, are the ed25519.PublicKey. oct: k's bytes. Members it does not need (alg, use,
// key_ops, d, ...) are not looked at. An error (a set that is not an object with a keys array, a
// key it cannot convert, another kty or crv) refuses the whole set: the adapter answers a
// config_error.
func ConvertJWKS(data []byte) ([]JWK, error) {
	var set struct {
		Keys *[]json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("key set: %v", err)
	}
	if set.Keys == nil {
		return nil, fmt.Errorf("key set: no keys array")
	}
	out := make([]JWK, 0, len(*set.Keys))
	for i, raw := range *set.Keys {
		key, err := convertJWK(raw)
		if err != nil {
			return nil, fmt.Errorf("JWK %d: %v", i, err)
		}
		out = append(out, key)
	}
	return out, nil
}

func convertJWK(raw json.RawMessage) (JWK, error) {
	var jwk struct {
		Kid                     interface{} `json:"kid"`
		Kty, Crv, X, Y, N, E, K *string
	}
	if err := json.Unmarshal(raw, &jwk); err != nil {
		return JWK{}, err
	}
	out := JWK{}
	out.Kid, out.HasKid = jwk.Kid.(string)
	if jwk.Kty == nil {
		return out, fmt.Errorf("no kty string")
	}
	out.Kty = *jwk.Kty
	bytes := func(name string, v *string) ([]byte, error) {
		if v == nil {
			return nil, fmt.Errorf("no %s string", name)
		}
		b, err := base64.RawURLEncoding.DecodeString(*v)
		if err != nil {
			return nil, fmt.Errorf("%s is not base64url: %v", name, err)
		}
		return b, nil
	}
	switch out.Kty {
	case "EC":
		if jwk.Crv == nil || jwkCurves[*jwk.Crv] == nil {
			return out, fmt.Errorf("no EC curve for crv %s", show(jwk.Crv))
		}
		curve := jwkCurves[*jwk.Crv]
		x, err := bytes("x", jwk.X)
		if err != nil {
			return out, err
		}
		y, err := bytes("y", jwk.Y)
		if err != nil {
			return out, err
		}
		pub := &ecdsa.PublicKey{Curve: curve, X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
		if !curve.IsOnCurve(pub.X, pub.Y) {
			return out, fmt.Errorf("the point is not on %s", *jwk.Crv)
		}
		out.Key = pub
	case "RSA":
		n, err := bytes("n", jwk.N)
		if err != nil {
			return out, err
		}
		e, err := bytes("e", jwk.E)
		if err != nil {
			return out, err
		}
		exponent := new(big.Int).SetBytes(e)
		if !exponent.IsInt64() || exponent.Int64() > 1<<31-1 {
			return out, fmt.Errorf("e does not fit a Go int")
		}
		out.Key = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exponent.Int64())}
	case "OKP":
		if jwk.Crv == nil || *jwk.Crv != "Ed25519" {
			return out, fmt.Errorf("no OKP signature curve for crv %s", show(jwk.Crv))
		}
		x, err := bytes("x", jwk.X)
		if err != nil {
			return out, err
		}
		out.Key = ed25519.PublicKey(x)
	case "oct":
		k, err := bytes("k", jwk.K)
		if err != nil {
			return out, err
		}
		out.Key = k
	default:
		return out, fmt.Errorf("unknown kty %q", out.Kty)
	}
	return out, nil
}

// PickKey is the shipped adapters' kid rule (conformance/src/adapters/common.rs::pick_key) for
// libraries with no key selection of their own: the first key whose kid equals the token's kid
// (a string), else the set's first key; nil for an empty set.
func PickKey(set []JWK, kid interface{}) *JWK {
	if len(set) == 0 {
		return nil
	}
	if s, ok := kid.(string); ok {
		for i := range set {
			if set[i].HasKid && set[i].Kid == s {
				return &set[i]
			}
		}
	}
	return &set[0]
}

func show(s *string) string {
	if s == nil {
		return "(none)"
	}
	return fmt.Sprintf("%q", *s)
}
