package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// callStats counts what the facade's log records report.
type callStats struct {
	attempts atomic.Int64 // every attempt sent
	retries  atomic.Int64 // attempts that were followed by a wait and another try
	lists    atomic.Int64 // GET /keys answered with 2XX: pages read
}

func (s *callStats) listCalls() int { return int(s.lists.Load()) }

// retryHandler is a slog.Handler that turns the facade's per-attempt Debug
// records into one readable line per retry. The records carry only method,
// path template, status, attempt and wait: no keys, headers or bodies.
type retryHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	stats *callStats
}

func newRetryLogger(w io.Writer, stats *callStats) *slog.Logger {
	return slog.New(&retryHandler{mu: new(sync.Mutex), w: w, stats: stats})
}

func (h *retryHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h *retryHandler) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *retryHandler) WithGroup(string) slog.Handler            { return h }

func (h *retryHandler) Handle(_ context.Context, r slog.Record) error {
	var (
		method, path    string
		status, attempt int64
		wait            time.Duration
	)
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "method":
			method = a.Value.String()
		case "path":
			path = a.Value.String()
		case "status":
			status = a.Value.Int64()
		case "attempt":
			attempt = a.Value.Int64()
		case "wait":
			wait = a.Value.Duration()
		}
		return true
	})
	h.mu.Lock()
	defer h.mu.Unlock()
	// The Warn record of a call that gives up is left out: the error the
	// call returns says the same, with the attempt count.
	if r.Level >= slog.LevelWarn {
		return nil
	}
	h.stats.attempts.Add(1)
	if wait > 0 {
		h.stats.retries.Add(1)
		_, err := fmt.Fprintf(h.w, "retrying %s %s after %s (attempt %d), waiting %s\n",
			method, path, cause(status), attempt, wait.Round(10*time.Millisecond))
		return err
	}
	if method == http.MethodGet && path == "/keys" && status >= 200 && status < 300 {
		h.stats.lists.Add(1)
	}
	return nil
}

func cause(status int64) string {
	if status == 0 {
		return "a connection failure"
	}
	return fmt.Sprintf("%d %s", status, http.StatusText(int(status)))
}
