package fake_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// Validation costs a bounded amount per request: the validator and router
// are built once, not per request. Compiling a schema validator for every
// request, as kin-openapi does for a 3.1 document, cost about 2,800
// allocations (and 0.5 ms) per create.
func TestRequestCostIsBounded(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	h := srv.Handler()
	for _, tc := range []struct{ method, path, body string }{
		{"POST", "/api/v1/keys", `{"name":"cost","limit":5,"limit_reset":"daily"}`},
		{"GET", "/api/v1/keys?offset=0&include_disabled=true", ""},
		{"PATCH", "/api/v1/keys/" + strings.Repeat("0", 64), `{"name":"x","limit":null}`},
	} {
		allocs := testing.AllocsPerRun(50, func() {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code >= 500 || w.Code == http.StatusBadRequest {
				t.Fatalf("%s %s: %d %s", tc.method, tc.path, w.Code, w.Body)
			}
		})
		if allocs > 600 {
			t.Errorf("%s %s: %.0f allocations per request, want at most 600", tc.method, tc.path, allocs)
		}
	}
	srv.ResetRequests()
}
