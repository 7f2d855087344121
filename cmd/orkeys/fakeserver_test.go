package main

import (
	"bufio"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// fake-server prints its base URL and management key on stdout, serves
// requests with them, and stops cleanly when its context ends (as on
// SIGINT/SIGTERM in main).
func TestFakeServerCommand(t *testing.T) {
	pr, pw := io.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"fake-server", "--addr", "127.0.0.1:0"}, strings.NewReader(""), pw, &stderr, env{}.get)
		pw.Close()
	}()

	lines := bufio.NewScanner(pr)
	read := func() string {
		if !lines.Scan() {
			t.Fatalf("fake-server output ended: %v; stderr %q", lines.Err(), stderr.String())
		}
		return lines.Text()
	}
	url := regexp.MustCompile(`^export OPENROUTER_BASE_URL=(http://127\.0\.0\.1:\d+/api/v1)$`).FindStringSubmatch(read())
	key := regexp.MustCompile(`^export OPENROUTER_API_KEY=(sk-or-mgmt-[0-9a-f]{64})$`).FindStringSubmatch(read())
	if url == nil || key == nil {
		t.Fatalf("unexpected output: url %v key %v", url, key)
	}

	c, err := facade.New(facade.WithServerURL(url[1]), facade.WithAPIKey(key[1]))
	if err != nil {
		t.Fatal(err)
	}
	cur, err := c.APIKeys.GetCurrentKeyMetadata(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !cur.Data.IsManagementKey {
		t.Error("the printed key is not a management key")
	}

	cancel()
	go func() { _, _ = io.Copy(io.Discard, pr) }()
	select {
	case code := <-done:
		if code != exitOK {
			t.Errorf("exit %d; stderr %q", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("fake-server did not stop after cancel")
	}
	if _, err := c.APIKeys.GetCurrentKeyMetadata(context.Background(), facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone})); err == nil {
		t.Error("server still answers after stopping")
	}
}

// A port that is taken is a network error (exit 1), not a hang.
func TestFakeServerAddrInUse(t *testing.T) {
	srv, _ := newFake(t)
	addr := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "http://"), "/api/v1")
	r := runCLI(t, env{}, "", "fake-server", "--addr", addr)
	wantCode(t, r, exitError)
	if !strings.Contains(r.stderr, "fake-server:") || r.stdout != "" {
		t.Errorf("%s", r)
	}
}

// syncBuffer is a strings.Builder safe to write from one goroutine while
// another reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// A malformed --addr is a usage error (exit 2) that names the flag; only a
// failure to listen on a well-formed address is exit 1.
func TestFakeServerBadAddr(t *testing.T) {
	for _, addr := range []string{"foo", "127.0.0.1", "127.0.0.1:abc", "127.0.0.1:99999", "127.0.0.1:-1", ""} {
		r := runCLI(t, env{}, "", "fake-server", "--addr", addr)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "--addr") || r.stdout != "" {
			t.Errorf("--addr %q: %s", addr, r)
		}
	}
}
