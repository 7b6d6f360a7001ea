package jwtconformance

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"strings"
	"testing"
)

func TestConvertJWKS(t *testing.T) {
	set := `{"keys":[` +
		`{"kty":"EC","crv":"P-256","kid":"ec","alg":"ES256","x":"Og9O0oqYw6X3WZLhErumXMqF78CgL9XjmicCJocZZuE","y":"opzBMqY9ArX-OUzNW0byqx80JQiwyIPRTydjBdHDLEI"},` +
		`{"kty":"RSA","kid":"rsa","n":"2ZMM5FrzlwilE7MG6ER-aGOY0l6HYNpwU0GVK7isUvPG2MCK5rhVWolMqhXYzcKKX69grtDzz-TjLgBUKPDow2tIa9plyLoOwNy1UoPkhjpeHV0sPhYpQR2LlMDVcTbYX8tTOKjjwh0R44NlZlxO70MzX4SIKrJYX8EBacimn8W0xUe3TPtICKUVb435Q4daE93psWzWmJPVwI2yY7mZUPmUvKQuFdtMFm2wutTb1_V7FefEZXyIReOYM9IPuUFv7qIF5k6OfGoIQI6a3aQaOyic6Ep7tDi9einTeTNKFmmWhdnVn55EgP34cXQI56yUnlM8MB4VFERUGbZrSMaxyw","e":"AQAB"},` +
		`{"kty":"OKP","crv":"Ed25519","kid":7,"x":"jHpei8RjekMrB9P2CLT3g4FTy4AWtR6yTyaxfNdqvVo"},` +
		`{"kty":"oct","kid":"hmac","k":"c2VjcmV0"}]}`
	keys, err := ConvertJWKS([]byte(set))
	if err != nil || len(keys) != 4 {
		t.Fatalf("%v %v", keys, err)
	}
	if _, ok := keys[0].Key.(*ecdsa.PublicKey); !ok || keys[0].Kid != "ec" || !keys[0].HasKid {
		t.Errorf("EC: %+v", keys[0])
	}
	if k, ok := keys[1].Key.(*rsa.PublicKey); !ok || k.E != 65537 || k.N.BitLen() != 2048 {
		t.Errorf("RSA: %+v", keys[1])
	}
	if k, ok := keys[2].Key.(ed25519.PublicKey); !ok || len(k) != 32 || keys[2].HasKid {
		t.Errorf("OKP: %+v", keys[2])
	}
	if k, ok := keys[3].Key.([]byte); !ok || string(k) != "secret" {
		t.Errorf("oct: %+v", keys[3])
	}
	if PickKey(keys, "hmac") != &keys[3] || PickKey(keys, "nope") != &keys[0] || PickKey(keys, nil) != &keys[0] ||
		PickKey(nil, "x") != nil {
		t.Errorf("PickKey")
	}
	for _, bad := range []string{`[]`, `{}`, `{"keys":[{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}]}`,
		`{"keys":[{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}]}`, `{"keys":[{"kty":"OKP","crv":"X25519","x":"AA"}]}`,
		`{"keys":[{"kty":"RSA","n":"AQ","e":"AQAAAAAAAAAAAA"}]}`, `{"keys":[{"kty":"oct","k":"a+b"}]}`, `{"keys":[{"k":"AA"}]}`,
		`{"keys":[{"kty":"DSA"}]}`} {
		if _, err := ConvertJWKS([]byte(bad)); err == nil || strings.Contains(err.Error(), "0x") {
			t.Errorf("%s: %v", bad, err)
		}
	}
}
