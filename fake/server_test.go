package fake_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

func TestNewServerURLAndKey(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	if !regexp.MustCompile(`^http://127\.0\.0\.1:[0-9]+/api/v1$`).MatchString(srv.URL) {
		t.Errorf("URL = %q, want http://127.0.0.1:PORT/api/v1", srv.URL)
	}
	if !mgmtKeyShape.MatchString(srv.ManagementKey) {
		t.Errorf("ManagementKey does not look like sk-or-mgmt- and 64 hex")
	}
	other := fake.NewServer()
	defer other.Close()
	if other.ManagementKey == srv.ManagementKey || other.URL == srv.URL {
		t.Errorf("two servers share a key or a URL")
	}
}

func TestListen(t *testing.T) {
	srv, err := fake.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	inner := &http.Transport{}
	defer inner.CloseIdleConnections()
	checked := &http.Client{Transport: &checkingTransport{t: t, base: inner}}
	resp, err := checked.Get(srv.URL + "/keys")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("GET /keys without a key: %d, want 401", resp.StatusCode)
	}

	// The address is taken now.
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "http://"), "/api/v1")
	if _, err := fake.Listen(addr); err == nil {
		t.Error("Listen on a busy address: no error")
	}
	if _, err := fake.Listen("not an address"); err == nil {
		t.Error("Listen on a malformed address: no error")
	}
}

func TestOptions(t *testing.T) {
	// Both forms of management key: the current one and the older one.
	const key = "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"
	for _, k := range []string{key, "sk-or-mgmt-00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"} {
		e := newEnv(t, fake.WithManagementKey(k))
		if e.srv.ManagementKey != k {
			t.Fatalf("ManagementKey = %q, want the given one", e.srv.ManagementKey)
		}
		if r := e.do("GET", "/keys", k, ""); r.Status != http.StatusOK {
			t.Errorf("fixed management key %.14s…: status %d", k, r.Status)
		}
	}

	for name, opt := range map[string]fake.Option{
		"short key":      fake.WithManagementKey("sk-or-v1-abc"),
		"upper-case key": fake.WithManagementKey(strings.ToUpper(key)),
		"no prefix":      fake.WithManagementKey(strings.Repeat("a", 73)),
		"other prefix":   fake.WithManagementKey("sk-or-v2-" + key[9:]),
		"short mgmt key": fake.WithManagementKey("sk-or-mgmt-" + key[10:]),
		"nil clock":      fake.WithClock(nil),
	} {
		t.Run(name, func(t *testing.T) {
			if srv, err := fake.Listen("127.0.0.1:0", opt); err == nil {
				srv.Close()
				t.Fatal("Listen accepted an invalid option")
			} else if strings.Contains(err.Error(), key[20:]) {
				t.Errorf("error repeats the key: %v", err)
			}
			func() {
				defer func() {
					if recover() == nil {
						t.Error("NewServer did not panic on an invalid option")
					}
				}()
				fake.NewServer(opt).Close()
			}()
		})
	}
}

func TestCloseTwice(t *testing.T) {
	srv := fake.NewServer()
	srv.Close()
	srv.Close()
	if _, err := http.Get(srv.URL + "/key"); err == nil {
		t.Error("a closed server still answers")
	}
}

func TestHandlerMountsElsewhere(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()

	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/keys", strings.NewReader(`{"name":"mounted"}`))
	req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
	req.Header.Set("Content-Type", "application/json")
	mounted := &checkingTransport{t: t, base: ts.Client().Transport}
	resp, err := (&http.Client{Transport: mounted}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create through the mounted handler: %d", resp.StatusCode)
	}
	if mounted.checked.Load() != 1 {
		t.Fatal("the mounted handler's answer was not checked against the spec")
	}
	// Same state, seen through the server's own port.
	inner := &http.Transport{}
	defer inner.CloseIdleConnections()
	e := &env{t: t, srv: srv, tr: &checkingTransport{t: t, base: inner}}
	e.http = &http.Client{Transport: e.tr}
	if got := names(decodeList(t, e.mgmt("GET", "/keys", ""))); len(got) != 1 || got[0] != "mounted" {
		t.Errorf("keys = %v, want [mounted]", got)
	}
	if srv.Connections() != 1 {
		t.Errorf("Connections = %d, want 1 (the mounted handler's are not counted)", srv.Connections())
	}
}

func TestNoSuchOperation(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/nope", "/keys/", "/keys/a/b", "", "/keys/.", "/keys/..", "//keys", "/keys/abc/", "/KEYS"} {
		e.mgmt("GET", path, "").wantError(t, http.StatusNotFound, "No operation")
	}
	resp, err := e.http.Get(strings.TrimSuffix(e.srv.URL, "/api/v1") + "/v2/keys")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("path outside /api/v1: %d, want 404", resp.StatusCode)
	}

	r := e.mgmt("PUT", "/keys", `{"name":"x"}`)
	r.wantError(t, http.StatusMethodNotAllowed)
	if got := r.Header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow = %q, want GET, POST", got)
	}
	r = e.mgmt("POST", "/keys/abc", `{}`)
	r.wantError(t, http.StatusMethodNotAllowed)
	if got := r.Header.Get("Allow"); got != "GET, PATCH, DELETE" {
		t.Errorf("Allow = %q, want GET, PATCH, DELETE", got)
	}
}

func TestBodyTooLarge(t *testing.T) {
	e := newEnv(t)
	e.tr.allowStatus(http.StatusRequestEntityTooLarge)
	big := `{"name":"` + strings.Repeat("n", 2<<20) + `"}`
	r := e.mgmt("POST", "/keys", big)
	r.wantError(t, http.StatusRequestEntityTooLarge, "too large")
	if n := len(decodeList(t, e.mgmt("GET", "/keys", ""))); n != 0 {
		t.Errorf("an oversized create made %d keys", n)
	}
}

func TestConnectionsCountsTCPConnections(t *testing.T) {
	e := newEnv(t)
	if n := e.srv.Connections(); n != 0 {
		t.Fatalf("fresh server: %d connections", n)
	}
	for range 5 {
		e.mgmt("GET", "/keys", "")
	}
	if n := e.srv.Connections(); n != 1 {
		t.Errorf("5 requests on one keep-alive client: %d connections, want 1", n)
	}

	noKeepAlive := &http.Client{Transport: &checkingTransport{t: t, base: &http.Transport{DisableKeepAlives: true}}}
	for range 3 {
		req, _ := http.NewRequest("GET", e.srv.URL+"/key", nil)
		req.Header.Set("Authorization", "Bearer "+e.srv.ManagementKey)
		resp, err := noKeepAlive.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
	if n := e.srv.Connections(); n != 4 {
		t.Errorf("after 3 more requests without keep-alive: %d connections, want 4", n)
	}
}
