package secret_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/secret"
)

const urlKey = "sk-or-mgmt-0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// encodeAll percent-encodes every byte of s.
func encodeAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("%" + strings.ToUpper(hexByte(s[i])))
	}
	return b.String()
}

func hexByte(c byte) string {
	const digits = "0123456789abcdef"
	return string([]byte{digits[c>>4], digits[c&15]})
}

func TestScrubURL(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"clean", "https://openrouter.ai/api/v1/keys?offset=100", "https://openrouter.ai/api/v1/keys?offset=100"},
		{"clean escapes", "http://127.0.0.1:8080/a%20b?x=%zz", "http://127.0.0.1:8080/a%20b?x=%zz"},
		{"raw key", "http://127.0.0.1:8080/" + urlKey + "/api/v1", "http://127.0.0.1:8080/" + secret.Redact(urlKey) + "/api/v1"},
		{"one escaped byte", "http://127.0.0.1:8080/%73" + urlKey[1:] + "/api/v1", "http://127.0.0.1:8080/" + secret.URLPlaceholder},
		{"escaped with a bad escape beside it", "http://127.0.0.1:8080/%73" + urlKey[1:] + "?x=%zz", "http://127.0.0.1:8080/" + secret.URLPlaceholder},
		{"every byte escaped", "https://h/" + encodeAll(urlKey), "https://h/" + secret.URLPlaceholder},
		{"double escaped", "https://h/x?next=" + url.QueryEscape("https://h/%73"+urlKey[1:]), "https://h/" + secret.URLPlaceholder},
		{"in the host", "http://%73" + urlKey[1:] + ".example/", secret.URLPlaceholder},
		{"not a URL", "failed to parse Location header \"%73" + urlKey[1:] + "%zz\"", "failed to parse Location header \"" + secret.URLPlaceholder + "\""},
		{"one URL of two in an error", `Get "http://h:1/api/v1/keys?x=%20": failed to parse Location header "http://o:2/%73` + urlKey[1:] + `?x=%zz": parse "/%73` + urlKey[1:] + `": invalid URL escape "%zz"`,
			`Get "http://h:1/api/v1/keys?x=%20": failed to parse Location header "http://o:2/` + secret.URLPlaceholder + `": parse "` + secret.URLPlaceholder + `": invalid URL escape "%zz"`},
		{"percent-escape JSON-escaped", `{"location":"http://h/\u002573` + urlKey[1:] + `"}`, `{"location":"http://h/` + secret.URLPlaceholder + `"}`},
		{"JSON escape percent-escaped", "http://h/%5Cu0073" + urlKey[1:], "http://h/" + secret.URLPlaceholder},
		{"clean JSON", `{"a":"b\/c \u0041 \\"}`, `{"a":"b\/c \u0041 \\"}`},
		{"a given secret with a space, across words", "https://h/p/hunter2%20hunter2 %68unter2 hunter2", "https://h/" + secret.URLPlaceholder},
		{"a given secret, escaped", "https://h/p/" + encodeAll("hunter2-hunter2"), "https://h/" + secret.URLPlaceholder},
	}
	for _, tc := range cases {
		secrets := []string(nil)
		if strings.Contains(tc.name, "given secret") {
			secrets = []string{"hunter2-hunter2", "hunter2 hunter2"}
		}
		if got := secret.ScrubURL(tc.in, secrets...); got != tc.want {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, tc.want)
		}
	}
}

func TestScrubURLNestedPastTheBound(t *testing.T) {
	s := "/" + urlKey
	for range 6 {
		s = url.PathEscape(s)
		s = strings.ReplaceAll(s, "s", "%73")
	}
	got := secret.ScrubURL("https://h/x?u=" + s)
	if got != "https://h/"+secret.URLPlaceholder {
		t.Errorf("6 layers deep: %s", got)
	}
}
