package facade_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// Any 2XX carries the answer, whatever its Content-Type (none, text/plain
// from a proxy) and whichever 2XX it is (a proxy's 200 for the API's 201):
// refusing it would lose a new key's plaintext. The body is decoded as the
// operation's documented JSON, once.
func TestAnySuccessStatusAndContentTypeDecodes(t *testing.T) {
	clearEnv(t)
	for _, ct := range []string{"", "text/plain; charset=utf-8", "application/octet-stream"} {
		srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			okFor(rec, r)
			if ct == "" {
				w.Header()["Content-Type"] = nil // no sniffing either
			} else {
				w.Header().Set("Content-Type", ct)
			}
			status := rec.Code
			if status == http.StatusCreated {
				status = http.StatusOK
			}
			w.WriteHeader(status)
			_, _ = w.Write(rec.Body.Bytes())
		})
		c := srv.client(t)
		for _, call := range sixCalls() {
			if err := call.standalone(t.Context(), c); err != nil {
				t.Errorf("Content-Type %q, %s: %v", ct, call.name, err)
			}
		}
	}
}
