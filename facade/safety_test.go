package facade_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/secret"
)

const plaintext = "sk-or-v1-d35c0ffee0123456789abcdef0123456789abcdef0123456789ab855d"

func TestSecretKeyRedactsEverywhere(t *testing.T) {
	k := secret.New(plaintext)
	const short = "sk-or-v1-d35…855d"
	if got := k.String(); got != short {
		t.Fatalf("String() = %q, want %q", got, short)
	}
	for _, verb := range []string{"%s", "%v", "%+v", "%#v", "%q", "%x", "%X", "%d", "%20s", "%-v", "%p"} {
		got := fmt.Sprintf(verb, k)
		if strings.Contains(got, plaintext) || strings.Contains(got, plaintext[12:30]) {
			t.Errorf("Sprintf(%q) = %q: holds the key", verb, got)
		}
		if verb != "%p" && !strings.Contains(got, "sk-or-v1-d35") {
			t.Errorf("Sprintf(%q) = %q: lost the recognisable prefix", verb, got)
		}
	}
	if got, want := fmt.Sprintf("%#v", k), `secret.Key("sk-or-v1-d35…855d")`; got != want {
		t.Errorf("%%#v = %s, want %s", got, want)
	}
	// Inside other values, and through Print-style functions.
	resp := facade.CreateKeysResponse{Key: k}
	for _, got := range []string{
		fmt.Sprint(k), fmt.Sprintln(k), fmt.Sprintf("%v", resp), fmt.Sprintf("%+v", resp),
		fmt.Sprintf("%#v", resp), fmt.Sprintf("%+v", &resp), fmt.Sprint([]facade.SecretKey{k}),
		fmt.Sprint(map[string]facade.SecretKey{"k": k}),
	} {
		if strings.Contains(got, plaintext) {
			t.Errorf("printed %q: holds the key", got)
		}
	}
	// JSON: people log responses as JSON.
	for _, v := range []any{resp, &resp, k, map[string]any{"r": resp}} {
		out, err := json.Marshal(v)
		if err != nil || strings.Contains(string(out), plaintext) || !strings.Contains(string(out), short) {
			t.Errorf("json.Marshal(%T) = %s, %v: want the redacted form only", v, out, err)
		}
	}
	// slog, with both built-in handlers and nested in a group.
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("created", "key", k, slog.Group("g", "key", k), "any", any(k))
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("created", "key", k, slog.Any("resp", resp.Key), slog.Any("whole", resp))
	if strings.Contains(logged.String(), plaintext) {
		t.Errorf("slog output holds the key:\n%s", logged.String())
	}
	if !strings.Contains(logged.String(), short) {
		t.Errorf("slog output lacks the redacted form:\n%s", logged.String())
	}
	// The full value comes out through Reveal only; decoding the API's
	// JSON reads it in full.
	if got := k.Reveal(); got != plaintext {
		t.Errorf("Reveal() = %q", got)
	}
	var back facade.CreateKeysResponse
	if err := json.Unmarshal([]byte(`{"key":"`+plaintext+`"}`), &back); err != nil || back.Key.Reveal() != plaintext {
		t.Errorf("decoding the API's JSON = %q, %v", back.Key.Reveal(), err)
	}
	// Unknown shapes are hidden whole.
	if got := secret.Redact("some-other-token-value"); got != "[redacted]" {
		t.Errorf("Redact(other) = %q", got)
	}
}

// wrapper embeds a Client by value, the way a user's struct might.
type wrapper struct {
	Name   string
	Client facade.Client
}

func TestClientPrintsNoKey(t *testing.T) {
	c, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL("http://127.0.0.1:9/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []string{
		fmt.Sprintf("%v", c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), fmt.Sprintf("%s", c),
		fmt.Sprintf("%+v", *c), fmt.Sprintf("%#v", *c), fmt.Sprintf("%+v", c.APIKeys),
		fmt.Sprintf("%+v", wrapper{"w", *c}), fmt.Sprintf("%#v", &wrapper{"w", *c}),
	} {
		if strings.Contains(got, plaintext) || strings.Contains(got, plaintext[9:30]) {
			t.Errorf("client printed as %q: holds the key", got)
		}
	}
	var logged bytes.Buffer
	slog.New(slog.NewTextHandler(&logged, nil)).Info("client", "c", c, "v", *c)
	if strings.Contains(logged.String(), plaintext[9:]) {
		t.Errorf("slog of a client holds the key: %s", logged.String())
	}
}

func TestPlainHTTPRefusedExceptLoopback(t *testing.T) {
	for _, u := range []string{
		"http://openrouter.ai/api/v1", "http://10.0.0.1/api/v1", "http://[2001:db8::1]:8080/api/v1",
		"http://127.0.0.1.example.com/api/v1", "http://localhost.example.com/api/v1",
	} {
		_, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL(u))
		if err == nil || !strings.Contains(err.Error(), "WithInsecureHTTP") {
			t.Errorf("New(%s) error = %v, want a refusal naming WithInsecureHTTP", u, err)
		}
		if err != nil && strings.Contains(err.Error(), plaintext[9:]) {
			t.Errorf("refusal holds the key: %v", err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080/api/v1", "http://localhost/api/v1", "http://[::1]:9/api/v1", "http://127.1.2.3/api/v1", "https://openrouter.ai/api/v1"} {
		if _, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL(u)); err != nil {
			t.Errorf("New(%s): %v", u, err)
		}
	}

	// Per call, the refusal comes before anything is sent.
	var sent []string
	record := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r.URL.String())
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"data":{"label":"sk-or-v1-abc...wxyz"}}`)), Header: http.Header{}, Request: r}, nil
	})}
	c, err := facade.New(facade.WithAPIKey(plaintext), facade.WithHTTPClient(record))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithServerURL("http://keys.internal/api/v1"))
	if err == nil || len(sent) != 0 {
		t.Fatalf("plain http call: err = %v, sent = %v; want a refusal and nothing sent", err, sent)
	}
	// WithInsecureHTTP opts in.
	if _, err := c.APIKeys.GetCurrentKeyMetadata(t.Context(), facade.WithServerURL("http://keys.internal/api/v1"), facade.WithInsecureHTTP()); err != nil {
		t.Fatalf("with WithInsecureHTTP: %v", err)
	}
	if len(sent) != 1 || sent[0] != "http://keys.internal/api/v1/key" {
		t.Errorf("sent = %v", sent)
	}
	if _, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL("http://keys.internal/api/v1"), facade.WithInsecureHTTP()); err != nil {
		t.Errorf("New with WithInsecureHTTP: %v", err)
	}
}

// A server that echoes the caller's key (a misconfigured proxy, a debug
// endpoint) must not put it into an error string.
func TestEchoedKeyNeverInError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		escaped := `\u0073` + key[1:]
		w.Header().Set("X-Echo", "you sent "+key)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"code":401,"message":"key %s / %s rejected","metadata":{"k":"%s"}}}`, key, escaped, escaped)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	var api *facade.APIError
	if !errors.As(err, &api) || api.StatusCode != 401 {
		t.Fatalf("err = %v, want a 401 *APIError", err)
	}
	for name, s := range map[string]string{
		"Error()": err.Error(), "%+v": fmt.Sprintf("%+v", err), "Message": api.Message,
		"Body": string(api.Body), "Metadata": fmt.Sprint(api.Metadata),
	} {
		if strings.Contains(s, plaintext) {
			t.Errorf("%s holds the key: %s", name, s)
		}
	}
	if !strings.Contains(api.Message, secret.Redact(plaintext)) {
		t.Errorf("Message = %q, want the key replaced by its redacted form", api.Message)
	}
	// The body, decoded, must not spell the key either.
	var decoded any
	if err := json.Unmarshal(api.Body, &decoded); err != nil {
		t.Fatalf("scrubbed body is no longer JSON: %v\n%s", err, api.Body)
	}
	if s := fmt.Sprint(decoded); strings.Contains(s, plaintext) {
		t.Errorf("decoded body holds the key: %s", s)
	}
}

// A server that puts a key in a response header's name, or echoes a
// management key (sk-or-mgmt-), gets it cut out all the same.
func TestEchoedKeyInHeaderNameAndManagementKey(t *testing.T) {
	const mgmt = "sk-or-mgmt-0123456789abcdef0123456789abcdef0123456789abcdef01234567"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		w.Header()["X-"+key] = []string{"1"}
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprintf(w, `{"error":{"code":403,"message":"%s may not","metadata":{"%s":true}}}`, `\u0073`+key[1:], key)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(mgmt), facade.WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.List(t.Context(), facade.ListRequest{})
	var api *facade.APIError
	if !errors.As(err, &api) || api.StatusCode != 403 {
		t.Fatalf("err = %v, want a 403 *APIError", err)
	}
	var decoded any
	_ = json.Unmarshal(api.Body, &decoded)
	if s := fmt.Sprintf("%v|%+v|%s|%v|%v", err, *api, api.Body, decoded, api.Header); strings.Contains(s, mgmt) || strings.Contains(s, mgmt[12:40]) {
		t.Errorf("the management key shows: %s", s)
	}
	if !strings.Contains(api.Message, "sk-or-mgmt-012…4567") {
		t.Errorf("Message = %q, want the redacted management key", api.Message)
	}
}

// The key spelled with JSON escapes in error.code (a string) or as a
// metadata name is decoded into CodeText or a Metadata key; both are cut
// out too.
func TestEchoedKeyNeverInCodeOrMetadataNames(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		escaped := `\u0073` + key[1:]
		w.Header().Set("X-Echo", "you sent "+key)
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"code":"bad key %s","message":"rejected","metadata":{"%s":{"%s":1}}}}`, escaped, escaped, escaped)
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	var api *facade.APIError
	if !errors.As(err, &api) || api.StatusCode != 401 {
		t.Fatalf("err = %v, want a 401 *APIError", err)
	}
	short := secret.Redact(plaintext)
	if strings.Contains(api.CodeText, plaintext) || !strings.Contains(api.CodeText, short) {
		t.Errorf("CodeText = %q, want the key replaced by %s", api.CodeText, short)
	}
	if s := fmt.Sprint(api.Metadata); strings.Contains(s, plaintext) || !strings.Contains(s, short) {
		t.Errorf("Metadata = %s, want the key replaced by %s", s, short)
	}
	if h := api.Header.Get("X-Echo"); h != "you sent "+short {
		t.Errorf("echoing header = %q, want the key replaced by %s", h, short)
	}
	if s := fmt.Sprintf("%+v", *api); strings.Contains(s, plaintext) {
		t.Errorf("the error's fields hold the key: %s", s)
	}
}

// A server (or a proxy in front of it) that answers with an enormous error
// body must not make the client buffer it: the kept body is capped at 1 MiB
// and the rest is not read.
func TestHugeErrorBodyKeepsMemoryBounded(t *testing.T) {
	const size = 100 << 20
	var written atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(http.StatusBadRequest)
		chunk := bytes.Repeat([]byte("x"), 32<<10)
		for n := 0; n < size; n += len(chunk) {
			m, err := w.Write(chunk)
			written.Add(int64(m))
			if err != nil {
				return // the client hung up, as it should
			}
		}
	}))
	defer srv.Close()
	c, err := facade.New(facade.WithAPIKey(plaintext), facade.WithServerURL(srv.URL+"/api/v1"))
	if err != nil {
		t.Fatal(err)
	}

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = c.APIKeys.GetCurrentKeyMetadata(t.Context())
	runtime.ReadMemStats(&after)

	var api *facade.APIError
	if !errors.As(err, &api) || api.StatusCode != http.StatusBadRequest {
		t.Fatalf("err = %v, want a 400 *APIError", err)
	}
	if len(api.Body) != facade.MaxErrorBody {
		t.Errorf("APIError.Body is %d bytes, want the 1 MiB cap (%d)", len(api.Body), facade.MaxErrorBody)
	}
	if len(api.Message) > 256 {
		t.Errorf("Message is %d bytes, want a short excerpt", len(api.Message))
	}
	// Everything allocated during the call, garbage included: far below
	// the body's 100 MiB. (Allocations of the test server count too.)
	allocated := after.TotalAlloc - before.TotalAlloc
	heapGrowth := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("100 MiB error body: %.1f MiB allocated during the call, heap grew %.1f MiB, server wrote %.1f MiB before the client hung up",
		float64(allocated)/(1<<20), float64(heapGrowth)/(1<<20), float64(written.Load())/(1<<20))
	if raceEnabled {
		return // memory figures are checked without the race detector
	}
	if allocated > 16<<20 {
		t.Errorf("the call allocated %d MiB; the body must not be buffered", allocated>>20)
	}
	if heapGrowth > 16<<20 {
		t.Errorf("heap grew by %d MiB; the body must not be buffered", heapGrowth>>20)
	}
}
