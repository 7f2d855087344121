package facade_test

import (
	"math"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
)

// failing answers the first n requests with 503 and the rest with okFor.
func failing(n int32) http.HandlerFunc {
	var seen atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if seen.Add(1) <= n {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		okFor(w, r)
	}
}

// retryWaits makes one call under rc against a server that fails n times,
// and returns the waits the call slept between its attempts.
func retryWaits(t *testing.T, n int32, rc facade.RetryConfig) []time.Duration {
	t.Helper()
	srv := newRecorder(t, failing(n))
	clock := &facade.TestClock{}
	c := srv.client(t, facade.WithRetryConfig(rc), facade.WithTestClock(clock))
	if _, err := c.APIKeys.List(bounded(t), facade.ListRequest{}); err != nil {
		t.Fatalf("List after %d failures: %v", n, err)
	}
	waits := clock.Sleeps()
	if len(waits) != int(n) {
		t.Fatalf("%d waits for %d failures", len(waits), n)
	}
	return waits
}

// No wait exceeds MaxInterval, jitter included, as the send path applies
// it. With the first wait at the cap, jitter would push about half of the
// waits past it.
func TestWaitsNeverExceedMaxInterval(t *testing.T) {
	clearEnv(t)
	const maxInterval = time.Second
	waits := retryWaits(t, 40, facade.RetryConfig{Backoff: &facade.BackoffStrategy{
		InitialInterval: maxInterval, MaxInterval: maxInterval, MaxElapsedTime: time.Hour,
	}})
	for i, w := range waits {
		if w > maxInterval || w < maxInterval*3/4 {
			t.Errorf("wait %d = %v, want within [%v, %v]", i, w, maxInterval*3/4, maxInterval)
		}
	}
}

// Settings near the limits of time.Duration must not overflow into zero or
// negative waits (a retry storm); they are clamped to
// facade.MaxBackoffInterval.
func TestHugeBackoffSettingsClamped(t *testing.T) {
	clearEnv(t)
	const huge = time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		name string
		b    facade.BackoffStrategy
		n    int32
	}{
		{"every field at the limit", facade.BackoffStrategy{InitialInterval: huge, MaxInterval: huge, MaxElapsedTime: huge, Exponent: math.MaxFloat64}, 4},
		{"a huge cap reached by growth", facade.BackoffStrategy{MaxInterval: huge, MaxElapsedTime: huge, Exponent: 1e300}, 4},
		{"a huge first wait", facade.BackoffStrategy{InitialInterval: huge / 2, MaxInterval: huge, MaxElapsedTime: huge}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			waits := retryWaits(t, tc.n, facade.RetryConfig{Backoff: &tc.b})
			for i, w := range waits {
				if w <= 0 || w > facade.MaxBackoffInterval {
					t.Errorf("wait %d = %v, want within (0, %v]", i, w, facade.MaxBackoffInterval)
				}
			}
		})
	}
}
