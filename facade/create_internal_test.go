package facade

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// A create of another kind of thing (plane's POSTs) travels callCreate: a
// 5XX is sent once and is a MaybeCreatedError naming the kind from the
// path, and a 2XX decodes into gen's model like any call.
func TestCallCreateOfAnotherKind(t *testing.T) {
	var n atomic.Int32
	status := http.StatusInternalServerError
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"data":{"hash":"h"}}`))
	}))
	defer srv.Close()
	c, err := New(WithServerURL(srv.URL), WithAPIKey("sk-or-v1-test"), WithEnv(func(string) string { return "" }))
	if err != nil {
		t.Fatal(err)
	}
	op := &operation{http.MethodPost, "/guardrails", false, http.StatusCreated}
	build := func(s string) (*http.Request, error) {
		return http.NewRequest(http.MethodPost, s+"guardrails", strings.NewReader("{}"))
	}
	lacks := func(v *GetKeyResponse) string { return missing(v.Data.Hash == "", "data.hash") }

	_, err = callCreate(t.Context(), c, nil, op, "ci", build, lacks)
	var mc *MaybeCreatedError
	if !errors.As(err, &mc) || mc.Kind != "guardrail" || mc.Name != "ci" || !strings.Contains(err.Error(), `list guardrails named "ci"`) {
		t.Errorf("err = %v, want a MaybeCreatedError for a guardrail named ci", err)
	}
	if n.Load() != 1 {
		t.Errorf("%d requests, want 1: a create is never retried on a 5XX", n.Load())
	}
	status = http.StatusCreated
	v, err := callCreate(t.Context(), c, nil, op, "ci", build, lacks)
	if err != nil || v.Data.Hash != "h" {
		t.Errorf("2XX: %+v, %v", v, err)
	}
}
