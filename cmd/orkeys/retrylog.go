package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// callStats counts the attempts the facade reports through its hook.
type callStats struct {
	attempts atomic.Int64 // every attempt sent
	retries  atomic.Int64 // attempts that were followed by a wait and another try
}

// retryReporter is the facade attempt hook that counts attempts and turns
// each retry into one readable line on w. Attempts carry only method, path
// template, status, numbers and a failure kind: no keys, headers or bodies.
func retryReporter(w io.Writer, stats *callStats) facade.AttemptHook {
	var mu sync.Mutex // calls may run in parallel (read-ahead paging)
	return func(_ context.Context, a facade.Attempt) {
		stats.attempts.Add(1)
		if a.Retrying() {
			stats.retries.Add(1)
			mu.Lock()
			defer mu.Unlock()
			fmt.Fprintf(w, "retrying %s %s after %s (attempt %d), waiting %s\n",
				a.Method, a.Path, cause(a), a.Number, a.Wait.Round(10*time.Millisecond))
		}
	}
}

func cause(a facade.Attempt) string {
	if a.Status == 0 {
		if a.Failure != "" {
			return a.Failure // "connection refused", "timeout", …
		}
		return "a connection failure"
	}
	return fmt.Sprintf("%d %s", a.Status, http.StatusText(a.Status))
}
