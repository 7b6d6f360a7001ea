package jwtconformance

// The shared protocol fixture (adapters/fixtures/protocol.json) against this helper: the hello,
// request decoding, broken and garbled lines, the reason tables and the response of each
// outcome. conformance/tests/helper_fixture.rs holds the fixture to the runner; see its README.md.

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

type fixtureCase struct {
	Name     string                 `json:"name"`
	Line     string                 `json:"line"`
	Request  string                 `json:"request"`
	Decoded  map[string]interface{} `json:"decoded"`
	Answer   map[string]interface{} `json:"answer"`
	Response map[string]interface{} `json:"response"`
}

type fixtureFile struct {
	Hello struct {
		Given struct {
			Name, Library, Version string
			Features, Notes        []string
			Claims                 bool
		} `json:"given"`
		Hello map[string]interface{} `json:"hello"`
	} `json:"hello"`
	Requests      []fixtureCase     `json:"requests"`
	BadRequests   []fixtureCase     `json:"bad_requests"`
	GarbledLines  []fixtureCase     `json:"garbled_lines"`
	Responses     []fixtureCase     `json:"responses"`
	AlgReasons    map[string]string `json:"alg_reasons"`
	AlgNotAString struct {
		Reason string        `json:"reason"`
		Values []interface{} `json:"values"`
	} `json:"alg_not_a_string"`
	RequiredClaims    []string `json:"required_claims"`
	RequiredByProfile []struct {
		About    string          `json:"about"`
		Profile  json.RawMessage `json:"profile"`
		Required []string        `json:"required"`
	} `json:"required_claims_by_profile"`
	MissingClaimReasons map[string]string `json:"missing_claim_reasons"`
	OtherClaims         []string          `json:"other_claims"`
}

func loadFixture(t *testing.T) *fixtureFile {
	t.Helper()
	data, err := os.ReadFile("../../../fixtures/protocol.json")
	if err != nil {
		t.Fatal(err)
	}
	var f fixtureFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return &f
}

func (f *fixtureFile) request(name string) string {
	for _, c := range f.Requests {
		if c.Name == name {
			return c.Line
		}
	}
	panic("no request " + name)
}

// serveFixture serves the lines with the fixture's hello; returns the exit code, the hello and
// the responses, each parsed into the JSON data model.
func serveFixture(t *testing.T, f *fixtureFile, lines []string, verify func(*Request, interface{}) (interface{}, error)) (int, interface{}, []interface{}) {
	t.Helper()
	g := f.Hello.Given
	a := Adapter{Name: g.Name, Library: g.Library, Version: g.Version, Features: g.Features, Claims: g.Claims,
		Notes: g.Notes, Verify: verify}
	var out, log bytes.Buffer
	code := a.Run(strings.NewReader(strings.Join(lines, "\n")+"\n"), &out, &log)
	var parsed []interface{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		parsed = append(parsed, dataModel(t, sc.Bytes()))
	}
	return code, parsed[0], parsed[1:]
}

func dataModel(t *testing.T, data []byte) interface{} {
	t.Helper()
	var v interface{}
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("not JSON: %q", data)
	}
	return v
}

// asData is v in the JSON data model (what a line holding it parses to).
func asData(t *testing.T, v interface{}) interface{} {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return dataModel(t, data)
}

// decoded is the request as this helper decoded it, in the fixture's terms.
func decoded(req *Request, _ interface{}) (interface{}, error) {
	fields := map[string]interface{}{
		"id": req.ID, "step": req.Step, "version": req.Version, "token_hex": hex.EncodeToString(req.Token),
		"token_text": nil, "jwks": req.JWKS, "profile": req.Profile, "now": req.Now, "actions": req.Actions,
		"features": req.Features, "timeout_ms": req.TimeoutMS, "key_fetch": req.Raw["key_fetch"],
	}
	if req.TokenIsUTF8 {
		fields["token_text"] = req.TokenText
	}
	if _, ok := req.Raw["jwks_base64"]; ok {
		fields["jwks_hex"] = hex.EncodeToString(req.JWKSBytes)
	} else {
		fields["jwks_json"] = json.RawMessage(req.JWKSBytes)
	}
	return fields, nil
}

// answering gives the fixture's answer through the helper's explicit outcomes.
func answering(answer map[string]interface{}) func(*Request, interface{}) (interface{}, error) {
	text := func(member string) string { s, _ := answer[member].(string); return s }
	return func(*Request, interface{}) (interface{}, error) {
		switch answer["outcome"] {
		case "accept":
			return answer["claims"], nil
		case "reject":
			return nil, &Reject{Err: text("error"), Reason: text("reason")}
		case "config_error":
			return nil, &ConfigError{Err: text("error"), Code: text("code")}
		case "skipped":
			return nil, &Skip{Why: text("why")}
		}
		panic("unknown answer")
	}
}

func TestFixtureHello(t *testing.T) {
	f := loadFixture(t)
	code, hello, responses := serveFixture(t, f, nil, decoded)
	if code != 0 || len(responses) != 0 || !reflect.DeepEqual(hello, asData(t, f.Hello.Hello)) {
		t.Errorf("code %d, hello %v, responses %v", code, hello, responses)
	}
}

func TestFixtureRequests(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.Requests {
		want := asData(t, map[string]interface{}{"id": c.Decoded["id"], "step": c.Decoded["step"], "outcome": "accept",
			"claims": c.Decoded})
		code, _, responses := serveFixture(t, f, []string{c.Line}, decoded)
		if code != 0 || len(responses) != 1 || !reflect.DeepEqual(responses[0], want) {
			t.Errorf("%s: code %d\n got %v\nwant %v", c.Name, code, responses, want)
		}
	}
}

func TestFixtureBadRequests(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.BadRequests {
		code, _, responses := serveFixture(t, f, []string{c.Line, f.request("plain")}, decoded)
		if code != 0 || len(responses) != 2 {
			t.Errorf("%s: code %d, responses %v", c.Name, code, responses)
			continue
		}
		got := responses[0].(map[string]interface{})
		if _, ok := got["error"].(string); !ok {
			t.Errorf("%s: no error text: %v", c.Name, got)
		}
		delete(got, "error")
		if !reflect.DeepEqual(got, asData(t, c.Response)) {
			t.Errorf("%s: %v, want %v", c.Name, got, c.Response)
		}
	}
}

func TestFixtureGarbledLines(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.GarbledLines {
		code, _, responses := serveFixture(t, f, []string{c.Line, f.request("plain")}, decoded)
		if code != 1 || len(responses) != 0 {
			t.Errorf("%s: code %d, responses %v", c.Name, code, responses)
		}
	}
}

func TestFixtureTables(t *testing.T) {
	f := loadFixture(t)
	for alg, want := range f.AlgReasons {
		if got := AlgReason(alg); got != want {
			t.Errorf("AlgReason(%q) = %s, want %s", alg, got, want)
		}
	}
	for _, alg := range f.AlgNotAString.Values {
		if got := AlgReason(alg); got != f.AlgNotAString.Reason {
			t.Errorf("AlgReason(%v) = %s, want %s", alg, got, f.AlgNotAString.Reason)
		}
	}
	if !reflect.DeepEqual(DefaultRequiredClaims, f.RequiredClaims) || !reflect.DeepEqual(missingClaimReasons, f.MissingClaimReasons) {
		t.Errorf("claims: %v %v", DefaultRequiredClaims, missingClaimReasons)
	}
	for claim, want := range f.MissingClaimReasons {
		if got := MissingClaimReason(claim); got != want {
			t.Errorf("MissingClaimReason(%q) = %q", claim, got)
		}
	}
	for _, claim := range f.OtherClaims {
		if got := MissingClaimReason(claim); got != "" {
			t.Errorf("MissingClaimReason(%q) = %q", claim, got)
		}
	}
}

// TestFixtureRequiredClaims: RequiredClaims of each profile (compared as sets), the profile
// decoded as the helper decodes a request's.
func TestFixtureRequiredClaims(t *testing.T) {
	f := loadFixture(t)
	if len(f.RequiredByProfile) == 0 {
		t.Fatal("no required_claims_by_profile cases")
	}
	set := func(claims []string) map[string]bool {
		m := map[string]bool{}
		for _, c := range claims {
			m[c] = true
		}
		return m
	}
	for _, c := range f.RequiredByProfile {
		var p Profile
		if err := json.Unmarshal(c.Profile, &p); err != nil {
			t.Fatalf("%s: %v", c.About, err)
		}
		got := RequiredClaims(&p)
		if got == nil || len(got) != len(set(got)) || !reflect.DeepEqual(set(got), set(c.Required)) {
			t.Errorf("%s: RequiredClaims = %#v, want %v", c.About, got, c.Required)
		}
		// The result is the caller's: changing it changes no default.
		if len(got) > 0 {
			got[0] = "changed"
			if again := RequiredClaims(&p); again[0] == "changed" {
				t.Errorf("%s: RequiredClaims shares its slice", c.About)
			}
		}
	}
}

func TestFixtureResponses(t *testing.T) {
	f := loadFixture(t)
	for _, c := range f.Responses {
		code, _, responses := serveFixture(t, f, []string{f.request(c.Request)}, answering(c.Answer))
		if code != 0 || len(responses) != 1 || !reflect.DeepEqual(responses[0], asData(t, c.Response)) {
			t.Errorf("%s: code %d\n got %v\nwant %v", c.Name, code, responses, c.Response)
		}
	}
}
