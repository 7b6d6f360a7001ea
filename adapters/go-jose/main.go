// jwt-conformance subprocess adapter for go-jose v2 (gopkg.in/square/go-jose.v2 and its jwt
// package, Go), protocol version 3 (docs/adapters.md).
//
// One process serves a whole run; the Go protocol helper (adapters/go/src/jwtconformance) runs
// the protocol. go-jose is configured as strictly as its API allows and nothing is checked here:
// every verdict is go-jose's.
//
// Algorithms: all 13 (ES256/384/512, RS*, PS*, EdDSA, HS*), which v2 verifies; but v2 cannot be
// pinned to any list: ParseSigned takes no algorithms (v3 added them), the token's alg is used
// with whatever key is found, and only the key's type limits it. So a profile's algorithm list
// is not configured (the API forces taking the algorithm from the token header; the algorithm
// vectors show what follows). Presets: rfc9068, jwt, oidc-id-token.
//
// Configuration: the key set's exact bytes (jwks_base64) are unmarshalled into a
// jose.JSONWebKeySet with go-jose's own JSON package (each JWK, EC, RSA, OKP Ed25519 or oct,
// through JSONWebKey.UnmarshalJSON; its refusal is a config_error). jwt.ParseSigned parses the
// token; Claims(keySet, &claims, &raw) verifies the signature with the key the library looks up
// by kid in the set itself (a kid-less token, or a kid not in the set, gets the whole set, which
// the verifier refuses: the library's own key selection, under every preset), and decodes the
// payload into jwt.Claims and into a map (the claims of an acceptance, "claims": true). Then
// Claims.ValidateWithLeeway(jwt.Expected{Issuer (when the profile has one), Audience, Time: now},
// the profile's leeway): the vector's now is the clock (clock injection). Expected.Audience
// requires every value it lists, so one Expected per profile audience (under oidc-id-token the
// client_id), accepted when one validates (the profile accepts any of them). v2 cannot require
// exp, iat, nbf, sub, client_id, jti or any other claim (iss and aud are compared when configured,
// so required then; Expected.Subject and ID compare values, which no profile gives), cannot check
// typ (nothing configured, typ null or not), azp or nonce, and has no size limit. A panic inside
// the library is a rejection, "unexpected panic: …" (it failed closed).
package main

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"strings"

	jose "gopkg.in/square/go-jose.v2"
	josejson "gopkg.in/square/go-jose.v2/json"
	"gopkg.in/square/go-jose.v2/jwt"

	h "jwtconformance"
)

// libraryVersion is the Debian package's version (the pin), set by scripts/setup/go.sh with
// -ldflags -X: the library has no version constant.
var libraryVersion = "unknown"

func keys(req *h.Request) (interface{}, error) {
	return h.Library(func() (jose.JSONWebKeySet, error) {
		var set jose.JSONWebKeySet
		err := josejson.Unmarshal(req.JWKSBytes, &set)
		return set, err
	})
}

func verify(req *h.Request, set interface{}) (interface{}, error) {
	var std jwt.Claims
	raw := map[string]interface{}{}
	_, err := h.Library(func() (bool, error) {
		token, err := jwt.ParseSigned(req.TokenText)
		if err != nil {
			return false, err
		}
		return true, token.Claims(set.(jose.JSONWebKeySet), &std, &raw)
	})
	if err != nil {
		return nil, err
	}
	audiences := req.Profile.Audiences
	if req.Profile.ClientID != nil && len(audiences) == 0 {
		audiences = []string{*req.Profile.ClientID} // oidc-id-token: the client is the audience
	}
	if len(audiences) == 0 {
		audiences = []string{""}
	}
	var first error
	for _, aud := range audiences {
		expected := jwt.Expected{Issuer: req.Profile.IssuerOr(""), Time: req.NowTime()}
		if aud != "" {
			expected.Audience = jwt.Audience{aud}
		}
		_, err := h.Library(func() (bool, error) { return true, std.ValidateWithLeeway(expected, req.Profile.Leeway()) })
		if err == nil {
			return raw, nil
		}
		// An audience that matched shows the check that failed after it.
		if first == nil || (errors.Is(first, jwt.ErrInvalidAudience) && !errors.Is(err, jwt.ErrInvalidAudience)) {
			first = err
		}
	}
	return nil, first
}

var reasons = map[error]string{
	jwt.ErrInvalidIssuer: "iss_mismatch", jwt.ErrExpired: "expired", jwt.ErrNotValidYet: "not_yet_valid",
	jwt.ErrIssuedInTheFuture: "iat_future", jwt.ErrUnmarshalNumericDate: "invalid_numeric_type",
	jwt.ErrUnmarshalAudience: "aud_mismatch",
}

var algorithms = []string{"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA", "HS256", "HS384", "HS512"}

// fits says whether key is of the family (and curve) of alg: a crypto failure with such a key
// is a bad signature.
func fits(key interface{}, alg string) bool {
	switch k := key.(type) {
	case *ecdsa.PublicKey:
		return map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}[alg] == k.Curve.Params().Name
	case *rsa.PublicKey:
		return strings.HasPrefix(alg, "RS") || strings.HasPrefix(alg, "PS")
	case ed25519.PublicKey:
		return alg == "EdDSA"
	case []byte:
		return strings.HasPrefix(alg, "HS")
	}
	return false
}

func reason(err error, req *h.Request) string {
	for e, id := range reasons {
		if errors.Is(err, e) {
			return id
		}
	}
	// Labeling only: the header and claims as the library's parser reads them.
	token, perr := jwt.ParseSigned(req.TokenText)
	if perr != nil {
		return ""
	}
	header := token.Headers[0]
	set, _ := keys(req)
	var found []jose.JSONWebKey
	if s, ok := set.(jose.JSONWebKeySet); ok && header.KeyID != "" {
		found = s.Key(header.KeyID)
	}
	switch {
	case errors.Is(err, jose.ErrUnsupportedKeyType):
		// Claims is always given the key set: the library hands the set itself to the verifier
		// (which refuses it) when the token's kid is not in it (kid-less tokens: no label).
		if header.KeyID != "" && len(found) == 0 {
			return "kid_unknown"
		}
	case errors.Is(err, jwt.ErrInvalidAudience):
		raw := map[string]interface{}{}
		if token.UnsafeClaimsWithoutVerification(&raw) != nil {
			return ""
		}
		if _, ok := raw["aud"]; ok {
			return "aud_mismatch"
		}
		return "aud_missing"
	case errors.Is(err, jose.ErrCryptoFailure):
		// Bad signature, an alg the key cannot verify, or an unknown crit member.
		if _, crit := header.ExtraHeaders["crit"]; crit || header.Algorithm == "" {
			return ""
		}
		allowed := false
		for _, alg := range req.Profile.Algorithms {
			allowed = allowed || alg == header.Algorithm
		}
		if !allowed {
			return h.AlgReason(header.Algorithm)
		}
		if len(found) > 0 && fits(found[0].Key, header.Algorithm) {
			return "signature_invalid"
		}
	}
	return ""
}

func main() {
	h.Serve(h.Adapter{
		Name: "go-jose", Library: "go-jose v2 (Go)", Version: libraryVersion,
		Features: []string{"clock", "jwks_parsing"}, Claims: true, Keys: keys, Verify: verify, Reason: reason,
		Algorithms: algorithms, Presets: []string{"rfc9068", "jwt", "oidc-id-token"},
		Notes: []string{
			"jose.JSONWebKeySet from the key set's bytes (EC, RSA, OKP, oct by go-jose); jwt.ParseSigned, Claims(keySet) (kid lookup by the library; kid-less: the whole set, refused), " +
				"ValidateWithLeeway(Expected{Issuer, Audience (one per profile audience; oidc-id-token: client_id), Time: now}, leeway)",
			"v2 has no algorithm allowlist (ParseSigned takes none: the token's alg is used with the key found, whose type alone limits it): the profile's algorithms are not configured",
			"v2 cannot require exp, iat, nbf, sub, client_id, jti or other claims (iss and aud only when compared), no typ, azp or nonce check, no size limit",
		},
	})
}
