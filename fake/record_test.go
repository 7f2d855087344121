package fake_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

func TestRequestsRecordsWhatArrived(t *testing.T) {
	e := newEnv(t)
	created := e.create(`{"name":"rec"}`)
	e.mgmt("GET", "/keys?offset=0&include_disabled=true", "")
	e.do("GET", "/key", created.Key.Reveal(), "")
	e.do("GET", "/keys", "", "")                               // refused: still recorded
	e.mgmt("PATCH", "/keys/"+created.Data.Hash, `{"name":""}`) // invalid: still recorded

	got := e.srv.Requests()
	if len(got) != 5 {
		t.Fatalf("%d requests recorded, want 5", len(got))
	}
	want := []struct{ method, path, query, body string }{
		{"POST", "/api/v1/keys", "", `{"name":"rec"}`},
		{"GET", "/api/v1/keys", "include_disabled=true&offset=0", ""},
		{"GET", "/api/v1/key", "", ""},
		{"GET", "/api/v1/keys", "", ""},
		{"PATCH", "/api/v1/keys/" + created.Data.Hash, "", `{"name":""}`},
	}
	for i, w := range want {
		r := got[i]
		if r.Method != w.method || r.Path != w.path || r.Query.Encode() != w.query || string(r.Body) != w.body {
			t.Errorf("request %d = %s %s ?%s %q, want %s %s ?%s %q", i, r.Method, r.Path, r.Query.Encode(), r.Body, w.method, w.path, w.query, w.body)
		}
	}
	if ct := got[0].Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("recorded Content-Type = %q", ct)
	}

	// Bearer keys are masked, never whole.
	if a := got[0].Header.Get("Authorization"); a != "Bearer "+secret.Redact(e.srv.ManagementKey) {
		t.Errorf("management Authorization recorded as %q, want %q", a, "Bearer "+secret.Redact(e.srv.ManagementKey))
	}
	if a := got[2].Header.Get("Authorization"); a != "Bearer "+secret.Redact(created.Key.Reveal()) {
		t.Errorf("regular Authorization recorded as %q", a)
	}
	if a := got[3].Header.Get("Authorization"); a != "" {
		t.Errorf("absent Authorization recorded as %q", a)
	}
	for i, r := range got {
		for name, vs := range r.Header {
			for _, v := range vs {
				if strings.Contains(v, e.srv.ManagementKey[12:]) || strings.Contains(v, created.Key.Reveal()[12:]) {
					t.Errorf("request %d header %s holds a whole key", i, name)
				}
			}
		}
	}
}

func TestRequestsMasksOddCredentials(t *testing.T) {
	e := newEnv(t)
	for _, v := range []string{"Basic dXNlcjpzZWNyZXQ=", "sk-or-v1-" + strings.Repeat("f", 64)} {
		req, _ := http.NewRequest("GET", e.srv.URL+"/key", nil)
		req.Header.Set("Authorization", v)
		req.Header.Set("Proxy-Authorization", v)
		resp, err := e.http.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	for _, r := range e.srv.Requests() {
		for _, name := range []string{"Authorization", "Proxy-Authorization"} {
			if v := r.Header.Get(name); strings.Contains(v, "dXNlcjpzZWNyZXQ=") || strings.Contains(v, strings.Repeat("f", 20)) {
				t.Errorf("%s recorded as %q", name, v)
			}
		}
	}
}

func TestRequestsReturnsCopiesAndResets(t *testing.T) {
	e := newEnv(t)
	e.mgmt("POST", "/keys", `{"name":"a"}`)
	first := e.srv.Requests()
	first[0].Method = "X"
	first[0].Body[0] = 'X'
	first[0].Header.Set("Authorization", "changed")
	first[0].Query.Set("q", "1")
	again := e.srv.Requests()[0]
	if again.Method != "POST" || again.Body[0] != '{' || again.Header.Get("Authorization") == "changed" || again.Query.Has("q") {
		t.Errorf("changing a returned Request changed the record: %+v", again)
	}

	e.srv.ResetRequests()
	if n := len(e.srv.Requests()); n != 0 {
		t.Errorf("%d requests after ResetRequests, want 0", n)
	}
	e.mgmt("GET", "/keys/abc%2Fdef", "")
	if got := e.srv.Requests(); len(got) != 1 || got[0].Path != "/api/v1/keys/abc%2Fdef" {
		t.Errorf("after reset: %+v, want one request with the escaped path", got)
	}
}

// WithRequestLimit keeps the newest n requests, in order, and no more,
// however many times the log has wrapped, and after a reset.
func TestRequestLimitKeepsNewest(t *testing.T) {
	e := newEnv(t, fake.WithRequestLimit(3))
	check := func(from, to int) {
		t.Helper()
		var got []string
		for _, r := range e.srv.Requests() {
			got = append(got, r.Query.Get("offset"))
		}
		var want []string
		for i := from; i < to; i++ {
			want = append(want, fmt.Sprint(i))
		}
		if !slices.Equal(got, want) {
			t.Errorf("requests kept have offsets %q, want %q (the newest, oldest first)", got, want)
		}
	}
	for i := range 8 {
		e.mgmt("GET", fmt.Sprintf("/keys?offset=%d", i), "")
		check(max(0, i-2), i+1)
	}
	e.srv.ResetRequests()
	check(0, 0)
	for i := range 4 {
		e.mgmt("GET", fmt.Sprintf("/keys?offset=%d", i), "")
	}
	check(1, 4)
	if _, err := fake.Listen("127.0.0.1:0", fake.WithRequestLimit(-1)); err == nil {
		t.Error("a negative limit was accepted")
	}
}

// A request whose bearer key does not authenticate is recorded without its
// body, which the server does not even read; an authenticated one keeps it.
func TestUnauthenticatedBodyNotRecorded(t *testing.T) {
	e := newEnv(t)
	const body = `{"name":"kept out of the record"}`
	for _, auth := range []string{"", "Bearer sk-or-v1-" + strings.Repeat("0", 64), "Basic dXNlcjpzZWNyZXQ="} {
		req := httptest.NewRequest("POST", "/api/v1/keys", strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		e.srv.Handler().ServeHTTP(w, req)
		if w.Code != http.StatusUnauthorized {
			t.Errorf("%q: status %d, want 401", auth, w.Code)
		}
		if rest, _ := io.ReadAll(req.Body); string(rest) != body {
			t.Errorf("%q: the server read the body of an unauthenticated request", auth)
		}
	}
	e.mgmt("POST", "/keys", body)
	got := e.srv.Requests()
	if len(got) != 4 {
		t.Fatalf("%d requests recorded, want 4", len(got))
	}
	for i, r := range got[:3] {
		if len(r.Body) != 0 {
			t.Errorf("unauthenticated request %d recorded with body %q", i, r.Body)
		}
	}
	if string(got[3].Body) != body {
		t.Errorf("authenticated body recorded as %q", got[3].Body)
	}
}

// The record is bounded in bytes, not only in count: by default a stream of
// 1 MiB bodies keeps at most DefaultRequestBytesLimit of them, newest last.
func TestRequestRecordBoundedInBytes(t *testing.T) {
	total := func(rs []fake.Request) (n int) {
		for _, r := range rs {
			n += len(r.Body)
		}
		return n
	}
	big := strings.Repeat("x", 1<<20)
	for _, tc := range []struct {
		opts  []fake.Option
		limit int
		sends int
	}{
		{nil, fake.DefaultRequestBytesLimit, fake.DefaultRequestBytesLimit>>20 + 8},
		{[]fake.Option{fake.WithRequestLimit(1000), fake.WithRequestBytesLimit(3 << 20)}, 3 << 20, 10},
	} {
		e := newEnv(t, tc.opts...)
		for i := range tc.sends {
			req := httptest.NewRequest("POST", "/api/v1/keys", strings.NewReader(big[:len(big)-i]))
			req.Header.Set("Authorization", "Bearer "+e.srv.ManagementKey)
			e.srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
		}
		got := e.srv.Requests()
		if n := total(got); n > tc.limit || n < tc.limit/2 {
			t.Errorf("recorded %d body bytes in %d requests, want at most %d (and not far below)", n, len(got), tc.limit)
		}
		if last := got[len(got)-1]; len(last.Body) != len(big)-(tc.sends-1) {
			t.Errorf("the newest request was dropped")
		}
	}
	if _, err := fake.Listen("127.0.0.1:0", fake.WithRequestBytesLimit(0)); err == nil {
		t.Error("a zero byte limit was accepted")
	}
}
