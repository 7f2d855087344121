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
	cutAt    atomic.Int64 // attempts of the call --retries stopped, 0 if none
}

func (s *callStats) listCalls() int { return int(s.lists.Load()) }

// retryHandler is a slog.Handler that turns the facade's per-attempt Debug
// records into one readable line per retry. The records carry only method,
// path template, status, attempt and wait: no keys, headers or bodies.
//
// It also enforces --retries N: the library has no knob for a number of
// attempts, only for a time budget, so when a call is about to wait for
// attempt N+2 the handler calls stop, which cancels the command's context;
// the library then ends the call at once with its last attempt's error.
type retryHandler struct {
	mu    *sync.Mutex
	w     io.Writer
	stats *callStats
	limit int    // retries a call may make; -1 for no limit
	stop  func() // ends the call that reached limit
}

func newRetryLogger(w io.Writer, stats *callStats, limit int, stop func()) *slog.Logger {
	return slog.New(&retryHandler{mu: new(sync.Mutex), w: w, stats: stats, limit: limit, stop: stop})
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
	if wait > 0 && h.limit >= 0 && attempt > int64(h.limit) {
		h.stats.cutAt.Store(attempt)
		h.stop()
		return nil
	}
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
