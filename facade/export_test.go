package facade

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Test hooks for the black-box tests in package facade_test.

// TestClock replaces the retry loop's clock: Sleep returns at once (or with
// the context's error if it is already done), records the wait and moves
// the clock forward by it. Now is the real time plus every recorded wait, so
// HTTP-date hints and the MaxElapsedTime budget see the waits as if they had
// happened. It is safe for concurrent use.
type TestClock struct {
	mu     sync.Mutex
	offset time.Duration
	sleeps []time.Duration
	// OnSleep, if set, runs inside Sleep before it returns (for example to
	// block until the context is cancelled).
	OnSleep func(ctx context.Context, d time.Duration) error
	// Still keeps Now at the real time: Sleep only records. For clocks
	// shared by concurrent calls, whose waits would otherwise add up into
	// one another's MaxElapsedTime budget.
	Still bool
}

// Now is the fake time.
func (c *TestClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Sleep records d and advances the clock.
func (c *TestClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	if !c.Still {
		c.offset += d
	}
	hook := c.OnSleep
	c.mu.Unlock()
	if hook != nil {
		return hook(ctx, d)
	}
	return ctx.Err()
}

// Sleeps returns the recorded waits in order.
func (c *TestClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.sleeps)
}

// WithTestClock makes a client or call wait and read the time through c.
func WithTestClock(c *TestClock) Option {
	return func(cfg *config) error {
		cfg.sleep = c.Sleep
		cfg.now = c.Now
		return nil
	}
}

// MaxErrorBody is the cap on a kept error body.
const MaxErrorBody = maxErrorBody

// ParseRetryAfter exposes the hint parser.
var ParseRetryAfter = parseRetryAfter

// SetMaxSuccessBody lowers the cap on a success body for one test, so that
// a test of the cap need not send 64 MiB. It returns the restoring func.
// Tests that call it must not run in parallel with others.
func SetMaxSuccessBody(n int64) (restore func()) {
	old := maxSuccessBody
	maxSuccessBody = n
	return func() { maxSuccessBody = old }
}

// SetMaxPages lowers the cap on pages per walk until the test ends.
func SetMaxPages(t interface{ Cleanup(func()) }, n int) {
	old := maxPages
	maxPages = n
	t.Cleanup(func() { maxPages = old })
}

// SetMaxFindMatches lowers the cap on a Find's matches until the test ends.
func SetMaxFindMatches(t interface{ Cleanup(func()) }, n int) {
	old := maxFindMatches
	maxFindMatches = n
	t.Cleanup(func() { maxFindMatches = old })
}
