package fake_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/fake"
)

func TestFaultStatusHeadersBody(t *testing.T) {
	e := newEnv(t)
	body := `{"error":{"code":429,"message":"Slow down","metadata":{"retry":true}}}`
	e.srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Status: 429,
		Header: http.Header{"Retry-After": {"7"}, "X-Ratelimit-Remaining": {"0"}}, Body: body})

	r := e.mgmt("GET", "/keys", "")
	if r.Status != 429 || string(r.Body) != body {
		t.Fatalf("got %d %s, want 429 %s", r.Status, r.Body, body)
	}
	if r.Header.Get("Retry-After") != "7" || r.Header.Get("X-Ratelimit-Remaining") != "0" || r.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", r.Header)
	}
	// Used up: the next call is real.
	if r := e.mgmt("GET", "/keys", ""); r.Status != http.StatusOK {
		t.Errorf("after the fault: %d, want 200", r.Status)
	}
	if n := e.srv.PendingFaults(); n != 0 {
		t.Errorf("PendingFaults = %d, want 0", n)
	}
}

func TestFaultDefaultBodyIsTheEnvelope(t *testing.T) {
	e := newEnv(t)
	e.tr.allowStatus(503, 502)
	e.srv.Inject(fake.Fault{Status: 503}, fake.Fault{Status: 502})
	r := e.mgmt("POST", "/keys", `{"name":"never"}`)
	r.wantError(t, 503)
	if got := r.envelope(t).Error.Message; got != "Service Unavailable" {
		t.Errorf("message = %q, want Service Unavailable", got)
	}
	e.do("GET", "/key", "", "").wantError(t, 502, "Bad Gateway") // faults come before authentication
	if n := len(decodeList(t, e.mgmt("GET", "/keys", ""))); n != 0 {
		t.Errorf("a faulted create made %d keys", n)
	}
}

func TestFaultRawBody(t *testing.T) {
	e := newEnv(t)
	e.tr.allowStatus(502)
	e.tr.allowRawBodies()
	e.srv.Inject(fake.Fault{Status: 502, Body: "<html>bad gateway</html>"},
		fake.Fault{Status: 500, Body: "oops", Header: http.Header{"Content-Type": {"text/html"}}})
	r := e.mgmt("GET", "/keys", "")
	if r.Status != 502 || string(r.Body) != "<html>bad gateway</html>" || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain") {
		t.Errorf("got %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	r = e.mgmt("GET", "/keys", "")
	if r.Status != 500 || string(r.Body) != "oops" || r.Header.Get("Content-Type") != "text/html" {
		t.Errorf("got %d %q %q", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
}

func TestFaultsAreConsumedInOrderByMatch(t *testing.T) {
	e := newEnv(t)
	e.tr.allowStatus(502, 503, 504)
	e.srv.Inject(
		fake.Fault{Method: "GET", Path: "/keys", Status: 500},
		fake.Fault{Method: "GET", Path: "/keys", Status: 502},
		fake.Fault{Method: "POST", Path: "/keys", Status: 503},
	)
	e.srv.Inject(fake.Fault{Path: "/key", Status: 504}) // queued after the others
	steps := []struct {
		method, path, body string
		want               int
	}{
		{"GET", "/keys", "", 500},
		{"POST", "/keys", `{"name":"a"}`, 503},
		{"GET", "/key", "", 504},
		{"GET", "/keys", "", 502},
		{"GET", "/keys", "", 200},
		{"POST", "/keys", `{"name":"a"}`, 201},
		{"GET", "/key", "", 200},
	}
	for i, s := range steps {
		if r := e.mgmt(s.method, s.path, s.body); r.Status != s.want {
			t.Errorf("step %d %s %s: %d, want %d", i, s.method, s.path, r.Status, s.want)
		}
	}
}

func TestFaultMatching(t *testing.T) {
	e := newEnv(t)
	hash := e.create(`{"name":"m"}`).Data.Hash
	e.srv.Inject(fake.Fault{Method: "DELETE", Path: "/keys/{hash}", Status: 500})

	// Neither a GET of the same path, nor a DELETE of another path, nor a
	// path with an extra segment takes it.
	for _, s := range []struct{ method, path string }{
		{"GET", "/keys/" + hash},
		{"DELETE", "/keys"},
		{"DELETE", "/keys/" + hash + "/x"},
		{"DELETE", "/key"},
	} {
		if r := e.mgmt(s.method, s.path, ""); r.Status == 500 {
			t.Errorf("%s %s took the DELETE /keys/{hash} fault", s.method, s.path)
		}
	}
	if e.srv.PendingFaults() != 1 {
		t.Fatalf("the fault was used by a request it does not match")
	}
	if r := e.mgmt("delete", "/keys/"+hash, ""); r.Status != 500 {
		t.Errorf("DELETE /keys/HASH: %d, want the fault's 500", r.Status)
	}
	if r := e.mgmt("GET", "/keys/"+hash, ""); r.Status != 200 {
		t.Errorf("the faulted DELETE deleted the key: GET %d", r.Status)
	}

	// The full path works as a pattern too; "" matches any path and method.
	e.srv.Inject(fake.Fault{Path: "/api/v1/key", Status: 500}, fake.Fault{Status: 500})
	if r := e.mgmt("GET", "/keys", ""); r.Status != 500 {
		t.Errorf("catch-all fault not used: %d", r.Status)
	}
	if r := e.mgmt("GET", "/key", ""); r.Status != 500 {
		t.Errorf("/api/v1/key fault not used: %d", r.Status)
	}
}

func TestFaultDelayThenRealAnswer(t *testing.T) {
	e := newEnv(t)
	const delay = 30 * time.Millisecond
	e.srv.Inject(fake.Fault{Path: "/keys", Delay: delay})
	start := time.Now()
	r := e.mgmt("POST", "/keys", `{"name":"late"}`)
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("answered after %v, before the %v delay", elapsed, delay)
	}
	if r.Status != http.StatusCreated {
		t.Fatalf("delayed create: %d, want the real 201", r.Status)
	}

	e.tr.allowStatus(503)
	e.srv.Inject(fake.Fault{Path: "/keys", Delay: delay, Status: 503})
	start = time.Now()
	r = e.mgmt("GET", "/keys", "")
	if elapsed := time.Since(start); elapsed < delay || r.Status != 503 {
		t.Errorf("delayed 503: %d after %v", r.Status, elapsed)
	}
}

func TestFaultDelayEndsWhenClientGivesUp(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(fake.Fault{Path: "/keys", Delay: time.Hour})
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := e.try(ctx, "POST", "/keys", e.srv.ManagementKey, `{"name":"never"}`)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	// The handler stopped waiting (its goroutine is gone) and made no key.
	if err := goleak.Find(before); err != nil {
		t.Fatalf("the delayed handler still runs after its client gave up: %v", err)
	}
	if n := len(decodeList(t, e.mgmt("GET", "/keys", ""))); n != 0 {
		t.Errorf("a create whose client gave up during the delay made %d keys", n)
	}
}

func TestFaultHangUntilClientGivesUp(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(fake.Fault{Method: "GET", Path: "/key", Hang: true})
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	_, err := e.try(ctx, "GET", "/key", e.srv.ManagementKey, "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	if got := e.srv.Requests(); len(got) != 1 || got[0].Path != "/api/v1/key" {
		t.Errorf("hung request not recorded: %+v", got)
	}
	if err := goleak.Find(before); err != nil {
		t.Fatalf("the hanging handler still runs after its client gave up: %v", err)
	}
	if r := e.mgmt("GET", "/key", ""); r.Status != http.StatusOK {
		t.Errorf("after the hang: %d, want 200", r.Status)
	}
}

func TestFaultHangEndsOnClose(t *testing.T) {
	srv := fake.NewServer()
	srv.Inject(fake.Fault{Hang: true})
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	errc := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("GET", srv.URL+"/key", nil)
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	waitFor(t, "the request to arrive", func() bool { return len(srv.Requests()) == 1 })
	srv.Close() // must return although a handler hangs
	if err := <-errc; err == nil {
		t.Error("the hanging request got an answer")
	}
}

func TestFaultDropAfterReadingRequest(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(fake.Fault{Method: "POST", Path: "/keys", Drop: true})
	name := strings.Repeat("n", 256<<10) // bigger than socket buffers
	body := `{"name":"` + name + `"}`
	_, err := e.try(context.Background(), "POST", "/keys", e.srv.ManagementKey, body)
	if err == nil {
		t.Fatal("a dropped request got an answer")
	}
	if !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF) && !strings.Contains(err.Error(), "connection reset") {
		t.Errorf("err = %v, want the connection closed without an answer", err)
	}
	got := e.srv.Requests()
	if len(got) != 1 || !bytes.Equal(got[0].Body, []byte(body)) {
		t.Fatalf("the server did not read the whole body before dropping (recorded %d requests)", len(got))
	}
	if n := len(decodeList(t, e.mgmt("GET", "/keys", ""))); n != 0 {
		t.Errorf("a dropped create made %d keys", n)
	}
}

// A GET dropped on a fresh connection fails; Go's transport retries GETs
// only on reused connections.
func TestFaultDropGetOnFreshConnection(t *testing.T) {
	e := newEnv(t)
	e.srv.Inject(fake.Fault{Method: "GET", Drop: true})
	client := &http.Client{Transport: &checkingTransport{t: t, base: &http.Transport{DisableKeepAlives: true}}}
	req, _ := http.NewRequest("GET", e.srv.URL+"/keys", nil)
	req.Header.Set("Authorization", "Bearer "+e.srv.ManagementKey)
	resp, err := client.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("dropped GET answered %d", resp.StatusCode)
	}
	if n := e.srv.PendingFaults(); n != 0 {
		t.Errorf("%d faults pending", n)
	}
}

func TestInjectRefusesImpossibleFaults(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	for name, f := range map[string]fake.Fault{
		"status too small": {Status: 99},
		"informational":    {Status: 101},
		"status too big":   {Status: 600},
		"negative delay":   {Delay: -time.Second},
		"hang and drop":    {Hang: true, Drop: true},
		"hang with status": {Hang: true, Status: 500},
		"drop with status": {Drop: true, Status: 500},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("Inject accepted it")
				}
			}()
			srv.Inject(f)
		})
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("%d faults queued", n)
	}
}

// Inject keeps its own copy of a fault's header.
func TestInjectCopiesHeader(t *testing.T) {
	e := newEnv(t)
	h := http.Header{"Retry-After": {"1"}}
	e.srv.Inject(fake.Fault{Status: 429, Header: h})
	h.Set("Retry-After", "99")
	if r := e.mgmt("GET", "/keys", ""); r.Header.Get("Retry-After") != "1" {
		t.Errorf("Retry-After = %q, want the value at Inject time", r.Header.Get("Retry-After"))
	}
}

// Inject reads the caller's faults and never writes to them: a slice
// shared by tests that inject it at the same time is no data race (-race),
// and keeps the headers the caller put in it.
func TestInjectLeavesTheCallersFaultsAlone(t *testing.T) {
	e := newEnv(t)
	h := http.Header{"Retry-After": {"1"}}
	faults := []fake.Fault{{Status: 429, Header: h}, {Status: 429, Header: h}}
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() { e.srv.Inject(faults...) })
	}
	wg.Wait()
	for i, f := range faults {
		if reflect.ValueOf(f.Header).UnsafePointer() != reflect.ValueOf(h).UnsafePointer() {
			t.Errorf("faults[%d].Header was replaced by Inject", i)
		}
	}
	if n := e.srv.PendingFaults(); n != 8 {
		t.Errorf("%d faults queued, want 8", n)
	}
}

// What Fault.Drop's doc warns of: on a reused keep-alive connection, Go's
// transport takes the closed connection for a stale one and silently sends
// a GET again, so the client sees the real answer. A POST is not resent.
func TestFaultDropGetOnReusedConnectionIsResent(t *testing.T) {
	e := newEnv(t)
	e.mgmt("GET", "/keys", "") // opens the connection the next call reuses
	e.srv.Inject(fake.Fault{Method: "GET", Drop: true})
	if r := e.mgmt("GET", "/keys", ""); r.Status != http.StatusOK {
		t.Fatalf("status %d, want the transport's silent resend to get 200", r.Status)
	}
	if got := e.srv.Requests(); len(got) != 3 {
		t.Errorf("%d requests arrived, want 3 (the dropped GET and its resend)", len(got))
	}

	e.srv.Inject(fake.Fault{Method: "POST", Drop: true})
	if _, err := e.try(context.Background(), "POST", "/keys", e.srv.ManagementKey, `{"name":"x"}`); err == nil {
		t.Error("a dropped POST on a reused connection got an answer")
	}
}

// WithLatency holds every request, answered or refused, for the latency
// first. (Only the lower bound is checked: a wait cannot end early, while a
// busy machine can make it late.)
func TestLatencyDelaysEveryRequest(t *testing.T) {
	const latency = 25 * time.Millisecond
	e := newEnv(t, fake.WithLatency(latency))
	for _, c := range []struct{ key, path string }{{e.srv.ManagementKey, "/keys"}, {"", "/keys"}, {e.srv.ManagementKey, "/key"}} {
		start := time.Now()
		_, err := e.try(context.Background(), "GET", c.path, c.key, "")
		if err != nil {
			t.Fatal(err)
		}
		if elapsed := time.Since(start); elapsed < latency {
			t.Errorf("GET %s answered after %v, before the %v latency", c.path, elapsed, latency)
		}
	}
}

// The latency's wait ends when the client gives up, leaving no handler
// behind.
func TestLatencyEndsWhenClientGivesUp(t *testing.T) {
	e := newEnv(t, fake.WithLatency(time.Hour))
	before := goleak.IgnoreCurrent()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := e.try(ctx, "POST", "/keys", e.srv.ManagementKey, `{"name":"never"}`); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the client's deadline", err)
	}
	if err := goleak.Find(before); err != nil {
		t.Fatalf("the waiting handler still runs after its client gave up: %v", err)
	}
}

func TestLatencyRejectsNegative(t *testing.T) {
	if _, err := fake.Listen("127.0.0.1:0", fake.WithLatency(-time.Second)); err == nil {
		t.Fatal("a negative latency was accepted")
	}
}
