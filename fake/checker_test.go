package fake_test

import (
	"net/http"
	"strings"
	"testing"
)

// The response check that every test's client runs must itself catch
// answers that break the spec; otherwise "every response is validated"
// would prove nothing.
func TestSpecCheckCatchesBadAnswers(t *testing.T) {
	cs, err := spec()
	if err != nil {
		t.Fatal(err)
	}
	const base = "http://127.0.0.1:1/api/v1"
	jsonHeader := http.Header{"Content-Type": {"application/json"}}
	envelope := `{"error":{"code":404,"message":"Resource not found"}}`
	key := `{"hash":"h","name":"n","label":"l","disabled":false,"limit":null,"limit_remaining":null,"limit_reset":null,
		"include_byok_in_limit":false,"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,"byok_usage":0,
		"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"created_at":"2030-01-01T00:00:00.000Z",
		"updated_at":null,"creator_user_id":null,"workspace_id":"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10","external_user":null,"last_used_at":null}`

	tests := []struct {
		name, method, path string
		status             int
		header             http.Header
		body               string
		allow              allowances
		ok                 bool
	}{
		{"good get", "GET", "/keys/abc", 200, jsonHeader, `{"data":` + key + `}`, allowances{}, true},
		{"good list", "GET", "/keys", 200, jsonHeader, `{"data":[` + key + `]}`, allowances{}, true},
		{"good 404", "GET", "/keys/abc", 404, jsonHeader, envelope, allowances{}, true},
		{"list item lacks a field", "GET", "/keys", 200, jsonHeader, `{"data":[{"hash":"h"}]}`, allowances{}, false},
		{"limit as a string", "GET", "/keys/abc", 200, jsonHeader, `{"data":` + strings.Replace(key, `"limit":null`, `"limit":"5"`, 1) + `}`, allowances{}, false},
		{"create without key", "POST", "/keys", 201, jsonHeader, `{"data":` + key + `}`, allowances{}, false},
		{"create answered 200", "POST", "/keys", 200, jsonHeader, `{"data":` + key + `,"key":"k"}`, allowances{}, false},
		{"wrong content type", "GET", "/keys/abc", 200, http.Header{"Content-Type": {"text/plain"}}, `{"data":` + key + `}`, allowances{}, false},
		{"404 without envelope", "GET", "/keys/abc", 404, jsonHeader, `{"message":"nope"}`, allowances{}, false},
		{"undeclared status", "GET", "/keys", 418, jsonHeader, `{"error":{"code":418,"message":"teapot"}}`, allowances{}, false},
		{"allowed undeclared status", "GET", "/keys", 418, jsonHeader, `{"error":{"code":418,"message":"teapot"}}`, allowances{statuses: map[int]bool{418: true}}, true},
		{"allowed status, bad body", "GET", "/keys", 418, jsonHeader, `teapot`, allowances{statuses: map[int]bool{418: true}}, false},
		{"403 on list is declared", "GET", "/keys", 403, jsonHeader, `{"error":{"code":403,"message":"m"}}`, allowances{}, true},
		{"403 on /key is no known gap", "GET", "/key", 403, jsonHeader, `{"error":{"code":403,"message":"m"}}`, allowances{}, false},
		{"unknown path answered 200", "GET", "/nope", 200, jsonHeader, `{}`, allowances{}, false},
		{"unknown path without envelope", "GET", "/nope", 404, jsonHeader, `not found`, allowances{}, false},
		{"unknown path with envelope", "GET", "/nope", 404, jsonHeader, envelope, allowances{}, true},
		{"delete answered other shape", "DELETE", "/keys/abc", 200, jsonHeader, `{"ok":true}`, allowances{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest(tt.method, base+tt.path, nil)
			err := cs.check(req, tt.status, tt.header, []byte(tt.body), tt.allow)
			if tt.ok && err != nil {
				t.Errorf("check refused a good answer: %v", err)
			}
			if !tt.ok && err == nil {
				t.Errorf("check passed a bad answer")
			}
		})
	}
}

// Every test's client went through the check.
func TestEnvChecksResponses(t *testing.T) {
	e := newEnv(t)
	e.mgmt("GET", "/keys", "")
	e.do("GET", "/key", "", "")
	if n := e.tr.checked.Load(); n != 2 {
		t.Errorf("%d responses checked, want 2", n)
	}
}
