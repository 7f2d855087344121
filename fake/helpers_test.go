package fake_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// spec is api/openapi.yaml as on disk, routed on paths after /api/v1.
var spec = sync.OnceValues(func() (*checkedSpec, error) {
	doc, err := openapi3.NewLoader().LoadFromFile("../api/openapi.yaml")
	if err != nil {
		return nil, err
	}
	doc.Servers = openapi3.Servers{{URL: "/api/v1"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, err
	}
	return &checkedSpec{doc: doc, router: router}, nil
})

type checkedSpec struct {
	doc    *openapi3.T
	router routers.Router
}

// specGaps are answers to a documented operation that the fake must give but
// api/openapi.yaml does not declare. The map is empty: a future gap is
// written down here rather than loosening the check. Protocol-level answers
// the spec cannot list per operation (405 for a wrong method, 413 for a body
// over 1 MiB) are allowed only by the tests that provoke them (allowances).
var specGaps = map[string]bool{}

// allowances loosen the check for answers a test scripted on purpose.
type allowances struct {
	statuses  map[int]bool // undeclared statuses (injected faults, 413)
	rawBodies bool         // scripted bodies that are not the JSON envelope
}

// check validates one response against the spec: a declared status with
// ValidateResponse (status, headers, content type, body schema); any other
// status must be a known gap or allowed, and carry the error envelope.
func (cs *checkedSpec) check(req *http.Request, status int, header http.Header, body []byte, allow allowances) error {
	route, params, _ := cs.router.FindRoute(req)
	if route == nil { // no operation: only errors may answer
		if status < 400 {
			return fmt.Errorf("%s %s: status %d for a path the spec does not have", req.Method, req.URL.Path, status)
		}
		return cs.checkEnvelope(status, header, body, allow)
	}
	op := route.Operation.OperationID
	if route.Operation.Responses.Status(status) == nil {
		if !specGaps[fmt.Sprintf("%s %d", op, status)] && !allow.statuses[status] {
			return fmt.Errorf("%s: status %d is not in the spec", op, status)
		}
		return cs.checkEnvelope(status, header, body, allow)
	}
	if allow.rawBodies && !json.Valid(body) {
		return nil
	}
	err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	})
	if err != nil {
		return fmt.Errorf("%s %d: %w", op, status, err)
	}
	return nil
}

func (cs *checkedSpec) checkEnvelope(status int, header http.Header, body []byte, allow allowances) error {
	if allow.rawBodies && !json.Valid(body) {
		return nil
	}
	if mt, _, _ := mime.ParseMediaType(header.Get("Content-Type")); mt != "application/json" {
		return fmt.Errorf("status %d: Content-Type %q, want application/json", status, header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("status %d: body is not JSON: %w", status, err)
	}
	schema := cs.doc.Components.Schemas["ErrorResponse"].Value
	if err := schema.VisitJSON(v, openapi3.EnableJSONSchema2020()); err != nil {
		return fmt.Errorf("status %d: not the error envelope: %w", status, err)
	}
	return nil
}

// checkingTransport validates every response it carries against the spec
// and fails the test on the first that does not match.
type checkingTransport struct {
	t    testing.TB
	base http.RoundTripper

	mu      sync.Mutex
	allow   allowances
	checked atomic.Int64
}

func (ct *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := ct.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	cs, err := spec()
	if err != nil {
		ct.t.Errorf("load spec: %v", err)
		return resp, nil
	}
	ct.mu.Lock()
	allow := ct.allow
	ct.mu.Unlock()
	if err := cs.check(req, resp.StatusCode, resp.Header, body, allow); err != nil {
		ct.t.Errorf("response breaks api/openapi.yaml: %s %s: %v\nbody: %s", req.Method, req.URL.Path, err, body)
	}
	ct.checked.Add(1)
	return resp, nil
}

// allowStatus lets the transport accept an undeclared status (a scripted fault).
func (ct *checkingTransport) allowStatus(codes ...int) {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	if ct.allow.statuses == nil {
		ct.allow.statuses = map[int]bool{}
	}
	for _, c := range codes {
		ct.allow.statuses[c] = true
	}
}

func (ct *checkingTransport) allowRawBodies() {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	ct.allow.rawBodies = true
}

// env is one fake server and a client whose every response is checked
// against the spec.
type env struct {
	t     *testing.T
	srv   *fake.Server
	tr    *checkingTransport
	http  *http.Client
	inner *http.Transport
}

func newEnv(t *testing.T, opts ...fake.Option) *env {
	t.Helper()
	srv := fake.NewServer(opts...)
	inner := &http.Transport{}
	tr := &checkingTransport{t: t, base: inner}
	// The timeout turns a fake that wrongly hangs into a failure, not a stuck run.
	e := &env{t: t, srv: srv, tr: tr, http: &http.Client{Transport: tr, Timeout: 20 * time.Second}, inner: inner}
	t.Cleanup(func() {
		srv.Close()
		inner.CloseIdleConnections()
	})
	return e
}

// reply is a response read whole.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r reply) envelope(t *testing.T) gen.ErrorResponse {
	t.Helper()
	var e gen.ErrorResponse
	if err := json.Unmarshal(r.Body, &e); err != nil {
		t.Fatalf("error body %q: %v", r.Body, err)
	}
	return e
}

// wantError asserts an error answer with the documented envelope.
func (r reply) wantError(t *testing.T, status int, msgContains ...string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status = %d, want %d; body %s", r.Status, status, r.Body)
	}
	e := r.envelope(t)
	if e.Error.Code != status {
		t.Errorf("error.code = %d, want %d", e.Error.Code, status)
	}
	if e.Error.Message == "" {
		t.Errorf("error.message is empty")
	}
	for _, s := range msgContains {
		if !strings.Contains(e.Error.Message, s) {
			t.Errorf("error.message = %q, want it to contain %q", e.Error.Message, s)
		}
	}
}

// do sends one request with key as bearer ("" for none) and body as JSON
// ("" for none), and reads the answer.
func (e *env) do(method, path, key, body string) reply {
	e.t.Helper()
	r, err := e.try(context.Background(), method, path, key, body)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (e *env) try(ctx context.Context, method, path, key, body string) (reply, error) {
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, e.srv.URL+path, rd)
	if err != nil {
		return reply{}, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := e.http.Do(req)
	if err != nil {
		return reply{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: b}, err
}

// mgmt sends a request with the management key.
func (e *env) mgmt(method, path, body string) reply {
	e.t.Helper()
	return e.do(method, path, e.srv.ManagementKey, body)
}

// client is gen's typed client over the checking transport, as key.
func (e *env) client(key string) *gen.ClientWithResponses {
	e.t.Helper()
	c, err := gen.NewClientWithResponses(e.srv.URL, gen.WithHTTPClient(e.http),
		gen.WithRequestEditorFn(func(_ context.Context, req *http.Request) error {
			req.Header.Set("Authorization", "Bearer "+key)
			return nil
		}))
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// create makes a key over HTTP and returns the answer.
func (e *env) create(body string) gen.CreateKeysResponse {
	e.t.Helper()
	r := e.mgmt("POST", "/keys", body)
	if r.Status != http.StatusCreated {
		e.t.Fatalf("create %s: status %d: %s", body, r.Status, r.Body)
	}
	return decode[gen.CreateKeysResponse](e.t, r)
}

func decode[T any](t *testing.T, r reply) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Body, &v); err != nil {
		t.Fatalf("decode %T from %q: %v", v, r.Body, err)
	}
	return v
}

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *testClock {
	return &testClock{t: time.Date(2030, 5, 17, 9, 30, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// waitFor polls cond until it holds, failing the test after a generous
// while: for states another goroutine reaches (a request arriving).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

func decodeList(t *testing.T, r reply) []gen.APIKey {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("list: status %d: %s", r.Status, r.Body)
	}
	return decode[gen.ListResponse](t, r).Data
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
