// jwt-conformance subprocess adapter for jose2go (github.com/dvsekhvalnov/jose2go, Go; Debian
// 1.5), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the Go protocol helper (adapters/go/src/jwtconformance) runs
// the protocol. jose2go is configured as strictly as its API allows and nothing is checked here:
// every verdict is jose2go's.
//
// jose2go is a JOSE library: jose.Decode(token, key) verifies a JWS (or decrypts a JWE: five
// segments) and returns the payload and the header; it has no claim validation of any kind. So
// every preset (rfc9068, jwt, oidc-id-token) runs as a signature check only: no exp, nbf, iat,
// iss, aud, sub, client_id, jti, azp or nonce check, required_claims not expressible, no clock
// (clock not declared), no typ or crit check, no size limit: the application must validate
// claims itself, and the claim vectors show what follows when it does not.
//
// Algorithms: ES256/384/512, RS*, PS*, HS* (12), the signing algorithms 1.5 registers; EdDSA is
// left out (1.5 has none). 1.5 cannot be pinned to a list: Decode takes no algorithms and
// verifies with the algorithm the token's header names, including "none" (the Plaintext method, which refuses any key that is not nil) and the
// JWE algorithms; the API forces taking the algorithm from the token, so the profile's list is
// not configured, and the key's Go type alone limits what it verifies.
//
// Keys: jose2go has no JWK parser (jwks_parsing not declared): each JWK is converted minimally
// with Go's standard library by jwtconformance.ConvertJWKS (EC -> *ecdsa.PublicKey from crv, x,
// y, a point off its curve refused; RSA -> *rsa.PublicKey from n, e; OKP Ed25519 ->
// ed25519.PublicKey, which no 1.5 method takes; oct -> the secret's bytes, what the HS* methods
// take; alg, use, key_ops are not read); a key it cannot convert refuses the set (config_error).
// The key is given to Decode as jose2go's key callback (func(headers, payload) interface{}),
// which returns the key whose kid equals the header's kid, else the set's first key
// (jwtconformance.PickKey; also for kid-less tokens under jwt and oidc-id-token), or an error for
// an empty set (never nil: nil is the key of "none"). Accepts carry no claims ("claims": false):
// jose2go returns the payload as bytes and decodes no claims. A panic inside the library is a
// rejection, "unexpected panic: …" (it failed closed).
package main

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"

	jose "github.com/dvsekhvalnov/jose2go"
	"github.com/dvsekhvalnov/jose2go/compact"

	h "jwtconformance"
)

// libraryVersion is the Debian package's version (the pin), set by scripts/setup/go.sh with
// -ldflags -X: the library has no version constant.
var libraryVersion = "unknown"

var algorithms = []string{"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "HS256", "HS384", "HS512"}

func keys(req *h.Request) (interface{}, error) { return h.ConvertJWKS(req.JWKSBytes) }

func verify(req *h.Request, set interface{}) (interface{}, error) {
	keys := set.([]h.JWK)
	callback := func(headers map[string]interface{}, payload string) interface{} {
		key := h.PickKey(keys, headers["kid"])
		if key == nil {
			return errors.New("the key set has no keys")
		}
		return key.Key
	}
	_, err := h.Library(func() (bool, error) {
		_, _, err := jose.DecodeBytes(req.TokenText, callback)
		return err == nil, err
	})
	return nil, err
}

// badSignature: the texts of jose2go's signature failures with a key of the method's type.
var badSignature = []string{"HmacUsingSha.Verify(): Signature is invalid", "EcdsaUsingSha.Verify(): Signature is not valid."}

func reason(err error, req *h.Request) string {
	// Labeling only: the header as the library reads it (compact.Parse, encoding/json).
	parts, perr := compact.Parse(req.TokenText)
	if perr != nil || len(parts) != 3 {
		return ""
	}
	var header map[string]interface{}
	if json.Unmarshal(parts[0], &header) != nil {
		return ""
	}
	alg, ok := header["alg"].(string)
	if !ok {
		if strings.Contains(err.Error(), "required 'alg' header is missing") {
			return "alg_none"
		}
		return ""
	}
	allowed := false
	for _, a := range req.Profile.Algorithms {
		allowed = allowed || a == alg
	}
	if !allowed {
		return h.AlgReason(alg)
	}
	if errors.Is(err, rsa.ErrVerification) {
		return "signature_invalid"
	}
	for _, text := range badSignature {
		if err.Error() == text {
			return "signature_invalid"
		}
	}
	return ""
}

func main() {
	h.Serve(h.Adapter{
		Name: "jose2go", Library: "jose2go (Go)", Version: libraryVersion,
		Features: []string{}, Claims: false, Keys: keys, Verify: verify, Reason: reason,
		Algorithms: algorithms, Presets: []string{"rfc9068", "jwt", "oidc-id-token"},
		Notes: []string{
			"jose.DecodeBytes(token, key callback: the JWK whose kid equals the header's, else the set's first; an error for an empty set, never nil); keys converted with Go's standard library (EC, RSA, OKP Ed25519 -> public keys, oct -> secret bytes)",
			"1.5 has no algorithm allowlist (the token's alg is used with the key given, whose Go type alone limits it; JWE is decrypted too) and no EdDSA (left out)",
			"signature only, under every preset: no exp/nbf/iat/iss/aud/sub/client_id/jti/azp/nonce validation, required_claims not expressible, no clock, no typ or crit check, no size limit " +
				"(the application must validate claims); no claims returned (the payload stays bytes)",
		},
	})
}
