package facade_test

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/orkeys/orkeys/facade"
)

// cutShort answers with status and a Content-Length longer than the part of
// body it sends, then drops the connection: a body cut short in transit.
func cutShort(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			status, http.StatusText(status), len(body)+100, body)
		buf.Flush()
	}
}

// thenOK answers the first request with first and every later one with okFor.
func thenOK(first http.HandlerFunc) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			first(w, r)
			return
		}
		okFor(w, r)
	}
}

// Once a status has arrived it decides the outcome: a 4XX whose body is cut
// short is that 4XX, with the part of the body that came, and is not
// retried into a later success that would hide it. A 5XX cut short is
// retried as a 5XX would be; a 2XX cut short is still a failed attempt.
func TestTruncatedBodyDecidedByStatus(t *testing.T) {
	clearEnv(t)
	const partial = `{"error":{"code":401,"message":"No auth`
	t.Run("401", func(t *testing.T) {
		srv := newRecorder(t, thenOK(cutShort(http.StatusUnauthorized, partial)))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		_, err := c.APIKeys.List(t.Context(), facade.ListRequest{})
		var unauth *facade.UnauthorizedResponseError
		if !errors.As(err, &unauth) {
			t.Fatalf("err = %v, want a 401", err)
		}
		if string(unauth.Body) != partial {
			t.Errorf("Body = %q, want the part that came, %q", unauth.Body, partial)
		}
		var re *facade.RetryError
		if n := srv.count(); n != 1 || errors.As(err, &re) {
			t.Errorf("%d requests (err %v), want 1 and no retry", n, err)
		}
	})
	t.Run("401 on create", func(t *testing.T) {
		srv := newRecorder(t, thenOK(cutShort(http.StatusUnauthorized, partial)))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		_, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
		var unauth *facade.UnauthorizedResponseError
		var maybe *facade.MaybeCreatedError
		if !errors.As(err, &unauth) || errors.As(err, &maybe) || srv.count() != 1 {
			t.Errorf("err = %v after %d requests, want a plain 401 after 1", err, srv.count())
		}
	})
	t.Run("503 retried", func(t *testing.T) {
		srv := newRecorder(t, thenOK(cutShort(http.StatusServiceUnavailable, `{"error":`)))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err != nil || srv.count() != 2 {
			t.Errorf("err = %v after %d requests, want success after 2", err, srv.count())
		}
	})
	t.Run("200 cut short is retried", func(t *testing.T) {
		srv := newRecorder(t, thenOK(cutShort(http.StatusOK, `{"data":[`)))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		if _, err := c.APIKeys.List(t.Context(), facade.ListRequest{}); err != nil || srv.count() != 2 {
			t.Errorf("err = %v after %d requests, want success after 2", err, srv.count())
		}
	})
	t.Run("201 cut short on create", func(t *testing.T) {
		srv := newRecorder(t, thenOK(cutShort(http.StatusCreated, `{"data":`)))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		_, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
		var maybe *facade.MaybeCreatedError
		if !errors.As(err, &maybe) || srv.count() != 1 {
			t.Errorf("err = %v after %d requests, want a MaybeCreatedError after 1", err, srv.count())
		}
	})
}

// gzipped compresses n zero bytes: a small body that expands a thousandfold.
func gzipped(t testing.TB, n int) []byte {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if _, err := io.CopyN(zw, zeros{}, int64(n)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) { clear(p); return len(p), nil }

// serveGzip answers every request with the gzipped body, whether asked for
// gzip or not.
func serveGzip(body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		_, _ = w.Write(body)
	}
}

// allocated returns the bytes f allocates on the heap, whichever goroutine
// allocates them.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A success body over the cap is not retried, however it got there, and the
// error names the cap. Decompressed bytes count against the cap as they are
// read, so a gzip bomb costs memory in proportion to the cap (the buffer
// doubles up to the cap: about twice the cap in all), not to what it would
// expand to: with the cap lowered to 1 MiB, a 64 KiB body that expands to
// 64 MiB.
func TestOversizedSuccessBody(t *testing.T) {
	clearEnv(t)
	const capBytes = 1 << 20
	defer facade.SetMaxSuccessBody(capBytes)()
	bomb := gzipped(t, 64<<20)

	check := func(t *testing.T, srv *recorder, opts ...facade.Option) {
		t.Helper()
		c := srv.client(t, append([]facade.Option{facade.WithRetryConfig(facade.RetryConfig{}),
			facade.WithTestClock(&facade.TestClock{})}, opts...)...)
		var err error
		n := allocated(func() { _, err = c.APIKeys.List(t.Context(), facade.ListRequest{}) })
		if err == nil || !strings.Contains(err.Error(), "1 MiB cap") {
			t.Errorf("err = %v, want one that names the 1 MiB cap", err)
		}
		var re *facade.RetryError
		if srv.count() != 1 || errors.As(err, &re) {
			t.Errorf("%d requests (err %v), want 1: another attempt brings the same body", srv.count(), err)
		}
		if n > 5*capBytes {
			t.Errorf("the call allocated %d MiB for a 1 MiB cap", n>>20)
		}
	}
	t.Run("gzip bomb, decompressed by net/http", func(t *testing.T) {
		srv := newRecorder(t, serveGzip(bomb))
		check(t, srv)
		if ae := srv.requests()[0].Header.Get("Accept-Encoding"); ae != "gzip" {
			t.Fatalf("Accept-Encoding = %q: net/http did not ask for gzip, so this tests nothing", ae)
		}
	})
	t.Run("gzip bomb, unasked", func(t *testing.T) {
		srv := newRecorder(t, serveGzip(bomb))
		tr := &http.Transport{DisableCompression: true}
		t.Cleanup(tr.CloseIdleConnections)
		check(t, srv, facade.WithHTTPClient(&http.Client{Transport: tr}))
	})
	t.Run("plain, chunked", func(t *testing.T) {
		srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.CopyN(w, zeros{}, 2*capBytes)
		})
		check(t, srv)
	})
	t.Run("Content-Length over the cap", func(t *testing.T) {
		srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("Content-Length", strconv.Itoa(1<<40))
			_, _ = io.WriteString(w, `{"data":[`)
		})
		check(t, srv)
	})
	t.Run("create", func(t *testing.T) {
		srv := newRecorder(t, serveGzip(bomb))
		c := srv.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		_, err := c.APIKeys.Create(t.Context(), facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "ci"}})
		var maybe *facade.MaybeCreatedError
		if !errors.As(err, &maybe) || srv.count() != 1 || !strings.Contains(err.Error(), "1 MiB cap") {
			t.Errorf("err = %v after %d requests, want a MaybeCreatedError naming the cap after 1", err, srv.count())
		}
	})
}

// A gzipped answer that net/http did not decompress (it did not ask for
// gzip) is decompressed by the facade, success and error alike.
func TestUnaskedGzipAnswerDecoded(t *testing.T) {
	clearEnv(t)
	zip := func(s string) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = io.WriteString(zw, s)
		_ = zw.Close()
		return b.Bytes()
	}
	tr := &http.Transport{DisableCompression: true}
	t.Cleanup(tr.CloseIdleConnections)
	hc := facade.WithHTTPClient(&http.Client{Transport: tr})

	srv := newRecorder(t, serveGzip(zip(`{"data":[`+keyJSON(testHash, "one")+`]}`)))
	res, err := srv.client(t, hc).APIKeys.List(t.Context(), facade.ListRequest{})
	if err != nil || len(res.Data) != 1 || res.Data[0].Name != "one" {
		t.Errorf("List = %+v, %v", res, err)
	}

	srv = newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(zip(`{"error":{"code":404,"message":"No such key"}}`))
	})
	_, err = srv.client(t, hc).APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash})
	var nf *facade.NotFoundResponseError
	if !errors.As(err, &nf) || nf.Message != "No such key" || nf.Header.Get("Content-Encoding") != "" {
		t.Errorf("err = %v, want the decompressed 404 without its Content-Encoding", err)
	}
}

// A 2XX that decodes into nothing (JSON null, {}, or a null data) is not a
// zero-valued success: every operation reports it as an error naming the
// operation, and a create as one that may have made a key.
func TestEmptySuccessIsAnError(t *testing.T) {
	clearEnv(t)
	paths := map[string]string{
		"List": "GET /keys", "Create": "POST /keys", "Get": "GET /keys/{hash}",
		"Update": "PATCH /keys/{hash}", "Delete": "DELETE /keys/{hash}", "GetCurrentKeyMetadata": "GET /key",
	}
	for _, tc := range sixCalls() {
		for _, body := range []string{`null`, `{}`, `{"data":null}`, ` null `} {
			t.Run(tc.name+" "+body, func(t *testing.T) {
				status := http.StatusOK
				if tc.method == http.MethodPost {
					status = http.StatusCreated
				}
				srv := newRecorder(t, replyWith(status, body))
				err := tc.standalone(t.Context(), srv.client(t))
				if err == nil || !strings.Contains(err.Error(), paths[tc.name]) {
					t.Fatalf("err = %v, want an error naming %s", err, paths[tc.name])
				}
				var maybe *facade.MaybeCreatedError
				if errors.As(err, &maybe) != (tc.method == http.MethodPost) {
					t.Errorf("err = %v: MaybeCreatedError only for a create", err)
				}
			})
		}
	}
}

// A limit of -0 goes out as 0, and the caller's value is left alone: JSON
// would send -0, which a server may store and show as "$-0.00".
func TestNegativeZeroLimitSentAsZero(t *testing.T) {
	clearEnv(t)
	negZero := math.Copysign(0, -1)
	srv := newRecorder(t, nil)
	c := srv.client(t)
	create := facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "z", Limit: &negZero}}
	if _, err := c.APIKeys.Create(t.Context(), create); err != nil {
		t.Fatal(err)
	}
	update := facade.UpdateKeysRequest{Hash: testHash, RequestBody: facade.UpdateKeysRequestBody{Limit: facade.Value(negZero)}}
	if _, err := c.APIKeys.Update(t.Context(), update); err != nil {
		t.Fatal(err)
	}
	reqs := srv.requests()
	if got := string(reqs[0].Body); got != `{"limit":0,"name":"z"}` {
		t.Errorf("create body = %s", got)
	}
	if got := string(reqs[1].Body); got != `{"limit":0}` {
		t.Errorf("update body = %s", got)
	}
	if !math.Signbit(negZero) || !math.Signbit(update.RequestBody.Limit.MustGet()) {
		t.Error("the caller's -0 was changed")
	}
}
