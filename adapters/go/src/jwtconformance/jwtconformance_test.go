package jwtconformance

// The behaviour of the Go API (Library, panics, explicit outcomes, bounded lines). What every
// helper shares (decoding, tables, responses) is in fixture_test.go, from
// adapters/fixtures/protocol.json.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
)

func request(id string, token string, extra string) string {
	b64 := base64.StdEncoding.EncodeToString([]byte(token))
	jwks := base64.StdEncoding.EncodeToString([]byte(`{"keys":[]}`))
	return `{"version":2,"type":"verify","id":"` + id + `","step":0,"token":"x","token_b64":"` + b64 +
		`","jwks_base64":"` + jwks + `","jwks":{"keys":[]},"profile":{"issuer":"https://issuer.example",` +
		`"audiences":["https://api.example"],"algorithms":["ES256"],"leeway_secs":0},"now":1700000000,` +
		`"actions":[],"features":[],"timeout_ms":1000` + extra + "}\n"
}

var errLibrary = errors.New("library says no")

func testAdapter() Adapter {
	return Adapter{
		Name: "test", Library: "test (Go)", Version: "1.0", Features: []string{"clock"}, Claims: true,
		Keys: func(req *Request) (interface{}, error) {
			if req.ID == "keys-fail" {
				return nil, errLibrary
			}
			if req.ID == "keys-panic" {
				return Library(func() (int, error) { panic("in the key parser") })
			}
			return string(req.JWKSBytes), nil
		},
		Verify: func(req *Request, keys interface{}) (interface{}, error) {
			switch req.ID {
			case "accept":
				return map[string]interface{}{"sub": req.TokenText, "keys": keys, "now": req.Now}, nil
			case "reject":
				return nil, errLibrary
			case "library-panic":
				return Library(func() (int, error) { var m map[string]int; m["x"] = 1; return 0, nil })
			case "adapter-panic":
				panic("adapter bug")
			case "skip":
				return nil, &Skip{Why: "cannot"}
			case "explicit":
				return nil, &Reject{Err: "no", Reason: "kid_unknown"}
			case "nan":
				return map[string]interface{}{"exp": math.NaN()}, nil
			case "reason-panic":
				return nil, errors.New("boom")
			}
			return nil, errors.New("unknown test")
		},
		Reason: func(err error, req *Request) string {
			if req.ID == "reason-panic" {
				panic("labeling")
			}
			if errors.Is(err, errLibrary) {
				return "signature_invalid"
			}
			return ""
		},
	}
}

func run(t *testing.T, input string) (int, []map[string]interface{}, string) {
	t.Helper()
	var out, log bytes.Buffer
	code := testAdapter().Run(strings.NewReader(input), &out, &log)
	var lines []map[string]interface{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]interface{}
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("output line is not JSON: %q", sc.Text())
		}
		lines = append(lines, m)
	}
	return code, lines, log.String()
}

func TestProtocol(t *testing.T) {
	input := request("accept", "tok", "") + "\n  \n" + request("reject", "t", "") + request("library-panic", "t", "") +
		request("adapter-panic", "t", "") + request("skip", "t", "") + request("explicit", "t", "") +
		request("nan", "t", "") + request("keys-fail", "t", "") + request("keys-panic", "t", "") +
		request("reason-panic", "t", "") + `{"id":"bad","step":0,"token_b64":"!!"}` + "\n" +
		strings.TrimSuffix(request("accept", "last", ""), "\n")
	code, lines, _ := run(t, input)
	if code != 0 {
		t.Fatalf("exit code %d", code)
	}
	hello := lines[0]
	if hello["protocol"] != Protocol || hello["version"] != 2.0 || hello["claims"] != true || hello["exact"] != false {
		t.Fatalf("hello %v", hello)
	}
	want := []struct{ outcome, field, value string }{
		{"accept", "", ""},
		{"reject", "reason", "signature_invalid"},
		{"reject", "error", "unexpected panic: assignment to entry in nil map"},
		{"adapter_error", "error", "adapter panic: adapter bug"},
		{"skipped", "why", "cannot"},
		{"reject", "reason", "kid_unknown"},
		{"accept", "claims_note", "claims not representable as strict JSON: json: unsupported value: NaN"},
		{"config_error", "error", "library says no"},
		{"config_error", "error", "unexpected panic: in the key parser"},
		{"reject", "error", "boom"},
		{"adapter_error", "", ""},
		{"accept", "", ""},
	}
	if len(lines) != len(want)+1 {
		t.Fatalf("%d responses, want %d: %v", len(lines)-1, len(want), lines)
	}
	for i, w := range want {
		got := lines[i+1]
		if got["outcome"] != w.outcome || (w.field != "" && got[w.field] != w.value) {
			t.Errorf("response %d: %v, want %v", i, got, w)
		}
	}
	claims := lines[1]["claims"].(map[string]interface{})
	if claims["sub"] != "tok" || claims["keys"] != `{"keys":[]}` || claims["now"] != 1.7e9 {
		t.Errorf("claims %v", claims)
	}
	if lines[10]["reason"] != nil {
		t.Errorf("a panic in Reason must give a null reason: %v", lines[10])
	}
	if lines[3]["reason"] != nil {
		t.Errorf("a library panic has no reason: %v", lines[3])
	}
}

func TestHelloVersion3(t *testing.T) {
	a := Adapter{Name: "v3", Library: "v3 (Go)", Version: "1", Algorithms: []string{"RS256", "EdDSA"},
		Presets: []string{"rfc9068", "jwt"}, Verify: func(*Request, interface{}) (interface{}, error) { return nil, nil }}
	var out, log bytes.Buffer
	if code := a.Run(strings.NewReader(""), &out, &log); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	var hello map[string]interface{}
	if err := json.Unmarshal(out.Bytes(), &hello); err != nil {
		t.Fatal(err)
	}
	if hello["version"] != 3.0 || len(hello["algorithms"].([]interface{})) != 2 || hello["presets"].([]interface{})[1] != "jwt" {
		t.Errorf("hello %v", hello)
	}
	code, lines, _ := run(t, "")
	if code != 0 || lines[0]["version"] != 2.0 || lines[0]["algorithms"] != nil || lines[0]["presets"] != nil {
		t.Errorf("an adapter declaring neither greets with version 2: %v", lines)
	}
}

func TestProfile3(t *testing.T) {
	var p Profile
	raw := `{"issuer":null,"audiences":[],"algorithms":["EdDSA"],"typ":null,"preset":"oidc-id-token",` +
		`"client_id":"c","nonce":"n","future_member":{"x":1}}`
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		t.Fatal(err)
	}
	if p.Typ != nil || p.PresetName() != "oidc-id-token" || *p.ClientID != "c" || *p.Nonce != "n" || p.RequiredClaims != nil {
		t.Errorf("profile %+v", p)
	}
	if got := RequiredClaims(&p); strings.Join(got, " ") != "iss sub aud exp iat" {
		t.Errorf("RequiredClaims %v", got)
	}
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var back, want interface{}
	_ = json.Unmarshal(data, &back)
	_ = json.Unmarshal([]byte(raw), &want)
	if !reflect.DeepEqual(back, want) {
		t.Errorf("re-encoded %s", data)
	}
	var empty Profile
	if empty.PresetName() != "rfc9068" || len(RequiredClaims(&empty)) != 7 {
		t.Errorf("the zero profile is rfc9068's")
	}
}

func TestGarbledLine(t *testing.T) {
	for _, line := range []string{"not json\n", `{"id":1,"step":0}` + "\n", `{"id":"a","step":1.5}` + "\n", "[]\n"} {
		code, lines, log := run(t, line+request("accept", "t", ""))
		if code != 1 || len(lines) != 1 || !strings.Contains(log, "giving up") {
			t.Errorf("%q: code %d, %d lines, log %q", line, code, len(lines), log)
		}
	}
}

func TestLongLine(t *testing.T) {
	r := bufio.NewReaderSize(strings.NewReader(strings.Repeat("a", 100)+"\nok\n"), 16)
	if _, err := readLine(r, 50); err == nil {
		t.Fatal("a line over the bound was read")
	}
	r = bufio.NewReaderSize(strings.NewReader(strings.Repeat("a", 50)+"\nok"), 16)
	if line, err := readLine(r, 50); err != nil || len(line) != 50 {
		t.Fatalf("a line at the bound: %d bytes, %v", len(line), err)
	}
	if line, err := readLine(r, 50); string(line) != "ok" || err == nil {
		t.Fatalf("last line without newline: %q, %v", line, err)
	}
}
