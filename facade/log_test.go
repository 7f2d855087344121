package facade_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/oapi-codegen/nullable"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// logKey is the caller's API key in the logging test. The fake only knows
// its own management key, so a front server swaps this one for it.
const logKey = "sk-or-v1-SECRET0c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7e7c0ffee5ec7"

func TestLoggerRecordsAttemptsAndNoSecrets(t *testing.T) {
	srv := fake.NewServer()
	defer srv.Close()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+logKey {
			t.Errorf("front server got Authorization %q", r.Header.Get("Authorization"))
		}
		r.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
		srv.Handler().ServeHTTP(w, r)
	}))
	defer front.Close()

	var jsonOut, textOut bytes.Buffer
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	logger := slog.New(slog.NewMultiHandler(slog.NewJSONHandler(&jsonOut, opts), slog.NewTextHandler(&textOut, opts)))
	clock := &facade.TestClock{}
	c, err := facade.New(facade.WithAPIKey(logKey), facade.WithServerURL(front.URL+"/api/v1"),
		facade.WithLogger(logger), facade.WithTestClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()

	// The full lifecycle, with a retried create, a retried get, a plain
	// failure, and a call that gives up.
	srv.Inject(on("POST", "/keys", status(429)))
	created, err := c.APIKeys.Create(ctx, facade.CreateKeysRequest{RequestBody: facade.CreateKeysRequestBody{Name: "logged"}})
	if err != nil {
		t.Fatal(err)
	}
	plain := created.Key.Reveal()
	hash := created.Data.Hash
	if _, err := c.APIKeys.List(ctx, facade.ListRequest{}); err != nil {
		t.Fatal(err)
	}
	srv.Inject(on("GET", "/keys/{hash}", status(503)), on("GET", "/keys/{hash}", status(502)))
	if _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash}); err != nil {
		t.Fatal(err)
	}
	// A dropped connection. (Not on a GET: Go's transport silently re-sends
	// a GET whose reused keep-alive connection closed without an answer,
	// which the client sees as one attempt.)
	srv.Inject(on("PATCH", "/keys/{hash}", fake.Fault{Drop: true}))
	if _, err := c.APIKeys.Update(ctx, facade.UpdateKeysRequest{Hash: hash, RequestBody: facade.UpdateKeysRequestBody{Limit: nullable.NewNullableWithValue(5.0)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: "0000"}); err == nil {
		t.Fatal("get of an unknown hash succeeded")
	}
	srv.Inject(on("DELETE", "/keys/{hash}", status(503)), on("DELETE", "/keys/{hash}", status(429, "Retry-After", "3600")))
	_, err = c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash})
	var tm *facade.TooManyRequestsResponseError
	if !errors.As(err, &tm) || !strings.Contains(err.Error(), "giving up after 2 attempts") {
		t.Fatalf("delete: %v, want a give-up after 2 attempts on the 429", err)
	}
	if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash}); err != nil {
		t.Fatal(err)
	}

	// No secret, in any form longer than a few characters, anywhere.
	all := jsonOut.String() + textOut.String()
	for _, s := range []struct{ name, value string }{
		{"API key", logKey}, {"created key", plain}, {"fake's management key", srv.ManagementKey},
	} {
		body := strings.TrimPrefix(s.value, "sk-or-v1-")
		for i := 0; i+6 <= len(body); i++ {
			if strings.Contains(all, body[i:i+6]) {
				t.Fatalf("log output holds %q, part of the %s:\n%s", body[i:i+6], s.name, all)
			}
		}
	}
	for _, banned := range []string{"Bearer", "Authorization", hash, "logged", "sk-or-v1"} {
		if strings.Contains(all, banned) {
			t.Errorf("log output holds %q:\n%s", banned, all)
		}
	}

	// One Debug record per attempt the server saw, in order, and one Warn.
	type record struct {
		Level, Msg, Method, Path, Error string
		Status, Attempt, Attempts       int
		Duration                        *int64 `json:"duration"`
		Wait                            *int64 `json:"wait"`
		RetryAfter                      *int64 `json:"retry_after"`
	}
	var debug, warn []record
	sc := bufio.NewScanner(&jsonOut)
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("bad JSON log line %s: %v", sc.Bytes(), err)
		}
		switch r.Level {
		case "DEBUG":
			debug = append(debug, r)
		case "WARN":
			warn = append(warn, r)
		default:
			t.Errorf("unexpected record %s", sc.Bytes())
		}
	}
	reqs := srv.Requests()
	if len(debug) != len(reqs) {
		t.Fatalf("%d Debug records for %d attempts:\n%s", len(debug), len(reqs), jsonOut.String())
	}
	templates := map[string]bool{"/keys": true, "/keys/{hash}": true, "/key": true}
	waits := 0
	for i, r := range debug {
		if r.Msg != "orkeys attempt" || r.Method != reqs[i].Method || !templates[r.Path] || r.Attempt < 1 || r.Duration == nil {
			t.Errorf("record %d = %+v, for %s %s", i, r, reqs[i].Method, reqs[i].Path)
		}
		if r.Wait != nil {
			if got, want := time.Duration(*r.Wait), clock.Sleeps()[waits]; got != want {
				t.Errorf("record %d wait %v, want the %v slept", i, got, want)
			}
			waits++
			if next := debug[i+1]; next.Attempt != r.Attempt+1 {
				t.Errorf("record %d waits, but the next is attempt %d", i, next.Attempt)
			}
		}
	}
	if waits != len(clock.Sleeps()) {
		t.Errorf("%d records carry a wait, %d waits happened", waits, len(clock.Sleeps()))
	}
	// Spot checks: the retried get, the dropped connection, the 404.
	wantRecord := func(method, path string, attempt, status int, errWord string) {
		t.Helper()
		for _, r := range debug {
			if r.Method == method && r.Path == path && r.Attempt == attempt && r.Status == status && r.Error == errWord {
				return
			}
		}
		t.Errorf("no Debug record for %s %s attempt %d status %d error %q", method, path, attempt, status, errWord)
	}
	wantRecord("POST", "/keys", 1, 429, "")
	wantRecord("POST", "/keys", 2, 201, "")
	wantRecord("GET", "/keys/{hash}", 1, 503, "")
	wantRecord("GET", "/keys/{hash}", 2, 502, "")
	wantRecord("GET", "/keys/{hash}", 3, 200, "")
	wantRecord("GET", "/keys/{hash}", 1, 404, "")
	wantRecord("PATCH", "/keys/{hash}", 1, 0, "connection closed")
	wantRecord("PATCH", "/keys/{hash}", 2, 200, "")
	wantRecord("GET", "/key", 1, 200, "")
	wantRecord("DELETE", "/keys/{hash}", 2, 429, "")
	if len(warn) != 1 {
		t.Fatalf("%d Warn records, want 1 (the give-up):\n%s", len(warn), jsonOut.String())
	}
	if w := warn[0]; w.Msg != "orkeys giving up" || w.Method != "DELETE" || w.Path != "/keys/{hash}" || w.Attempts != 2 || w.Status != 429 ||
		w.RetryAfter == nil || time.Duration(*w.RetryAfter) != time.Hour {
		t.Errorf("Warn record = %+v", w)
	}
}

// Without a logger, or with Debug disabled, nothing is written and calls
// work as usual.
func TestLoggerLevels(t *testing.T) {
	h := newHarness(t)
	var out bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h.srv.Inject(on("GET", "/key", status(503)), on("GET", "/key", status(429, "Retry-After", "600")))
	err := currentKey(t.Context(), h, facade.WithLogger(logger))
	wantAPIError(429)(t, err)
	if n := strings.Count(out.String(), "\n"); n != 1 || !strings.Contains(out.String(), "level=WARN") {
		t.Errorf("at Warn level got %d lines, want only the give-up:\n%s", n, out.String())
	}
}

// WithAttemptHook sees every attempt with its outcome and the wait before
// the next, in order, and nothing secret.
func TestAttemptHook(t *testing.T) {
	clearEnv(t)
	var calls int
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		okFor(w, r)
	})
	var seen []facade.Attempt
	c := srv.client(t,
		facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{InitialInterval: time.Millisecond, MaxInterval: time.Millisecond}}),
		facade.WithAttemptHook(func(_ context.Context, a facade.Attempt) { seen = append(seen, a) }))
	if _, err := c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: testHash}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 2 {
		t.Fatalf("hook saw %d attempts, want 2: %+v", len(seen), seen)
	}
	first, second := seen[0], seen[1]
	if first.Number != 1 || first.Status != 503 || !first.Retrying() || first.Method != "GET" || first.Path != "/keys/{hash}" {
		t.Errorf("first attempt = %+v", first)
	}
	if second.Number != 2 || second.Status != 200 || second.Retrying() || second.Failure != "" {
		t.Errorf("second attempt = %+v", second)
	}
	if strings.Contains(fmt.Sprintf("%+v", seen), testHash) {
		t.Error("an attempt shows the key hash")
	}

	// A refused connection is named, not described by its error string.
	seen = nil
	dead := httptest.NewServer(http.NotFoundHandler())
	dead.Close()
	c2 := srv.client(t, facade.WithServerURL(dead.URL+"/api/v1"), facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}),
		facade.WithAttemptHook(func(_ context.Context, a facade.Attempt) { seen = append(seen, a) }))
	if _, err := c2.APIKeys.GetCurrentKeyMetadata(t.Context()); err == nil {
		t.Fatal("call to a closed port succeeded")
	}
	if len(seen) != 1 || seen[0].Status != 0 || seen[0].Failure != "connection refused" {
		t.Errorf("closed port: hook saw %+v", seen)
	}
	if _, err := facade.New(facade.WithAttemptHook(nil)); !errors.Is(err, facade.ErrInvalidInput) {
		t.Errorf("WithAttemptHook(nil): %v", err)
	}
}
