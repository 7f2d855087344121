package fake_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// headerFlood is a request head with about 1 MiB of tiny header fields, each
// under its own name (the costliest form to keep: a map entry per field).
func headerFlood(path, key string) []byte {
	var b strings.Builder
	b.WriteString("GET " + path + " HTTP/1.1\r\nHost: fake\r\n")
	if key != "" {
		b.WriteString("Authorization: Bearer " + key + "\r\n")
	}
	for i := 0; b.Len() < 1<<20-64; i++ {
		b.WriteString("x" + strconv.FormatInt(int64(i), 36) + ": v\r\n") // never "h"+"ost"
	}
	b.WriteString("\r\n")
	return []byte(b.String())
}

// send writes raw to addr on a connection of its own and returns the
// answer's status.
func send(t *testing.T, addr string, raw []byte) int {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Write(raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusBadRequest {
		b, _ := io.ReadAll(resp.Body)
		t.Logf("400: %s", b)
	}
	return resp.StatusCode
}

// floodRequests is how many requests a flood sends: 120, or 12 under the
// race detector, where only the behaviour is checked and parsing a MiB of
// header is many times slower.
func floodRequests() int {
	if raceEnabled {
		return 12
	}
	return 120
}

func heapAfterGC() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// 120 requests without a key, each with about 1 MiB of tiny header fields,
// are refused and kept only within the record's small separate bound for
// such requests: the heap stays under 64 MiB (it reached 719–732 MiB when
// every one was kept and only header bytes were counted), and the record
// of authenticated requests is untouched by them.
func TestUnauthenticatedHeaderFloodKeepsHeapBounded(t *testing.T) {
	srv, err := fake.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	authed, err := http.NewRequest(http.MethodGet, srv.URL+"/keys", nil)
	if err != nil {
		t.Fatal(err)
	}
	authed.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
	resp, err := http.DefaultClient.Do(authed)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	flood := headerFlood(u.Path+"/keys", "")
	var peak uint64
	for i := range floodRequests() {
		if code := send(t, u.Host, flood); code != http.StatusUnauthorized {
			t.Fatalf("request %d: status %d, want 401", i, code)
		}
		if i%10 == 9 {
			peak = max(peak, heapAfterGC())
		}
	}
	got := srv.Requests()
	t.Logf("heap after GC, at most %d MiB over 120 requests; %d kept", peak>>20, len(got))
	if !raceEnabled && peak > 64<<20 {
		t.Errorf("heap reached %d MiB, want under 64", peak>>20)
	}
	if len(got) < 2 || got[0].Header.Get("Authorization") == "" {
		t.Fatalf("%d requests kept; want the authenticated one first and the newest flood", len(got))
	}
	if last := got[len(got)-1]; len(last.Header) < 1000 {
		t.Errorf("the newest request kept %d header fields, want it whole", len(last.Header))
	}
	if n := len(got) - 1; n > 2 {
		t.Errorf("%d of the unauthenticated requests kept, want only what fits in the small bound (1 here)", n)
	}
}

// The bound on the record of authenticated requests counts what they hold
// in memory, not only their header bytes: 120 of them with about 1 MiB of
// tiny header fields keep the heap under 64 MiB too, with the default
// DefaultRequestBytesLimit of 32 MiB.
func TestAuthenticatedHeaderFloodKeepsHeapBounded(t *testing.T) {
	srv, err := fake.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	flood := headerFlood(u.Path+"/keys", srv.ManagementKey)
	var peak uint64
	for i := range floodRequests() {
		if code := send(t, u.Host, flood); code != http.StatusOK {
			t.Fatalf("request %d: status %d, want 200", i, code)
		}
		if i%10 == 9 {
			peak = max(peak, heapAfterGC())
		}
	}
	got := srv.Requests()
	t.Logf("heap after GC, at most %d MiB over 120 requests; %d kept", peak>>20, len(got))
	if !raceEnabled && peak > 64<<20 {
		t.Errorf("heap reached %d MiB, want under 64", peak>>20)
	}
	if len(got) == 0 || len(got) == floodRequests() {
		t.Errorf("%d of %d requests kept, want the newest few", len(got), floodRequests())
	}
}

// Requests without a valid key have their own budget: they never push the
// authenticated ones out, Requests still lists both in arrival order, and
// WithRequestLimit counts them together.
func TestRequestRecordKeepsAnonymousApart(t *testing.T) {
	e := newEnv(t, fake.WithRequestLimit(4))
	do := func(key, path string) {
		req := httptest.NewRequest("GET", "/api/v1"+path, nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		req.Header.Set("X-Pad", strings.Repeat("p", 300<<10))
		e.srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}
	do(e.srv.ManagementKey, "/keys?offset=0")
	for i := range 8 { // 2.4 MiB of header: over the anonymous budget
		do("", fmt.Sprintf("/keys?offset=%d", 100*(i+1)))
	}
	got := e.srv.Requests()
	if len(got) == 0 || got[0].Query.Get("offset") != "0" {
		t.Fatalf("the authenticated request was pushed out by anonymous ones: %d kept", len(got))
	}
	if len(got) > 4 || got[len(got)-1].Query.Get("offset") != "800" {
		t.Errorf("%d kept, the newest at offset %s; want at most 4, the newest last", len(got), got[len(got)-1].Query.Get("offset"))
	}
	do(e.srv.ManagementKey, "/keys?offset=900")
	do("", "/keys?offset=1000")
	do(e.srv.ManagementKey, "/keys?offset=1100")
	do(e.srv.ManagementKey, "/keys?offset=1200")
	var offsets []string
	for _, r := range e.srv.Requests() {
		offsets = append(offsets, r.Query.Get("offset"))
	}
	if want := []string{"900", "1000", "1100", "1200"}; !slices.Equal(offsets, want) {
		t.Errorf("kept offsets %v, want %v (the newest 4, in order)", offsets, want)
	}
}
