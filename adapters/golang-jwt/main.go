// jwt-conformance subprocess adapter for golang-jwt/jwt v4 (Go), protocol version 2
// (docs/adapters.md).
//
// One process serves a whole run; the Go protocol helper (adapters/go/src/jwtconformance) runs
// the protocol. golang-jwt is configured as strictly as its API allows and nothing is checked
// here: every verdict is golang-jwt's.
//
// Configuration: jwt.NewParser(jwt.WithValidMethods(profile algorithms = ES256)) and
// ParseWithClaims into jwt.MapClaims, with jwt.TimeFunc, the library's injectable clock, set to
// the vector's now (clock injection). The parser itself checks the algorithm, the signature and,
// through MapClaims.Valid, exp, iat and nbf when present (no leeway: v4 has none; iat may not be
// after now). After it accepts, the library's own MapClaims methods with required = true:
// VerifyExpiresAt(now, true), VerifyIssuedAt(now, true), VerifyIssuer(issuer, true) and
// VerifyAudience(aud, true) for each profile audience (accepted when one is true: the method
// takes a single audience). v4 cannot require sub, client_id or jti, cannot check typ and has no
// size limit. Keys: v4 has no JWK parser, so each JWK is converted to an *ecdsa.PublicKey with
// the standard library (crv, x, y; a JWK that cannot be converted, or a point not on its curve,
// is a config_error); no key-set type (jwks_parsing not declared): the keyfunc picks the key
// whose kid equals the token's (as the parser read the header), else the first. The claims of
// an acceptance are the MapClaims the parser decoded ("claims": true). A panic inside the
// library is a rejection, "unexpected panic: …" (it failed closed).
package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/golang-jwt/jwt"

	h "jwtconformance"
)

// libraryVersion is the Debian package's version (the pin), set by scripts/setup/go.sh with
// -ldflags -X: the library has no version constant.
var libraryVersion = "unknown"

type key struct {
	kid    string
	hasKid bool
	pub    *ecdsa.PublicKey
}

var curves = map[string]elliptic.Curve{"P-256": elliptic.P256(), "P-384": elliptic.P384(), "P-521": elliptic.P521()}

// keys converts every JWK minimally (no validation beyond what the conversion needs).
func keys(req *h.Request) (interface{}, error) {
	var set struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(req.JWKSBytes, &set); err != nil {
		return nil, fmt.Errorf("key set: %v", err)
	}
	out := make([]key, 0, len(set.Keys))
	for i, raw := range set.Keys {
		var jwk struct {
			Kid  interface{} `json:"kid"`
			Crv  string      `json:"crv"`
			X, Y string
		}
		if err := json.Unmarshal(raw, &jwk); err != nil {
			return nil, fmt.Errorf("JWK %d: %v", i, err)
		}
		curve, ok := curves[jwk.Crv]
		if !ok {
			return nil, fmt.Errorf("JWK %d: no EC curve for crv %q", i, jwk.Crv)
		}
		x, errX := base64.RawURLEncoding.DecodeString(jwk.X)
		y, errY := base64.RawURLEncoding.DecodeString(jwk.Y)
		if errX != nil || errY != nil {
			return nil, fmt.Errorf("JWK %d: x or y is not base64url", i)
		}
		pub := &ecdsa.PublicKey{Curve: curve, X: new(big.Int).SetBytes(x), Y: new(big.Int).SetBytes(y)}
		if !curve.IsOnCurve(pub.X, pub.Y) {
			return nil, fmt.Errorf("JWK %d: the point is not on %s", i, jwk.Crv)
		}
		kid, hasKid := jwk.Kid.(string)
		out = append(out, key{kid: kid, hasKid: hasKid, pub: pub})
	}
	return out, nil
}

// pickKey is conformance/src/adapters/common.rs::pick_key: the key whose kid equals the
// token's, else the first.
func pickKey(set []key) jwt.Keyfunc {
	return func(token *jwt.Token) (interface{}, error) {
		if len(set) == 0 {
			return nil, errors.New("the key set has no keys")
		}
		if kid, ok := token.Header["kid"].(string); ok {
			for _, k := range set {
				if k.hasKid && k.kid == kid {
					return k.pub, nil
				}
			}
		}
		return set[0].pub, nil
	}
}

// unmet is a false from a MapClaims.Verify* method called with required = true.
type unmet struct{ call, reason string }

func (u *unmet) Error() string { return "jwt.MapClaims." + u.call + " returned false" }

func verify(req *h.Request, set interface{}) (interface{}, error) {
	now := req.NowTime()
	jwt.TimeFunc = func() time.Time { return now }
	parser := jwt.NewParser(jwt.WithValidMethods(req.Profile.Algorithms))
	claims := jwt.MapClaims{}
	if _, err := h.Library(func() (*jwt.Token, error) {
		return parser.ParseWithClaims(req.TokenText, claims, pickKey(set.([]key)))
	}); err != nil {
		return nil, err
	}
	issuer := req.Profile.IssuerOr("")
	unix := now.Unix()
	_, err := h.Library(func() (bool, error) {
		if !claims.VerifyExpiresAt(unix, true) {
			return false, &unmet{"VerifyExpiresAt(now, true)", presence(claims, "exp", "exp_missing", "")}
		}
		if !claims.VerifyIssuedAt(unix, true) {
			return false, &unmet{"VerifyIssuedAt(now, true)", presence(claims, "iat", "iat_missing", "")}
		}
		if !claims.VerifyIssuer(issuer, true) {
			return false, &unmet{"VerifyIssuer(issuer, true)", "iss_mismatch"}
		}
		for _, aud := range req.Profile.Audiences {
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
		if errors.Is(ve.Inner, jwt.ErrECDSAVerification) {
			return "signature_invalid"
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
		Notes: []string{
			"jwt.NewParser(WithValidMethods(profile algorithms)) + MapClaims, jwt.TimeFunc = now; then MapClaims.VerifyExpiresAt/VerifyIssuedAt(now, true), " +
				"VerifyIssuer(issuer, true), VerifyAudience(aud, true) per profile audience; JWK -> *ecdsa.PublicKey (Go stdlib), key picked by kid else first",
			"v4 has no JWK Set parser (jwks_parsing skipped), no leeway (iat may not be after now), no typ check, no size limit; cannot require sub, client_id or jti",
		},
	})
}
