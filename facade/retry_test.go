package facade

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	date := func(d time.Duration) string { return now.Add(d).Format(http.TimeFormat) }
	tests := []struct {
		name   string
		header http.Header
		want   time.Duration
	}{
		{"absent", http.Header{}, 0},
		{"seconds", http.Header{"Retry-After": {"1"}}, time.Second},
		{"seconds with spaces", http.Header{"Retry-After": {"  7 "}}, 7 * time.Second},
		{"fractional seconds", http.Header{"Retry-After": {"1.5"}}, 1500 * time.Millisecond},
		{"zero", http.Header{"Retry-After": {"0"}}, 0},
		{"negative", http.Header{"Retry-After": {"-5"}}, 0},
		{"negative zero", http.Header{"Retry-After": {"-0"}}, 0},
		{"malformed", http.Header{"Retry-After": {"soon"}}, 0},
		{"empty", http.Header{"Retry-After": {""}}, 0},
		{"NaN", http.Header{"Retry-After": {"NaN"}}, 0},
		{"Inf", http.Header{"Retry-After": {"Inf"}}, 0},
		{"minus Inf", http.Header{"Retry-After": {"-Inf"}}, 0},
		{"absurdly large", http.Header{"Retry-After": {"2e299"}}, maxHint},
		{"larger than float64", http.Header{"Retry-After": {"1e999"}}, 0}, // ParseFloat fails: malformed
		{"huge integer", http.Header{"Retry-After": {"99999999999999999999"}}, maxHint},
		{"tiny", http.Header{"Retry-After": {"1e-12"}}, 0},
		{"past date", http.Header{"Retry-After": {date(-time.Hour)}}, 0},
		{"now date", http.Header{"Retry-After": {date(0)}}, 0},
		{"future date", http.Header{"Retry-After": {date(90 * time.Second)}}, 90 * time.Second},
		{"far future date", http.Header{"Retry-After": {"Fri, 31 Dec 9999 23:59:59 GMT"}}, maxHint},
		{"RFC 850 date", http.Header{"Retry-After": {now.Add(time.Minute).Format("Monday, 02-Jan-06 15:04:05 GMT")}}, time.Minute},
		{"ms", http.Header{"Retry-After-Ms": {"150"}}, 150 * time.Millisecond},
		{"ms lower-case name", http.Header{http.CanonicalHeaderKey("retry-after-ms"): {"150"}}, 150 * time.Millisecond},
		{"ms fractional", http.Header{"Retry-After-Ms": {"0.5"}}, 500 * time.Microsecond},
		{"ms wins over seconds", http.Header{"Retry-After-Ms": {"150"}, "Retry-After": {"9"}}, 150 * time.Millisecond},
		{"bad ms falls back to seconds", http.Header{"Retry-After-Ms": {"x"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"negative ms falls back", http.Header{"Retry-After-Ms": {"-150"}, "Retry-After": {"2"}}, 2 * time.Second},
		{"zero ms", http.Header{"Retry-After-Ms": {"0"}}, 0},
		{"absurd ms", http.Header{"Retry-After-Ms": {"2e299"}}, maxHint},
		{"Inf ms", http.Header{"Retry-After-Ms": {"+Inf"}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.header, now); got != tt.want {
				t.Errorf("parseRetryAfter(%v) = %v, want %v", tt.header, got, tt.want)
			}
		})
	}
}

// nominal is the documented wait before retry n, before jitter:
// min(InitialInterval·Exponent^n, MaxInterval). It is computed here
// independently of the backoff library.
func nominal(r resolvedRetry, n int) time.Duration {
	d := float64(r.initial) * math.Pow(r.exponent, float64(n))
	return time.Duration(min(d, float64(r.max)))
}

func TestBackoffJitterWithinDocumentedBounds(t *testing.T) {
	configs := []struct {
		name string
		r    resolvedRetry
	}{
		{"defaults", defaultRetry},
		{"doubling", resolvedRetry{enabled: true, initial: 100 * time.Millisecond, max: 10 * time.Second, maxElapsed: time.Minute, exponent: 2}},
		{"constant", resolvedRetry{enabled: true, initial: time.Second, max: time.Second, maxElapsed: time.Minute, exponent: 1}},
	}
	for _, cfg := range configs {
		for _, n := range []int{0, 1, 2, 5, 10, 20} {
			t.Run(fmt.Sprintf("%s/n=%d", cfg.name, n), func(t *testing.T) {
				d := nominal(cfg.r, n)
				// A nanosecond of slack each way: the library and this
				// test round the products differently.
				lo := time.Duration(float64(d)*(1-jitter)) - time.Duration(n+1)
				hi := min(time.Duration(float64(d)*(1+jitter)), cfg.r.max) + time.Duration(n+1)
				seen := make(map[time.Duration]bool)
				for range 1000 {
					b := cfg.r.newBackOff()
					for range n {
						b.NextBackOff()
					}
					got := min(b.NextBackOff(), cfg.r.max) // as send applies it
					if got < lo || got > hi {
						t.Fatalf("delay before retry %d = %v, want within [%v, %v]", n, got, lo, hi)
					}
					seen[got] = true
				}
				if len(seen) < 2 {
					t.Fatalf("1000 delays before retry %d were all %v: no jitter", n, d)
				}
				if cfg.name == "defaults" && n <= 5 && len(seen) < 900 {
					t.Errorf("only %d distinct delays in 1000 draws: jitter too coarse", len(seen))
				}
			})
		}
	}
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	// With jitter ±25% and growth 1.5, retry n+2 always waits longer than
	// retry n until the cap (1.5² · 0.75 > 1.25): the schedule grows.
	b := defaultRetry.newBackOff()
	var waits []time.Duration
	for range 30 {
		waits = append(waits, min(b.NextBackOff(), defaultRetry.max))
	}
	for i := 0; i+2 < 8; i++ {
		if waits[i+2] <= waits[i] {
			t.Errorf("wait %d (%v) not longer than wait %d (%v)", i+2, waits[i+2], i, waits[i])
		}
	}
	for i, w := range waits {
		if w > DefaultMaxInterval {
			t.Errorf("wait %d = %v exceeds MaxInterval", i, w)
		}
	}
	if waits[29] < time.Duration(float64(DefaultMaxInterval)*(1-jitter)) {
		t.Errorf("wait 29 = %v: schedule never reached the cap", waits[29])
	}
}

func TestRetryConfigResolve(t *testing.T) {
	valid := []struct {
		name string
		rc   RetryConfig
		want resolvedRetry
	}{
		{"zero value is the defaults", RetryConfig{}, defaultRetry},
		{"DefaultRetryConfig is the defaults", DefaultRetryConfig(), defaultRetry},
		{"none", RetryConfig{Strategy: StrategyNone}, resolvedRetry{initial: DefaultInitialInterval, max: DefaultMaxInterval, maxElapsed: DefaultMaxElapsedTime, exponent: DefaultExponent, connectionError: true, maxRetries: -1}},
		// Setting one field keeps the defaults of the others, connection
		// retries included (they used to turn off silently).
		{"a partial config keeps connection retries on", RetryConfig{Strategy: StrategyBackoff}, defaultRetry},
		{"a backoff alone keeps connection retries on", RetryConfig{Backoff: &BackoffStrategy{MaxElapsedTime: 15 * time.Second}},
			resolvedRetry{enabled: true, initial: DefaultInitialInterval, max: DefaultMaxInterval, maxElapsed: 15 * time.Second, exponent: DefaultExponent, connectionError: true, maxRetries: -1}},
		{"connection retries off only when asked", RetryConfig{RetryConnectionErrors: Ptr(false)},
			resolvedRetry{enabled: true, initial: DefaultInitialInterval, max: DefaultMaxInterval, maxElapsed: DefaultMaxElapsedTime, exponent: DefaultExponent, maxRetries: -1}},
		{"a retry count", RetryConfig{MaxRetries: Ptr(2)},
			resolvedRetry{enabled: true, initial: DefaultInitialInterval, max: DefaultMaxInterval, maxElapsed: DefaultMaxElapsedTime, exponent: DefaultExponent, connectionError: true, maxRetries: 2}},
		{"zero fields take defaults", RetryConfig{Backoff: &BackoffStrategy{InitialInterval: time.Second}},
			resolvedRetry{enabled: true, initial: time.Second, max: DefaultMaxInterval, maxElapsed: DefaultMaxElapsedTime, exponent: DefaultExponent, connectionError: true, maxRetries: -1}},
		{"a MaxInterval below the default first wait also caps the first wait", RetryConfig{Backoff: &BackoffStrategy{MaxInterval: 100 * time.Millisecond}},
			resolvedRetry{enabled: true, initial: 100 * time.Millisecond, max: 100 * time.Millisecond, maxElapsed: DefaultMaxElapsedTime, exponent: DefaultExponent, connectionError: true, maxRetries: -1}},
		{"exponent 1 is allowed", RetryConfig{Backoff: &BackoffStrategy{Exponent: 1}},
			resolvedRetry{enabled: true, initial: DefaultInitialInterval, max: DefaultMaxInterval, maxElapsed: DefaultMaxElapsedTime, exponent: 1, connectionError: true, maxRetries: -1}},
	}
	for _, tt := range valid {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rc.resolve()
			if err != nil {
				t.Fatalf("resolve: %v", err)
			}
			if got != tt.want {
				t.Errorf("resolve = %+v, want %+v", got, tt.want)
			}
			c, err := New(WithAPIKey("k"), WithRetryConfig(tt.rc))
			if err != nil {
				t.Fatalf("New: %v", err)
			}
			if c.cfg.retry != tt.want {
				t.Errorf("client retry = %+v, want %+v", c.cfg.retry, tt.want)
			}
		})
	}

	invalid := []struct {
		name    string
		rc      RetryConfig
		wantErr string
	}{
		{"unknown strategy", RetryConfig{Strategy: "exponential"}, `Strategy "exponential"`},
		{"negative initial", RetryConfig{Backoff: &BackoffStrategy{InitialInterval: -time.Second}}, "InitialInterval is negative"},
		{"negative max", RetryConfig{Backoff: &BackoffStrategy{MaxInterval: -1}}, "MaxInterval is negative"},
		{"negative elapsed", RetryConfig{Backoff: &BackoffStrategy{MaxElapsedTime: -time.Minute}}, "MaxElapsedTime is negative"},
		{"exponent below 1", RetryConfig{Backoff: &BackoffStrategy{Exponent: 0.5}}, "Exponent 0.5: must be at least 1"},
		{"negative exponent", RetryConfig{Backoff: &BackoffStrategy{Exponent: -2}}, "Exponent -2"},
		{"NaN exponent", RetryConfig{Backoff: &BackoffStrategy{Exponent: math.NaN()}}, "Exponent NaN"},
		{"infinite exponent", RetryConfig{Backoff: &BackoffStrategy{Exponent: math.Inf(1)}}, "Exponent +Inf"},
		{"initial above max", RetryConfig{Backoff: &BackoffStrategy{InitialInterval: time.Minute, MaxInterval: time.Second}}, "exceeds MaxInterval"},
		{"negative retry count", RetryConfig{MaxRetries: Ptr(-1)}, "MaxRetries -1"},
	}
	for _, tt := range invalid {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := tt.rc.resolve(); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("resolve error = %v, want it to mention %q", err, tt.wantErr)
			}
			if _, err := New(WithAPIKey("k"), WithRetryConfig(tt.rc)); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("New error = %v, want it to mention %q", err, tt.wantErr)
			}
			// Per call, the option fails the call before anything is sent.
			c, err := New(WithAPIKey("k"), WithServerURL("http://127.0.0.1:1/api/v1"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.APIKeys.List(t.Context(), ListRequest{}, WithRetryConfig(tt.rc)); err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("List error = %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestRetryableStatus(t *testing.T) {
	want := map[int]bool{408: true, 429: true, 500: true, 502: true, 503: true, 504: true}
	for code := 100; code < 600; code++ {
		if got := retryableStatus(code); got != want[code] {
			t.Errorf("retryableStatus(%d) = %v, want %v", code, got, want[code])
		}
	}
}

func TestRetryErrorMessageAndUnwrap(t *testing.T) {
	api := &APIError{StatusCode: 503, Message: "overloaded", Method: "GET", Path: "/keys"}
	err := wrapAttempts(api.typed(), 4)
	if got, want := err.Error(), "giving up after 4 attempts: openrouter: 503 Service Unavailable: overloaded (GET /keys)"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	var re *RetryError
	if !errors.As(err, &re) || re.Attempts != 4 {
		t.Errorf("errors.As RetryError = %v, %+v", errors.As(err, &re), re)
	}
	var got *APIError
	if !errors.As(err, &got) || got != api {
		t.Errorf("errors.As *APIError failed on %v", err)
	}
	if err := wrapAttempts(api, 1); err != error(api) {
		t.Errorf("one attempt must not be wrapped, got %T", err)
	}
}
