package facade

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/secret"
)

// A server may echo the caller's key percent-escaped (a URL in its message,
// say). The raw and JSON-escaped forms were always cut; the escaped forms
// must be cut too, from the message, the code text, the metadata and a
// decode error's text.
func TestEscapedKeyEchoIsCutFromErrors(t *testing.T) {
	const key = "sk-or-v1-0d3f5a7c9e1b2d4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e6b8d1f3a5c7e9b2d4f6"
	escaped := "%73" + key[1:] // "%73k-or-v1-…": s percent-escaped
	leaks := func(s string) bool {
		return strings.Contains(s, key[10:]) || strings.Contains(s, escaped)
	}
	body := fmt.Sprintf(`{"error":{"code":"see /%[1]s","message":"retry at https://h/%[1]s?x=%%zz","metadata":{"url":"/%[1]s"}}}`, escaped)
	e := decodeAPIError(http.StatusBadRequest, http.Header{}, []byte(body), shield{key: key})
	for name, s := range map[string]string{"Message": e.Message, "CodeText": e.CodeText, "Error()": e.Error(), "%+v": fmt.Sprintf("%+v", e), "Metadata": fmt.Sprint(e.Metadata), "Body": string(e.Body)} {
		if leaks(s) {
			t.Errorf("%s shows the escaped key: %s", name, s)
		}
	}

	derr := decodeError(errors.New(`parsing time "/`+escaped+`?x=%zz"`), shield{key: key})
	if leaks(derr.Error()) || leaks(fmt.Sprintf("%+v", derr)) {
		t.Errorf("decode error shows the escaped key: %v", derr)
	}
}

// The same for a provider key echoed escaped by a BYOK call's server.
func TestEscapedProviderKeyEchoIsCut(t *testing.T) {
	pk := secret.New("sk-ant-api03-Zq8v2Lm4Np6Rt0Xy3Wb5Kc7Hd9Jf1Gs")
	escaped := "%73" + pk.Reveal()[1:]
	var cfg config
	withSecret(pk)(&cfg)
	err := decodeError(fmt.Errorf("wrapped: bad value %q", "/"+escaped), shield{key: "sk-or-mgmt-" + strings.Repeat("0", 64), secrets: cfg.secrets})
	if strings.Contains(err.Error(), escaped) || strings.Contains(err.Error(), pk.Reveal()[3:]) {
		t.Errorf("error shows the escaped provider key: %v", err)
	}
}
