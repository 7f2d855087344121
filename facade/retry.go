package facade

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cenkalti/backoff/v5"
)

// Retry strategies for RetryConfig.Strategy.
const (
	StrategyBackoff = "backoff"
	StrategyNone    = "none"
)

// RetryConfig is the retry policy, shaped like the TypeScript SDK's. Every
// field left zero (or nil) takes its default, so the zero value is the
// default policy: backoff from 500 ms growing ×1.5 up to 30 s between
// attempts, giving up 2 minutes after the first attempt, retrying
// connection errors. Setting one field changes only that field.
//
// What is retried: 408, 429, 500, 502, 503 and 504, and, when
// RetryConnectionErrors is set, transport failures (refused, reset or
// dropped connections, and attempts cut off by WithAttemptTimeout). Never
// 501 or another 4XX, certificate errors or redirect loops. POST /keys is
// not idempotent (a retry could mint a second live key), so it is re-sent
// only when the server provably did not act on it: on 429, or when no
// connection to the server was made (refused, DNS, TLS handshake). Its other
// failures return a *MaybeCreatedError.
type RetryConfig struct {
	// Strategy is "backoff" (the default) or "none" (exactly one attempt).
	Strategy string
	// Backoff tunes the waits; nil means the defaults.
	Backoff *BackoffStrategy
	// RetryConnectionErrors retries refused, reset, dropped and timed-out
	// connections and attempts; nil means the default, true. Use
	// facade.Ptr(false) to turn it off.
	RetryConnectionErrors *bool
	// MaxRetries caps the retries after the first attempt (0: one attempt
	// only); nil means no count, only the time budget.
	MaxRetries *int
}

// BackoffStrategy shapes the waits between attempts. Zero fields take the
// defaults.
type BackoffStrategy struct {
	// InitialInterval is the wait before the first retry (default 500 ms).
	// Above MaxBackoffInterval it is taken as MaxBackoffInterval.
	InitialInterval time.Duration
	// MaxInterval caps any single wait, jitter included (default 30 s).
	// Above MaxBackoffInterval it is taken as MaxBackoffInterval.
	MaxInterval time.Duration
	// MaxElapsedTime is the budget from the first attempt; no retry starts
	// after it (default 2 min).
	MaxElapsedTime time.Duration
	// Exponent is the growth factor between waits, at least 1 (default 1.5).
	Exponent float64
}

// Default retry settings.
const (
	DefaultInitialInterval = 500 * time.Millisecond
	DefaultMaxInterval     = 30 * time.Second
	DefaultMaxElapsedTime  = 2 * time.Minute
	DefaultExponent        = 1.5
	// DefaultRetryConnectionErrors: transport failures are retried.
	DefaultRetryConnectionErrors = true
	// MaxBackoffInterval bounds InitialInterval and MaxInterval: a longer
	// setting is taken as this one, so that the jittered arithmetic on it
	// can never overflow into a zero or negative wait.
	MaxBackoffInterval = 1000 * time.Hour
	// jitter spreads each wait uniformly over ±25% of its nominal value so
	// that many clients do not retry in lock-step. The wait before retry n
	// (n = 0 for the first retry) is therefore in
	// [0.75·d, min(1.25·d, MaxInterval)] with d = min(InitialInterval·Exponent^n, MaxInterval).
	jitter = 0.25
)

// DefaultRetryConfig returns the documented default policy with every field
// spelled out: a starting point to change one value of.
func DefaultRetryConfig() RetryConfig {
	return RetryConfig{
		Strategy: StrategyBackoff,
		Backoff: &BackoffStrategy{
			InitialInterval: DefaultInitialInterval,
			MaxInterval:     DefaultMaxInterval,
			MaxElapsedTime:  DefaultMaxElapsedTime,
			Exponent:        DefaultExponent,
		},
		RetryConnectionErrors: Ptr(DefaultRetryConnectionErrors),
	}
}

// resolvedRetry is a validated RetryConfig with defaults filled in.
type resolvedRetry struct {
	enabled         bool
	initial, max    time.Duration
	maxElapsed      time.Duration
	exponent        float64
	connectionError bool
	maxRetries      int // -1: no count
}

// defaultRetry is the zero RetryConfig resolved: the defaults, written once
// in the constants above.
var defaultRetry, _ = RetryConfig{}.resolve()

// resolve overlays what rc sets on the defaults.
func (rc RetryConfig) resolve() (resolvedRetry, error) {
	r := resolvedRetry{
		initial:         DefaultInitialInterval,
		max:             DefaultMaxInterval,
		maxElapsed:      DefaultMaxElapsedTime,
		exponent:        DefaultExponent,
		connectionError: DefaultRetryConnectionErrors,
		maxRetries:      -1,
	}
	if rc.RetryConnectionErrors != nil {
		r.connectionError = *rc.RetryConnectionErrors
	}
	if rc.MaxRetries != nil {
		if *rc.MaxRetries < 0 {
			return r, refusef("RetryConfig.MaxRetries", "RetryConfig.MaxRetries %d: want 0 or more (nil for no count)", *rc.MaxRetries)
		}
		r.maxRetries = *rc.MaxRetries
	}
	switch rc.Strategy {
	case StrategyBackoff, "":
		r.enabled = true
	case StrategyNone:
	default:
		return r, refusef("RetryConfig.Strategy", "RetryConfig.Strategy %q: want %q or %q", rc.Strategy, StrategyBackoff, StrategyNone)
	}
	if b := rc.Backoff; b != nil {
		for _, d := range []struct {
			name string
			v    time.Duration
			dst  *time.Duration
		}{
			{"InitialInterval", b.InitialInterval, &r.initial},
			{"MaxInterval", b.MaxInterval, &r.max},
			{"MaxElapsedTime", b.MaxElapsedTime, &r.maxElapsed},
		} {
			if d.v < 0 {
				return r, refusef("RetryConfig.Backoff."+d.name, "RetryConfig.Backoff.%s is negative (%v)", d.name, d.v)
			}
			if d.v > 0 {
				*d.dst = d.v
			}
		}
		r.initial = min(r.initial, MaxBackoffInterval)
		r.max = min(r.max, MaxBackoffInterval)
		if b.Exponent != 0 {
			if math.IsNaN(b.Exponent) || math.IsInf(b.Exponent, 0) || b.Exponent < 1 {
				return r, refusef("RetryConfig.Backoff.Exponent", "RetryConfig.Backoff.Exponent %v: must be at least 1", b.Exponent)
			}
			r.exponent = b.Exponent
		}
		if b.InitialInterval == 0 && r.initial > r.max {
			// Only MaxInterval was given, below the default first wait:
			// the caller asked for short waits, so start at the cap.
			r.initial = r.max
		}
		if r.initial > r.max {
			return r, refusef("RetryConfig.Backoff.InitialInterval", "RetryConfig.Backoff.InitialInterval %v exceeds MaxInterval %v", r.initial, r.max)
		}
	}
	return r, nil
}

// newBackOff returns a fresh jittered exponential schedule for one call.
// It is made only when a call first needs to retry.
func (r resolvedRetry) newBackOff() *backoff.ExponentialBackOff {
	b := &backoff.ExponentialBackOff{
		InitialInterval:     r.initial,
		RandomizationFactor: jitter,
		Multiplier:          r.exponent,
		MaxInterval:         r.max,
	}
	b.Reset()
	return b
}

// retryableStatus reports whether a status is worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// maxHint caps parsed hints so that arithmetic on them cannot overflow.
const maxHint = 1000 * time.Hour

// parseRetryAfter reads retry-after-ms (milliseconds) or Retry-After
// (delta-seconds or an HTTP-date). It returns 0 when there is no usable hint:
// absent, malformed, negative, zero or in the past.
func parseRetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 && !math.IsInf(ms, 0) {
			return clampHint(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs > 0 && !math.IsInf(secs, 0) {
			return clampHint(secs * float64(time.Second))
		}
		return 0
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, maxHint)
		}
	}
	return 0
}

func clampHint(ns float64) time.Duration {
	if ns >= float64(maxHint) {
		return maxHint
	}
	if ns < 1 {
		return 0
	}
	return time.Duration(ns)
}

// sleepContext waits for d or until ctx is done, whichever comes first.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
