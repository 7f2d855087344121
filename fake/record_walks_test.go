package fake_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

// The request record never holds a provider key sent to /byok, whatever
// shape the body has: members named "key" in any case and at any depth are
// redacted, and a body that is not exactly one JSON object is not recorded.
func TestRecordNeverHoldsProviderKey(t *testing.T) {
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	const unparsed = `"[unparsed body not recorded]"`
	for _, tc := range []struct {
		name, method, path, body string
		kept                     []string // what the record must still say; nil: the placeholder
	}{
		{"exact name", "POST", "/byok", `{"provider":"openai","key":"sk-proj-PLAIN"}`, []string{`"provider":"openai"`, secret.Placeholder}},
		{"upper case name", "POST", "/byok", `{"provider":"openai","KEY":"sk-proj-UPPER"}`, []string{`"provider":"openai"`}},
		{"mixed case name", "POST", "/byok", `{"provider":"openai","Key":"sk-proj-MIXED"}`, []string{`"provider":"openai"`}},
		{"escaped name", "POST", "/byok", `{"provider":"openai","k\u0065y":"sk-proj-ESCAPED"}`, []string{`"provider":"openai"`}},
		{"Kelvin sign", "POST", "/byok", `{"provider":"openai","` + "\u212a" + `ey":"sk-proj-KELVIN"}`, []string{`"provider":"openai"`}},
		{"nested", "POST", "/byok", `{"provider":"openai","x":{"a":[{"kEY":"sk-proj-NESTED"}]}}`, []string{`"provider":"openai"`}},
		{"number kept as sent", "POST", "/byok", `{"key":"sk-proj-NUM","n":12345678901234567890}`, []string{`"n":12345678901234567890`}},
		{"truncated", "POST", "/byok", `{"provider":"openai","key":"sk-proj-TRUNCATED"`, nil},
		{"trailing data", "POST", "/byok", `{"provider":"openai","key":"sk-proj-TRAILING"} x`, nil},
		{"two objects", "POST", "/byok", `{"provider":"openai","key":"sk-proj-TWO"}{}`, nil},
		{"byte order mark", "POST", "/byok", "\xef\xbb\xbf" + `{"provider":"openai","key":"sk-proj-BOM"}`, nil},
		{"array", "POST", "/byok", `[{"provider":"openai","key":"sk-proj-ARRAY"}]`, nil},
		{"string", "POST", "/byok", `"sk-proj-STRING"`, nil},
		{"null", "POST", "/byok", `null`, nil},
		{"update", "PATCH", "/byok/00000000-0000-4000-8000-000000000000", `{"KEY":"sk-proj-PATCH"}`, []string{`"KEY":"` + secret.Placeholder + `"`}},
		{"unrouted case", "POST", "/BYOK", `{"provider":"openai","Key":"sk-proj-PATHCASE"}`, []string{`"provider":"openai"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv.ResetRequests()
			req, err := http.NewRequestWithContext(t.Context(), tc.method, srv.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			reqs := srv.Requests()
			if len(reqs) != 1 {
				t.Fatalf("%d requests recorded, want 1", len(reqs))
			}
			got := string(reqs[0].Body)
			if strings.Contains(got, "sk-proj-") {
				t.Fatalf("the record holds the provider key: %s", got)
			}
			if !json.Valid(reqs[0].Body) {
				t.Errorf("recorded body %s is not JSON", got)
			}
			if tc.kept == nil && got != unparsed {
				t.Errorf("recorded body = %s, want %s", got, unparsed)
			}
			for _, s := range tc.kept {
				if !strings.Contains(got, s) {
					t.Errorf("recorded body = %s, want it to keep %s", got, s)
				}
			}
		})
	}
}
