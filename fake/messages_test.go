package fake_test

import (
	"net/http"
	"testing"
)

// 400 messages read as plain sentences, whichever of kin-openapi's
// wordings (some with slips: "Value is not nullable", Go type names, a
// format error quoting its own message, "<nil>" in an enum) lies beneath.
func TestBadRequestMessagesReadWell(t *testing.T) {
	e := newEnv(t)
	hash := e.create(`{"name":"keep"}`).Data.Hash
	const uuidHint = `(like 5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10)`
	for _, tc := range []struct{ method, path, body, want string }{
		{"POST", "/keys", `{"name":""}`, "invalid request body: name: must not be empty"},
		{"POST", "/keys", `{}`, "invalid request body: name: is required"},
		{"POST", "/keys", `{"name":1}`, "invalid request body: name: must be a string"},
		{"POST", "/keys", `{"name":"x","limit":-1}`, "invalid request body: limit: must be at least 0"},
		{"POST", "/keys", `{"name":"x","limit":"a"}`, "invalid request body: limit: must be a number or null"},
		{"POST", "/keys", `{"name":"x","limit":1e999}`, "invalid request body: limit: must be a finite number"},
		{"POST", "/keys", `{"name":"x","limit_reset":"yearly"}`, "invalid request body: limit_reset: must be one of daily, weekly, monthly, null"},
		{"POST", "/keys", `{"name":"x","workspace_id":"abc"}`, `invalid request body: workspace_id: "abc" is not a UUID ` + uuidHint},
		{"POST", "/keys", `{"name":"x","expires_at":"tomorrow"}`, "invalid request body: expires_at: must be a date-time such as 2026-01-31T12:00:00Z"},
		{"POST", "/keys", `{"name":"x","include_byok_in_limit":null}`, "invalid request body: include_byok_in_limit: must not be null"},
		{"POST", "/keys", `{"name":"x","external":{"user":"u","api_key":"short"}}`, "invalid request body: external.api_key: must be at least 32 characters"},
		{"POST", "/keys", `{"name":"x"`, "invalid request body: not valid JSON"},
		{"POST", "/keys", ``, "invalid request body: a JSON body is required"},
		{"POST", "/keys", `[1]`, "invalid request body: must be an object"},
		{"PATCH", "/keys/" + hash, `{"name":null}`, "invalid request body: name: must not be null"},
		{"PATCH", "/keys/" + hash, `{"disabled":"yes"}`, "invalid request body: disabled: must be true or false"},
		{"GET", "/keys?offset=-1", "", "invalid query parameter offset: must be at least 0"},
		{"GET", "/keys?offset=abc", "", "invalid query parameter offset: must be an integer"},
		{"GET", "/keys?offset=1.5", "", "invalid query parameter offset: must be an integer"},
		{"GET", "/keys?include_disabled=maybe", "", "invalid query parameter include_disabled: must be true or false"},
		{"GET", "/keys?workspace_id=nope", "", `invalid query parameter workspace_id: "nope" is not a UUID ` + uuidHint},
	} {
		t.Run(tc.method+" "+tc.body+tc.path, func(t *testing.T) {
			r := e.mgmt(tc.method, tc.path, tc.body)
			if r.Status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", r.Status, r.Body)
			}
			if got := r.envelope(t).Error.Message; got != tc.want {
				t.Errorf("message\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}
