// jwt-conformance subprocess adapter for golang-jwt/jwt v4 (Go), protocol version 3
// (docs/adapters.md).
//
// One process serves a whole run; the Go protocol helper (adapters/go/src/jwtconformance) runs
// the protocol. golang-jwt is configured as strictly as its API allows and nothing is checked
// here: every verdict is golang-jwt's.
//
// Algorithms: all 13 (ES256/384/512, RS*, PS*, EdDSA, HS*; v4 has a signing method for each).
// Presets: rfc9068, jwt, oidc-id-token.
//
// Configuration, per vector from its profile: jwt.NewParser(jwt.WithValidMethods(profile
// algorithms)) and ParseWithClaims into jwt.MapClaims, with jwt.TimeFunc, the library's
// injectable clock, set to the vector's now (clock injection). The parser itself checks the
// algorithm (exactly the profile's list), the signature and, through MapClaims.Valid, exp, iat
// and nbf when present (no leeway: v4 has none; iat may not be after now). After it accepts, the
// library's own MapClaims methods with required = true: VerifyExpiresAt(now, true),
// VerifyIssuedAt(now, true) and VerifyNotBefore(now, true) for exp, iat and nbf when the profile
// requires them (jwtconformance.RequiredClaims: its required_claims, else its preset's default);
// VerifyIssuer(issuer, true) whenever the profile has an issuer; VerifyAudience(aud, true) for
// each audience (accepted when one is true: the method takes a single audience) whenever the
// profile has audiences or, under oidc-id-token, a client_id (the audience). v4 cannot require
// sub, client_id, jti or any other claim, nor iss or aud without a value to compare with; it
// cannot check typ (typ null or not, nothing is configured), azp or nonce, and has no size limit.
//
// Keys: v4 has no JWK parser (jwks_parsing not declared): each JWK is converted minimally with
// Go's standard library by jwtconformance.ConvertJWKS (EC -> *ecdsa.PublicKey from crv, x, y, a
// point off its curve refused; RSA -> *rsa.PublicKey from n, e; OKP Ed25519 -> ed25519.PublicKey
// from x; oct -> the secret's bytes, what the HS* methods take; alg, use, key_ops are not read);
// a key it cannot convert refuses the set (config_error). No key-set type: the keyfunc gives
// the key whose kid equals the token's (as the parser read the header), else the set's first key
// (jwtconformance.PickKey, the rule of every library without key selection; also for kid-less
// tokens under jwt and oidc-id-token). The claims of an acceptance are the MapClaims the parser
// decoded ("claims": true). A panic inside the library is a rejection, "unexpected panic: …" (it
// failed closed).
package main

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/golang-jwt/jwt"

	h "jwtconformance"
)

// libraryVersion is the Debian package's version (the pin), set by scripts/setup/go.sh with
// -ldflags -X: the library has no version constant.
var libraryVersion = "unknown"

var algorithms = []string{"ES256", "ES384", "ES512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "EdDSA", "HS256", "HS384", "HS512"}

func keys(req *h.Request) (interface{}, error) { return h.ConvertJWKS(req.JWKSBytes) }

func keyfunc(set []h.JWK) jwt.Keyfunc {
	return func(token *jwt.Token) (interface{}, error) {
		key := h.PickKey(set, token.Header["kid"])
		if key == nil {
			return nil, errors.New("the key set has no keys")
		}
		return key.Key, nil
	}
}

// unmet is a false from a MapClaims.Verify* method called with required = true.
type unmet struct{ call, reason string }

func (u *unmet) Error() string { return "jwt.MapClaims." + u.call + " returned false" }

// audiences are the values aud must name one of: the profile's, or under oidc-id-token its
// client_id (the profile's audiences are then empty or exactly it).
func audiences(p *h.Profile) []string {
	if p.ClientID != nil && len(p.Audiences) == 0 {
		return []string{*p.ClientID}
	}
	return p.Audiences
}

func verify(req *h.Request, set interface{}) (interface{}, error) {
	now := req.NowTime()
	jwt.TimeFunc = func() time.Time { return now }
	parser := jwt.NewParser(jwt.WithValidMethods(req.Profile.Algorithms))
	claims := jwt.MapClaims{}
	if _, err := h.Library(func() (*jwt.Token, error) {
		return parser.ParseWithClaims(req.TokenText, claims, keyfunc(set.([]h.JWK)))
	}); err != nil {
		return nil, err
	}
	required := map[string]bool{}
	for _, c := range h.RequiredClaims(&req.Profile) {
		required[c] = true
	}
	unix := now.Unix()
	auds := audiences(&req.Profile)
	_, err := h.Library(func() (bool, error) {
		if required["exp"] && !claims.VerifyExpiresAt(unix, true) {
			return false, &unmet{"VerifyExpiresAt(now, true)", presence(claims, "exp", "exp_missing", "")}
		}
		if required["iat"] && !claims.VerifyIssuedAt(unix, true) {
			return false, &unmet{"VerifyIssuedAt(now, true)", presence(claims, "iat", "iat_missing", "")}
		}
		if required["nbf"] && !claims.VerifyNotBefore(unix, true) {
			return false, &unmet{"VerifyNotBefore(now, true)", presence(claims, "nbf", "claim_missing", "")}
		}
		if req.Profile.Issuer != nil && !claims.VerifyIssuer(*req.Profile.Issuer, true) {
			return false, &unmet{"VerifyIssuer(issuer, true)", "iss_mismatch"}
		}
		if len(auds) == 0 {
			return true, nil
		}
		for _, aud := range auds {
			if claims.VerifyAudience(aud, true) {
				return true, nil
			}
		}
		return false, &unmet{"VerifyAudience(aud, true) for every profile audience", presence(claims, "aud", "aud_missing", "aud_mismatch")}
	})
	if err != nil {
		return nil, err
	}
	return map[string]interface{}(claims), nil
}

// presence labels a failed required-claim check by whether the claim is there at all.
func presence(claims jwt.MapClaims, name, absent, present string) string {
	if _, ok := claims[name]; ok {
		return present
	}
	return absent
}

func numeric(v interface{}) bool {
	switch v.(type) {
	case float64, json.Number:
		return true
	}
	return false
}

// timeReasons: a MapClaims.Valid flag, its claim and reason (a claim that is not a number fails
// its check too: invalid_numeric_type).
var timeReasons = map[uint32][2]string{
	jwt.ValidationErrorExpired:     {"exp", "expired"},
	jwt.ValidationErrorIssuedAt:    {"iat", "iat_future"},
	jwt.ValidationErrorNotValidYet: {"nbf", "not_yet_valid"},
}

// badSignature: the errors of a signing method whose key was of its type and whose signature
// did not verify.
var badSignature = []error{jwt.ErrECDSAVerification, rsa.ErrVerification, jwt.ErrEd25519Verification, jwt.ErrSignatureInvalid}

func reason(err error, req *h.Request) string {
	var u *unmet
	if errors.As(err, &u) {
		return u.reason
	}
	var ve *jwt.ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	// Labeling only: the header and claims as the library's parser reads them.
	claims := jwt.MapClaims{}
	token, _, _ := jwt.NewParser().ParseUnverified(req.TokenText, claims)
	switch ve.Errors {
	case jwt.ValidationErrorSignatureInvalid:
		if ve.Inner == nil && strings.HasPrefix(ve.Error(), "signing method ") {
			return h.AlgReason(token.Header["alg"]) // WithValidMethods refused it
		}
		for _, bad := range badSignature {
			if errors.Is(ve.Inner, bad) {
				return "signature_invalid"
			}
		}
	case jwt.ValidationErrorUnverifiable:
		switch ve.Error() {
		case "signing method (alg) is unspecified.":
			return "alg_none"
		case "signing method (alg) is unavailable.":
			return h.AlgReason(token.Header["alg"])
		}
	default:
		if t, ok := timeReasons[ve.Errors]; ok {
			if numeric(claims[t[0]]) {
				return t[1]
			}
			return "invalid_numeric_type"
		}
	}
	return ""
}

func main() {
	h.Serve(h.Adapter{
		Name: "golang-jwt", Library: "golang-jwt (Go)", Version: libraryVersion,
		Features: []string{"clock"}, Claims: true, Keys: keys, Verify: verify, Reason: reason,
		Algorithms: algorithms, Presets: []string{"rfc9068", "jwt", "oidc-id-token"},
		Notes: []string{
			"jwt.NewParser(WithValidMethods(profile algorithms)) + MapClaims, jwt.TimeFunc = now; then MapClaims.VerifyExpiresAt/VerifyIssuedAt/VerifyNotBefore(now, true) " +
				"for the profile's required exp/iat/nbf, VerifyIssuer(issuer, true) when an issuer is set, VerifyAudience(aud, true) per profile audience (oidc-id-token: client_id)",
			"keys: each JWK converted with Go's standard library (EC, RSA, OKP Ed25519 -> public keys, oct -> secret bytes; alg/use/key_ops not read); key picked by kid, else the set's first",
			"v4 has no JWK Set parser (jwks_parsing skipped), no leeway (iat may not be after now), no typ, azp or nonce check, no size limit; cannot require sub, client_id, jti or other claims, nor iss/aud without a value to compare",
		},
	})
}
