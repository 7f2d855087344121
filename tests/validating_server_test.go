package tests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// specPath is the spec every request and response is checked against.
const specPath = "../api/openapi.yaml"

// specValidator is an http.Handler that checks every request against
// api/openapi.yaml with kin-openapi (parameters, body, and the bearer
// security requirement) before passing it on, and checks every response the
// wrapped handler writes (status, headers, body) before sending it. A
// request that breaks the spec is reported and answered 400 without reaching
// the handler; a response that breaks it is reported and still sent.
type specValidator struct {
	router routers.Router
	next   http.Handler
	report func(format string, args ...any)

	mu        sync.Mutex
	received  int // requests that reached the validator
	requests  int // requests that passed validation
	responses int // responses that passed validation
}

// validating wraps next so that the test fails on anything either side says
// that api/openapi.yaml does not allow. The end-to-end tests wrap package
// fake's handler with it (newAPIEnv).
func validating(t testing.TB, next http.Handler) *specValidator {
	t.Helper()
	return newSpecValidator(t, next, t.Errorf)
}

func newSpecValidator(t testing.TB, next http.Handler, report func(string, ...any)) *specValidator {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(specPath)
	if err != nil {
		t.Fatalf("loading %s: %v", specPath, err)
	}
	// Match operations by path only, whatever host and port the test
	// server has: OpenRouter's base path stays, its host goes.
	doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatalf("router for %s: %v", specPath, err)
	}
	return &specValidator{router: router, next: next, report: report}
}

// counts returns how many requests arrived and how many requests and
// responses passed validation.
func (v *specValidator) counts() (received, requests, responses int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.received, v.requests, v.responses
}

// requireAllValid fails t unless every request that arrived, and its
// response, passed validation, and at least one did.
func (v *specValidator) requireAllValid(t testing.TB) {
	t.Helper()
	received, requests, responses := v.counts()
	if received == 0 || requests != received || responses != received {
		t.Errorf("validator: %d requests arrived, %d passed, %d responses passed; want all of them", received, requests, responses)
	}
}

func (v *specValidator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	v.received++
	v.mu.Unlock()
	what := r.Method + " " + r.URL.RequestURI()

	route, pathParams, err := v.router.FindRoute(r)
	if err != nil {
		v.report("spec: %s: no such operation: %v", what, err)
		writeError(w, http.StatusNotFound, "no such operation")
		return
	}
	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			AuthenticationFunc: bearerAuth,
			MultiError:         true,
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		v.report("spec: request %s breaks the spec: %v", what, err)
		writeError(w, http.StatusBadRequest, "request breaks the spec")
		return
	}
	v.mu.Lock()
	v.requests++
	v.mu.Unlock()

	rec := httptest.NewRecorder()
	v.next.ServeHTTP(rec, r)
	body := rec.Body.Bytes()
	err = openapi3filter.ValidateResponse(r.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.Code,
		Header:                 rec.Header(),
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		v.report("spec: response %d to %s breaks the spec: %v\nbody: %s", rec.Code, what, err, body)
	} else {
		v.mu.Lock()
		v.responses++
		v.mu.Unlock()
	}
	maps.Copy(w.Header(), rec.Header())
	w.WriteHeader(rec.Code)
	w.Write(body)
}

// bearerAuth checks the spec's bearerAuth scheme: an Authorization header of
// the form "Bearer <token>" with a token that has no spaces.
func bearerAuth(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	s := in.SecurityScheme
	if s.Type != "http" || !strings.EqualFold(s.Scheme, "bearer") {
		return in.NewError(fmt.Errorf("unexpected security scheme %s/%s", s.Type, s.Scheme))
	}
	h := in.RequestValidationInput.Request.Header.Values("Authorization")
	if len(h) != 1 {
		return in.NewError(fmt.Errorf("want one Authorization header, got %d", len(h)))
	}
	token, ok := strings.CutPrefix(h[0], "Bearer ")
	if !ok || token == "" || strings.ContainsAny(token, " \t") {
		return in.NewError(errors.New("Authorization is not \"Bearer <token>\""))
	}
	return nil
}

// writeError answers with the spec's error envelope.
func writeError(w http.ResponseWriter, status int, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%d,"message":%q}}`, status, message)
}

// The validator itself must catch what breaks the spec, or the lifecycle
// test proves nothing.
func TestValidatorCatchesViolations(t *testing.T) {
	const auth = "Bearer sk-or-v1-test"
	key := `{"hash":"h","name":"n","label":"l","disabled":false,"limit":null,"limit_remaining":null,` +
		`"limit_reset":null,"include_byok_in_limit":false,"usage":0,"usage_daily":0,"usage_weekly":0,` +
		`"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,` +
		`"created_at":"2025-01-01T00:00:00Z","updated_at":null,"creator_user_id":null,"workspace_id":"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10","external_user":null,"last_used_at":null}`
	reply := func(status int, body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(status)
			io.WriteString(w, body)
		}
	}
	okKey := reply(200, `{"data":`+key+`}`)
	for _, tc := range []struct {
		name    string
		method  string
		target  string
		auth    string
		body    string
		handler http.HandlerFunc
		want    string // part of the report; "" means no report
	}{
		{"valid get", "GET", "/api/v1/keys/abc", auth, "", okKey, ""},
		{"valid list", "GET", "/api/v1/keys?include_disabled=true&offset=0", auth, "", reply(200, `{"data":[]}`), ""},
		{"valid create", "POST", "/api/v1/keys", auth, `{"name":"n","limit":null,"limit_reset":"daily"}`, reply(201, `{"data":`+key+`,"key":"k"}`), ""},
		{"valid update", "PATCH", "/api/v1/keys/abc", auth, `{"limit":null,"limit_reset":null}`, okKey, ""},
		{"no Authorization", "GET", "/api/v1/keys/abc", "", "", okKey, "security requirement"},
		{"basic auth", "GET", "/api/v1/key", "Basic dTpw", "", okKey, "security requirement"},
		{"empty bearer", "GET", "/api/v1/key", "Bearer ", "", okKey, "security requirement"},
		{"unknown path", "GET", "/api/v1/generation", auth, "", okKey, "no such operation"},
		{"unknown method", "PUT", "/api/v1/keys/abc", auth, "", okKey, "no such operation"},
		{"create without name", "POST", "/api/v1/keys", auth, `{"limit":1}`, okKey, "request POST /api/v1/keys breaks the spec"},
		{"create negative limit", "POST", "/api/v1/keys", auth, `{"name":"n","limit":-1}`, okKey, "breaks the spec"},
		{"create empty name", "POST", "/api/v1/keys", auth, `{"name":""}`, okKey, "breaks the spec"},
		{"create without body", "POST", "/api/v1/keys", auth, "", okKey, "breaks the spec"},
		{"update unknown reset", "PATCH", "/api/v1/keys/abc", auth, `{"limit_reset":"hourly"}`, okKey, "breaks the spec"},
		{"update name null", "PATCH", "/api/v1/keys/abc", auth, `{"name":null}`, okKey, "breaks the spec"},
		{"negative offset", "GET", "/api/v1/keys?offset=-1", auth, "", okKey, "breaks the spec"},
		{"include_disabled not true/false", "GET", "/api/v1/keys?include_disabled=1", auth, "", okKey, "breaks the spec"},
		{"workspace not a UUID", "GET", "/api/v1/keys?workspace_id=default", auth, "", okKey, "breaks the spec"},
		{"expires_at not a date", "POST", "/api/v1/keys", auth, `{"name":"n","expires_at":"tomorrow"}`, okKey, "breaks the spec"},
		{"response missing field", "GET", "/api/v1/keys/abc", auth, "", reply(200, `{"data":{"hash":"h"}}`), "response 200"},
		{"response wrong type", "GET", "/api/v1/keys/abc", auth, "", reply(200, `{"data":`+strings.Replace(key, `"disabled":false`, `"disabled":"no"`, 1)+`}`), "response 200"},
		{"response undocumented status", "GET", "/api/v1/keys/abc", auth, "", reply(418, `{"error":{"code":418,"message":"teapot"}}`), "response 418"},
		{"403 where the spec has none", "GET", "/api/v1/key", auth, "", reply(403, `{"error":{"code":403,"message":"no"}}`), "response 403"},
		{"error without envelope", "GET", "/api/v1/keys/abc", auth, "", reply(404, `{"message":"gone"}`), "response 404"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var reports []string
			v := newSpecValidator(t, tc.handler, func(format string, args ...any) {
				reports = append(reports, fmt.Sprintf(format, args...))
			})
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			r := httptest.NewRequest(tc.method, tc.target, body)
			if tc.body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			if tc.auth != "" {
				r.Header.Set("Authorization", tc.auth)
			}
			v.ServeHTTP(httptest.NewRecorder(), r)
			switch {
			case tc.want == "" && len(reports) > 0:
				t.Errorf("valid exchange reported: %q", reports)
			case tc.want != "" && (len(reports) != 1 || !strings.Contains(reports[0], tc.want)):
				t.Errorf("reports %q, want one containing %q", reports, tc.want)
			}
		})
	}
}

// Behind the validator, the fake's answers are checked too: scripted answers
// that break the spec are reported, and the client still gets them.
func TestValidatorChecksFakeAnswers(t *testing.T) {
	var reports []string
	var mu sync.Mutex
	f := fake.NewServer()
	defer f.Close()
	v := newSpecValidator(t, f.Handler(), func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		reports = append(reports, fmt.Sprintf(format, args...))
	})
	srv := httptest.NewServer(v)
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL+"/api/v1"), facade.WithAPIKey(f.ManagementKey),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
	if err != nil {
		t.Fatal(err)
	}
	f.Inject(
		fake.Fault{Method: "GET", Path: "/keys", Status: http.StatusTeapot},
		fake.Fault{Method: "GET", Path: "/key", Status: http.StatusOK, Body: `{"data":{"label":7}}`},
	)
	if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err == nil {
		t.Error("list answered 418: no error")
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context()); err == nil {
		t.Error(`current answered {"data":{"label":7}}: no error`)
	}
	if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err != nil {
		t.Errorf("list after the faults: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(reports) != 2 || !strings.Contains(reports[0], "response 418 to GET /api/v1/keys") ||
		!strings.Contains(reports[1], "response 200 to GET /api/v1/key ") {
		t.Errorf("reports %q, want one on the 418 and one on the bad 200", reports)
	}
	if received, requests, responses := v.counts(); received != 3 || requests != 3 || responses != 1 {
		t.Errorf("validator counts %d received, %d valid requests, %d valid responses; want 3, 3, 1", received, requests, responses)
	}
}
