package fake

import (
	"context"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake/internal/fakeapi"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

func TestPathMatches(t *testing.T) {
	for _, tt := range []struct {
		pattern, path string
		want          bool
	}{
		{"/keys", "/keys", true},
		{"/keys", "/key", false},
		{"/keys", "/keys/", false},
		{"/keys/{hash}", "/keys/abc", true},
		{"/keys/{hash}", "/keys/a%2Fb", true},
		{"/keys/{hash}", "/keys/", false},
		{"/keys/{hash}", "/keys", false},
		{"/keys/{hash}", "/keys/a/b", false},
		{"/keys/{x}", "/keys/abc", true},
		{"/key", "/key", true},
	} {
		if got := pathMatches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("pathMatches(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
}

func TestBearerToken(t *testing.T) {
	for header, want := range map[string]string{
		"Bearer abc":    "abc",
		"bearer abc":    "abc",
		"BEARER  abc  ": "abc",
		"Bearer":        "",
		"Bearer   ":     "",
		"Basic abc":     "",
		"abc":           "",
		"":              "",
	} {
		got, ok := bearerToken(header)
		if got != want || ok != (want != "") {
			t.Errorf("bearerToken(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
}

func TestKeyMaterial(t *testing.T) {
	for _, prefix := range []string{secret.PrefixV1, secret.PrefixMgmt} {
		k := newPlaintextKey(prefix)
		if !isKeyShaped(k) || !strings.HasPrefix(k, prefix) || len(k) != len(prefix)+64 {
			t.Fatalf("newPlaintextKey(%q) = %q is not key-shaped", prefix, k)
		}
		if got, want := labelFor(k), prefix+k[len(prefix):len(prefix)+3]+"..."+k[len(k)-4:]; got != want {
			t.Errorf("labelFor = %q, want %q", got, want)
		}
		n := len(prefix)
		for _, s := range []string{"", prefix, k[:len(k)-1], k + "0", strings.ToUpper(k), "sk-or-v2-" + k[n:],
			"sk-or-" + k[n:], k[:n+5] + "g" + k[n+6:], k[:n+5] + "-" + k[n+6:]} {
			if isKeyShaped(s) {
				t.Errorf("isKeyShaped(%q) = true", s)
			}
		}
	}
	if hashKey("a") != "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb" {
		t.Errorf("hashKey is not hex SHA-256")
	}
}

// The handlers oapi-codegen calls for errors it finds itself answer with
// the documented envelope, never Go's plain-text errors.
func TestGeneratedErrorHandlersUseTheEnvelope(t *testing.T) {
	for _, tt := range []struct {
		name    string
		handler func(http.ResponseWriter, *http.Request)
		status  int
		message string
	}{
		{"request error", func(w http.ResponseWriter, r *http.Request) {
			badRequestHandler(w, r, errors.New("can't decode JSON body:\n bad"))
		}, 400, "can't decode JSON body: bad"},
		{"response error", func(w http.ResponseWriter, r *http.Request) {
			internalErrorHandler(w, r, errors.New("secret internals"))
		}, 500, msgInternal},
		{"no route in the generated mux", func(w http.ResponseWriter, r *http.Request) {
			(&Server{}).generatedHandler().ServeHTTP(w, r)
		}, 404, "No operation at /api/v1/nope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			tt.handler(rec, httptest.NewRequest("GET", "/api/v1/nope", nil))
			var env gen.ErrorResponse
			if err := json.Unmarshal(rec.Body.Bytes(), &env); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			if rec.Code != tt.status || env.Error.Code != tt.status || env.Error.Message != tt.message || rec.Header().Get("Content-Type") != "application/json" {
				t.Errorf("got %d %q %+v, want %d %q", rec.Code, rec.Header().Get("Content-Type"), env, tt.status, tt.message)
			}
		})
	}
}

// A parameter kin-openapi lets through but gen cannot bind (a repeated
// scalar) gets the envelope from badRequestHandler.
func TestGeneratedBindingErrorIsEnvelope(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/api/v1/keys?offset=1&offset=2", nil)
	req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"code":400`) || !strings.Contains(rec.Body.String(), "offset") {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
}

func TestOperationsGuardTheirOwnInputs(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	ops := operations{s}
	ctx := context.Background()

	neg := -1
	list, _ := ops.ListKeys(ctx, fakeapi.ListKeysRequestObject{Params: gen.ListKeysParams{Offset: &neg}})
	if _, ok := list.(fakeapi.ListKeys400JSONResponse); !ok {
		t.Errorf("ListKeys with offset -1 = %T, want a 400", list)
	}

	// A regular caller whose key vanished after authentication.
	cur, _ := ops.GetCurrentKey(withCaller(ctx, caller{hash: "gone"}), fakeapi.GetCurrentKeyRequestObject{})
	if _, ok := cur.(fakeapi.GetCurrentKey401JSONResponse); !ok {
		t.Errorf("GetCurrentKey for a vanished key = %T, want a 401", cur)
	}
	// No caller at all is no management key.
	cur, _ = ops.GetCurrentKey(ctx, fakeapi.GetCurrentKeyRequestObject{})
	if _, ok := cur.(fakeapi.GetCurrentKey401JSONResponse); !ok {
		t.Errorf("GetCurrentKey without a caller = %T, want a 401", cur)
	}
}

func TestDescribeFallsBack(t *testing.T) {
	if got := describe(errors.New("plain\nerror")); got != "plain error" {
		t.Errorf("describe(plain) = %q", got)
	}
}

func TestMaskCredential(t *testing.T) {
	k := newPlaintextKey(secret.PrefixV1)
	m := newPlaintextKey(secret.PrefixMgmt)
	for in, want := range map[string]string{
		"Bearer " + m: "Bearer " + m[:14] + "…" + m[len(m)-4:],
		"Bearer " + k: "Bearer " + k[:12] + "…" + k[len(k)-4:],
		"Basic abc":   "Basic [redacted]",
		k:             k[:12] + "…" + k[len(k)-4:],
		"Bearer":      "[redacted]",
	} {
		if got := maskCredential(in); got != want {
			t.Errorf("maskCredential(%q) = %q, want %q", in[:min(len(in), 15)], got, want)
		}
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, errors.New("connection lost") }

// A body that cannot be read is refused with the envelope, and still recorded.
func TestUnreadableBody(t *testing.T) {
	s, err := newServer(nil)
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/api/v1/keys", failingReader{})
	req.Header.Set("Authorization", "Bearer "+s.ManagementKey)
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), msgUnreadableBody) {
		t.Errorf("got %d %s", rec.Code, rec.Body)
	}
	if n := len(s.Requests()); n != 1 {
		t.Errorf("%d requests recorded, want 1", n)
	}
}

// A server listening on every interface is reached from this machine on
// loopback: a URL naming the wildcard ([::] or 0.0.0.0) is no address a
// client can dial everywhere, and clients that send keys over plain http
// only to loopback (the facade among them) refuse it.
func TestBaseURL(t *testing.T) {
	for _, tt := range []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080/api/v1"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080/api/v1"},
		{&net.TCPAddr{IP: net.IPv4(192, 0, 2, 7), Port: 80}, "http://192.0.2.7:80/api/v1"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://127.0.0.1:8080/api/v1"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 9}, "http://127.0.0.1:9/api/v1"},
		{&net.TCPAddr{Port: 9}, "http://127.0.0.1:9/api/v1"},
	} {
		if got := baseURL(tt.addr); got != tt.want {
			t.Errorf("baseURL(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}
