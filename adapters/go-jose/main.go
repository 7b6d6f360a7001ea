// jwt-conformance subprocess adapter for go-jose v2 (gopkg.in/square/go-jose.v2 and its jwt
// package, Go), protocol version 2 (docs/adapters.md).
//
// One process serves a whole run; the Go protocol helper (adapters/go/src/jwtconformance) runs
// the protocol. go-jose is configured as strictly as its API allows and nothing is checked here:
// every verdict is go-jose's.
//
// Configuration: the key set's exact bytes (jwks_base64) are unmarshalled into a
// jose.JSONWebKeySet with go-jose's own JSON package (each JWK through JSONWebKey.UnmarshalJSON;
// its refusal is a config_error). jwt.ParseSigned parses the token; Claims(keySet, &claims, &raw)
// verifies the signature with the key the library looks up by kid in the set itself, and decodes
// the payload into jwt.Claims and into a map (the claims of an acceptance, "claims": true). Then
// Claims.ValidateWithLeeway(jwt.Expected{Issuer, Audience, Time: now}, leeway 0): the vector's
// now is the clock (clock injection). Expected.Audience requires every value it lists, so one
// Expected per profile audience, accepted when one validates (the profile accepts any of them).
// v2 cannot be given an algorithm allowlist (ParseSigned takes none: the key type decides), cannot
// require exp, iat, sub, client_id or jti (iss and aud are compared, so required), cannot check
// typ and has no size limit. A panic inside the library is a rejection, "unexpected panic: …"
// (it failed closed).
package main

import (
	"errors"

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
	// Claims is always given the key set: the library hands the set itself to the verifier
	// (which refuses it) when the token's kid is absent or not in it.
	jose.ErrUnsupportedKeyType: "kid_unknown",
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
	switch {
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
		header := token.Headers[0]
		if _, crit := header.ExtraHeaders["crit"]; crit || header.Algorithm == "" {
			return ""
		}
		if header.Algorithm != "ES256" {
			return h.AlgReason(header.Algorithm)
		}
		return "signature_invalid"
	}
	return ""
}

func main() {
	h.Serve(h.Adapter{
		Name: "go-jose", Library: "go-jose v2 (Go)", Version: libraryVersion,
		Features: []string{"clock", "jwks_parsing"}, Claims: true, Keys: keys, Verify: verify, Reason: reason,
		Notes: []string{
			"jose.JSONWebKeySet from the key set's bytes; jwt.ParseSigned, Claims(keySet) (kid lookup by the library), " +
				"ValidateWithLeeway(Expected{Issuer, Audience (one per profile audience), Time: now}, 0)",
			"v2 has no algorithm allowlist (the key type decides), cannot require exp, iat, sub, client_id or jti, no typ check, no size limit",
		},
	})
}
