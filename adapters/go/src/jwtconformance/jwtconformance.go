// Package jwtconformance is the helper for jwt-conformance subprocess adapters written in Go
// (protocol version 3, docs/adapters.md "The subprocess protocol"; an adapter that declares no
// Algorithms and no Presets greets with version 2).
//
// Serve runs the protocol loop: it prints the hello, reads one request per line (bounded), calls
// the adapter's functions and writes one response per request. An adapter is then three
// functions:
//
//   - Keys(req): load the key set with the library (an error is a config_error);
//   - Verify(req, keys): verify req.Token; return the claims to accept, an error to reject;
//   - Reason(err, req) (optional): the catalog reason ID of a library error, or "".
//
// Wrap every call into the library in Library: a panic inside it is the library's (it failed
// closed: a rejection, or a config_error in Keys, "unexpected panic: …"); a panic anywhere else
// is the adapter's own bug (an adapter_error). Return Reject, Skip or ConfigError from Keys or
// Verify for an explicit outcome. Standard library only; Go 1.18 or later, GOPATH or module mode.
package jwtconformance

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Version of this helper.
const Version = "0.1.0"

// Protocol is the protocol name the hello carries.
const Protocol = "jwt-conformance-adapter"

// ProtocolVersion is the protocol version this helper speaks: the hello says it when the
// adapter declares Algorithms or Presets, and ProtocolVersion2 otherwise (the runner then sends
// nothing but ES256 under rfc9068, and no profile member of vector schema 3).
const ProtocolVersion = 3

// ProtocolVersion2 is the version of the hello of an adapter that declares no Algorithms and no
// Presets.
const ProtocolVersion2 = 2

// MaxLine bounds a request line. The runner's corpus loader refuses tokens over 16 MiB, and a
// request carries the token twice (as text and as base64): 64 MiB holds any request it sends,
// including the corpus's 8 MiB token (a 19 MiB line).
const MaxLine = 64 << 20

// DefaultRequiredClaims are the claims the rfc9068 preset (the default one) requires; called
// RequiredClaims before protocol 3. Adapters call RequiredClaims(&req.Profile), which follows
// the profile's preset and required_claims.
var DefaultRequiredClaims = []string{"exp", "iat", "iss", "aud", "sub", "client_id", "jti"}

// PresetRequiredClaims are each preset's default required claims (docs/profile.md).
var PresetRequiredClaims = map[string][]string{
	"rfc9068":       DefaultRequiredClaims,
	"jwt":           {},
	"oidc-id-token": {"iss", "sub", "aud", "exp", "iat"},
}

// RequiredClaims are the claims the profile requires, to configure the library to require each
// one it can: the profile's required_claims when it has that member (an explicit list, maybe
// empty, replaces the preset's), else its preset's default (no preset: rfc9068). A fresh slice.
func RequiredClaims(p *Profile) []string {
	var claims []string
	if p.RequiredClaims != nil {
		claims = *p.RequiredClaims
	} else {
		claims = PresetRequiredClaims[p.PresetName()]
	}
	return append([]string{}, claims...)
}

var missingClaimReasons = map[string]string{
	"exp": "exp_missing", "iat": "iat_missing", "iss": "iss_mismatch", "aud": "aud_missing",
	"sub": "sub_missing", "client_id": "client_id_missing", "jti": "jti_missing",
}

// MissingClaimReason is the catalog reason ID for a missing required claim, or "" for another.
func MissingClaimReason(claim string) string { return missingClaimReasons[claim] }

// AlgReason is the catalog reason family of a header's alg value (read with the library's own
// header parser), to label an "algorithm not allowed" error: "none" in any case, a value that is
// not a string or no alg (nil) -> alg_none; HS* -> alg_hmac_rejected; RS*/PS* ->
// alg_rsa_rejected; ES256/ES384/ES512/ES256K -> alg_ecdsa_rejected; anything else ->
// alg_not_allowed (EdDSA too).
func AlgReason(alg interface{}) string {
	s, ok := alg.(string)
	if !ok || strings.EqualFold(s, "none") {
		return "alg_none"
	}
	switch s {
	case "HS256", "HS384", "HS512":
		return "alg_hmac_rejected"
	case "RS256", "RS384", "RS512", "PS256", "PS384", "PS512":
		return "alg_rsa_rejected"
	case "ES256", "ES384", "ES512", "ES256K":
		return "alg_ecdsa_rejected"
	}
	return "alg_not_allowed"
}

// ErrorText is how an error is reported: "<type>: <message>", or only the message when the type
// says nothing (errors.New, fmt.Errorf).
func ErrorText(err error) string {
	if err == nil {
		return "<nil>"
	}
	switch t := fmt.Sprintf("%T", err); t {
	case "*errors.errorString", "*fmt.wrapError", "*fmt.wrapErrors":
		return err.Error()
	default:
		return t + ": " + err.Error()
	}
}

// Reject is an explicit rejection: Err is the library's text, Reason a catalog reason ID or "".
// Reason(...) is not consulted.
type Reject struct {
	Err    string
	Reason string
}

func (r *Reject) Error() string { return r.Err }

// Skip says the case cannot be expressed with this library (the runner does not count it).
type Skip struct{ Why string }

func (s *Skip) Error() string { return s.Why }

// ConfigError is an explicit refusal of the key set or configuration: Code is a catalog
// config-error code or "".
type ConfigError struct {
	Err  string
	Code string
}

func (c *ConfigError) Error() string { return c.Err }

// Panic is a panic inside a Library call: the library failed closed.
type Panic struct{ Value interface{} }

func (p *Panic) Error() string { return fmt.Sprintf("unexpected panic: %v", p.Value) }

// Library runs fn, a call into the library under test, and turns a panic inside it into a
// *Panic error, so that the panic counts as the library's (a rejection, or a config_error in
// Keys) and not as an adapter_error.
func Library[T any](fn func() (T, error)) (result T, err error) {
	defer func() {
		if v := recover(); v != nil {
			var zero T
			result, err = zero, &Panic{Value: v}
		}
	}()
	return fn()
}

// Profile is the verification profile (docs/profile.md). The members of vector schema 3 are
// pointers, nil when the request does not carry them (they are sent only when they differ from
// the preset's default): Preset (nil: rfc9068; see PresetName), RequiredClaims (nil: the
// preset's default; see the function RequiredClaims), ClientID and Nonce (oidc-id-token). Typ is
// nil when the profile's typ is null (no typ requirement: configure none). Members holds every
// member as sent (members this helper does not know are kept there too); a Profile encodes
// back to exactly the members it was decoded from.
type Profile struct {
	Issuer          *string         `json:"issuer"`
	Audiences       []string        `json:"audiences"`
	Algorithms      []string        `json:"algorithms"`
	Typ             *string         `json:"typ"`
	MaxTokenBytes   int64           `json:"max_token_bytes"`
	MaxJSONDepth    int64           `json:"max_json_depth"`
	LeewaySecs      int64           `json:"leeway_secs"`
	IatSkewSecs     int64           `json:"iat_skew_secs"`
	MaxLifetimeSecs *int64          `json:"max_lifetime_secs"`
	ExpectedCat     *string         `json:"expected_cat"`
	Domain          json.RawMessage `json:"domain"`
	State           json.RawMessage `json:"state"`
	Preset          *string         `json:"preset"`
	RequiredClaims  *[]string       `json:"required_claims"`
	ClientID        *string         `json:"client_id"`
	Nonce           *string         `json:"nonce"`
	// Members is the profile object member by member, as sent.
	Members map[string]json.RawMessage `json:"-"`
}

// profileFields is Profile without its methods (for the default JSON encoding).
type profileFields Profile

// UnmarshalJSON decodes the profile's members and keeps them all in Members.
func (p *Profile) UnmarshalJSON(data []byte) error {
	var members map[string]json.RawMessage
	if err := json.Unmarshal(data, &members); err != nil {
		return err
	}
	var fields profileFields
	if err := json.Unmarshal(data, &fields); err != nil {
		return err
	}
	*p = Profile(fields)
	p.Members = members
	return nil
}

// MarshalJSON encodes the members the profile was decoded from (all of them when it was built
// in Go): the known ones from the fields, the others as they were sent.
func (p Profile) MarshalJSON() ([]byte, error) {
	data, err := json.Marshal(profileFields(p))
	if err != nil || p.Members == nil {
		return data, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		return nil, err
	}
	out := make(map[string]json.RawMessage, len(p.Members))
	for name, value := range p.Members {
		if field, known := fields[name]; known {
			value = field
		}
		out[name] = value
	}
	return json.Marshal(out)
}

// IssuerOr is the issuer, or def when the profile has none.
func (p *Profile) IssuerOr(def string) string {
	if p.Issuer == nil {
		return def
	}
	return *p.Issuer
}

// PresetName is the profile's preset: rfc9068 (the default), jwt or oidc-id-token.
func (p *Profile) PresetName() string {
	if p.Preset == nil {
		return "rfc9068"
	}
	return *p.Preset
}

// Leeway is LeewaySecs as a duration.
func (p *Profile) Leeway() time.Duration { return time.Duration(p.LeewaySecs) * time.Second }

// Request is one request: verify one step of one vector.
type Request struct {
	ID      string
	Step    int64
	Version int
	// Token holds the token's exact bytes (from token_b64; maybe not UTF-8, maybe not a JWT).
	Token []byte
	// TokenText is Token as a string; TokenIsUTF8 says whether those bytes are valid UTF-8 (Go
	// strings may hold any bytes: return Skip only if the library really needs text).
	TokenText   string
	TokenIsUTF8 bool
	// JWKSBytes holds the key set's exact bytes (from jwks_base64; for a version 1 request, the
	// compact JSON of jwks). Give these to a library that parses key sets itself.
	JWKSBytes []byte
	// JWKS is the key set as the runner parsed it (any JSON value).
	JWKS      json.RawMessage
	Profile   Profile
	Now       int64
	Actions   []json.RawMessage
	Features  []string
	TimeoutMS int64
	Raw       map[string]json.RawMessage
}

// NowTime is Now as a time.Time.
func (r *Request) NowTime() time.Time { return time.Unix(r.Now, 0) }

// Adapter describes an adapter: the hello's members and its functions.
type Adapter struct {
	Name, Library, Version string
	Features               []string
	// Algorithms and Presets: what the library can be pinned to and configured for (the hello's
	// members of protocol 3). Declaring either makes the hello say version 3; declaring neither,
	// version 2 (the runner then sends ES256 under rfc9068 only).
	Algorithms, Presets []string
	// Claims: Verify returns the library's own decoded payload (the runner compares it).
	Claims bool
	Notes  []string
	// Keys (optional) loads the key set with the library; its result is Verify's second
	// argument. An error is a config_error (a *Panic too, with its "unexpected panic" text).
	Keys func(req *Request) (interface{}, error)
	// Verify verifies req.Token: claims to accept, an error to reject.
	Verify func(req *Request, keys interface{}) (interface{}, error)
	// Reason (optional) labels a library error with a catalog reason ID, or "". A panic in it
	// counts as "", so it may read the token without guarding.
	Reason func(err error, req *Request) string
}

// Serve runs the adapter on the process's stdin and stdout until stdin closes, then exits. While
// it runs, os.Stdout points at stderr, so stray prints cannot corrupt the protocol.
func Serve(a Adapter) {
	out := os.Stdout
	os.Stdout = os.Stderr
	os.Exit(a.Run(os.Stdin, out, os.Stderr))
}

// Run answers every request line of in on out (logging to log) and returns the exit code: 0 at
// the end of input, 1 after a line it cannot identify (not JSON, no string id and integer step,
// longer than MaxLine).
func (a Adapter) Run(in io.Reader, out, log io.Writer) int {
	w := bufio.NewWriter(out)
	hello := map[string]interface{}{
		"protocol": Protocol, "version": ProtocolVersion2, "name": a.Name, "library": a.Library,
		"library_version": a.Version, "features": nonNil(a.Features), "exact": false,
		"claims": a.Claims, "notes": nonNil(a.Notes),
	}
	if a.Algorithms != nil || a.Presets != nil {
		hello["version"] = ProtocolVersion
		if a.Algorithms != nil {
			hello["algorithms"] = a.Algorithms
		}
		if a.Presets != nil {
			hello["presets"] = a.Presets
		}
	}
	if err := writeLine(w, hello); err != nil {
		fmt.Fprintf(log, "%s: %s: cannot write the hello: %v\n", Protocol, a.Name, err)
		return 1
	}
	r := bufio.NewReaderSize(in, 64<<10)
	for number := 1; ; number++ {
		line, err := readLine(r, MaxLine)
		if err == io.EOF && len(line) == 0 {
			return 0
		}
		if err != nil && err != io.EOF {
			fmt.Fprintf(log, "%s: %s: request line %d: %v; giving up\n", Protocol, a.Name, number, err)
			return 1
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		raw, id, step, problem := identify(line)
		if problem != "" {
			fmt.Fprintf(log, "%s: %s: request line %d: %s; giving up\n", Protocol, a.Name, number, problem)
			return 1
		}
		response := a.answer(raw, id, step)
		response["id"], response["step"] = id, step
		if werr := writeLine(w, response); werr != nil {
			fmt.Fprintf(log, "%s: %s: cannot write a response: %v\n", Protocol, a.Name, werr)
			return 1
		}
		if err == io.EOF {
			return 0
		}
	}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// readLine reads one line without its "\n", refusing to buffer more than max bytes of it.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max+1 {
			return nil, fmt.Errorf("a line longer than %d bytes", max)
		}
		line = append(line, chunk...)
		switch err {
		case nil:
			return line[:len(line)-1], nil
		case bufio.ErrBufferFull:
			continue
		default:
			return line, err
		}
	}
}

// identify parses a request line far enough to answer it: its members, id and step.
func identify(line []byte) (map[string]json.RawMessage, string, int64, string) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil || raw == nil {
		if err == nil {
			err = errors.New("not an object")
		}
		return nil, "", 0, fmt.Sprintf("not a JSON object (%v)", err)
	}
	var id string
	var step json.Number
	// json.Number also takes a string holding a number ("0"): the step must be a JSON number.
	quoted := bytes.HasPrefix(bytes.TrimSpace(raw["step"]), []byte(`"`))
	if json.Unmarshal(raw["id"], &id) != nil || quoted || json.Unmarshal(raw["step"], &step) != nil {
		return nil, "", 0, "no string id and integer step"
	}
	n, err := strconv.ParseInt(string(step), 10, 64)
	if err != nil {
		return nil, "", 0, "no string id and integer step"
	}
	return raw, id, n, ""
}

// answer is the response members for one identified request (without id and step).
func (a Adapter) answer(raw map[string]json.RawMessage, id string, step int64) (response map[string]interface{}) {
	defer func() {
		if v := recover(); v != nil { // a panic outside Library: the adapter's own bug
			response = map[string]interface{}{"outcome": "adapter_error", "error": fmt.Sprintf("adapter panic: %v", v)}
		}
	}()
	req, err := parseRequest(raw, id, step)
	if err != nil {
		return map[string]interface{}{"outcome": "adapter_error", "error": "bad request: " + err.Error()}
	}
	var keys interface{}
	if a.Keys != nil {
		if keys, err = a.Keys(req); err != nil {
			if explicit := explicitOutcome(err); explicit != nil {
				return explicit
			}
			var p *Panic
			if errors.As(err, &p) {
				return map[string]interface{}{"outcome": "config_error", "error": p.Error(), "code": nil}
			}
			return map[string]interface{}{"outcome": "config_error", "error": ErrorText(err), "code": nil}
		}
	}
	claims, err := a.Verify(req, keys)
	if err != nil {
		if explicit := explicitOutcome(err); explicit != nil {
			return explicit
		}
		var p *Panic
		if errors.As(err, &p) { // the library failed closed: its words are the panic's
			return map[string]interface{}{"outcome": "reject", "error": p.Error(), "reason": nil}
		}
		return map[string]interface{}{"outcome": "reject", "error": ErrorText(err), "reason": a.reason(err, req)}
	}
	return map[string]interface{}{"outcome": "accept", "claims": claims}
}

func explicitOutcome(err error) map[string]interface{} {
	var reject *Reject
	var skip *Skip
	var config *ConfigError
	switch {
	case errors.As(err, &reject):
		return map[string]interface{}{"outcome": "reject", "error": reject.Err, "reason": nullable(reject.Reason)}
	case errors.As(err, &skip):
		return map[string]interface{}{"outcome": "skipped", "why": skip.Why}
	case errors.As(err, &config):
		return map[string]interface{}{"outcome": "config_error", "error": config.Err, "code": nullable(config.Code)}
	}
	return nil
}

func nullable(s string) interface{} {
	if s == "" {
		return nil
	}
	return s
}

func (a Adapter) reason(err error, req *Request) (id interface{}) {
	if a.Reason == nil {
		return nil
	}
	defer func() {
		if recover() != nil { // labeling only
			id = nil
		}
	}()
	return nullable(a.Reason(err, req))
}

func parseRequest(raw map[string]json.RawMessage, id string, step int64) (*Request, error) {
	req := &Request{ID: id, Step: step, Raw: raw, Version: ProtocolVersion2}
	if v, ok := raw["version"]; ok {
		if err := json.Unmarshal(v, &req.Version); err != nil {
			return nil, fmt.Errorf("version: %v", err)
		}
	}
	if t, ok := raw["type"]; ok {
		var kind string
		if json.Unmarshal(t, &kind) != nil || kind != "verify" {
			return nil, fmt.Errorf("unknown request type %s", t)
		}
	}
	var tokenB64 string
	if err := json.Unmarshal(raw["token_b64"], &tokenB64); err != nil {
		return nil, errors.New("no token_b64 string")
	}
	var err error
	if req.Token, err = base64.StdEncoding.DecodeString(tokenB64); err != nil {
		return nil, fmt.Errorf("token_b64: %v", err)
	}
	req.TokenText, req.TokenIsUTF8 = string(req.Token), utf8.Valid(req.Token)
	req.JWKS = raw["jwks"]
	if j, ok := raw["jwks_base64"]; ok {
		var s string
		if err := json.Unmarshal(j, &s); err != nil {
			return nil, errors.New("jwks_base64 is not a string")
		}
		if req.JWKSBytes, err = base64.StdEncoding.DecodeString(s); err != nil {
			return nil, fmt.Errorf("jwks_base64: %v", err)
		}
		if req.JWKS == nil {
			req.JWKS = json.RawMessage(req.JWKSBytes)
		}
	} else { // version 1: the key set only parsed
		var buf bytes.Buffer
		if req.JWKS == nil || json.Compact(&buf, req.JWKS) != nil {
			return nil, errors.New("no jwks")
		}
		req.JWKSBytes = buf.Bytes()
	}
	if p, ok := raw["profile"]; ok && string(p) != "null" {
		if err := json.Unmarshal(p, &req.Profile); err != nil {
			return nil, fmt.Errorf("profile: %v", err)
		}
	}
	fields := []struct {
		name string
		dst  interface{}
	}{{"now", &req.Now}, {"actions", &req.Actions}, {"features", &req.Features}, {"timeout_ms", &req.TimeoutMS}}
	for _, f := range fields {
		if v, ok := raw[f.name]; ok {
			if err := json.Unmarshal(v, f.dst); err != nil {
				return nil, fmt.Errorf("%s: %v", f.name, err)
			}
		}
	}
	return req, nil
}

// writeLine writes v as one line of strict JSON and flushes. An accept whose claims strict JSON
// cannot carry (NaN, Inf, channels, cycles) is sent with null claims and a claims_note.
func writeLine(w *bufio.Writer, v map[string]interface{}) error {
	data, err := encode(v)
	if err != nil && v["outcome"] == "accept" {
		v["claims"] = nil
		v["claims_note"] = "claims not representable as strict JSON: " + err.Error()
		data, err = encode(v)
	}
	if err != nil {
		data, _ = encode(map[string]interface{}{
			"id": v["id"], "step": v["step"], "outcome": "adapter_error", "error": "cannot encode the response: " + err.Error(),
		})
	}
	if _, err := w.Write(append(data, '\n')); err != nil {
		return err
	}
	return w.Flush()
}

func encode(v interface{}) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil { // a claims value whose MarshalJSON panics
			data, err = nil, fmt.Errorf("panic while encoding: %v", r)
		}
	}()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}
