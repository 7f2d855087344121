package exporter_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/cmd/orkeys/internal/exporter"
	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// TestMain fails the package if a refresh loop, server or transport
// goroutine outlives its test.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// now is the clock of the fake and of the exporter in the exact-value
// tests: a Wednesday. A fixed exporter clock makes refresh durations 0.
var now = time.Date(2026, 3, 11, 12, 0, 0, 0, time.UTC)

func ptr[T any](v T) *T { return &v }

// setup starts a fake with three keys (one capped monthly, one without a
// cap, one capped for ever and disabled) and some credits, and a client
// that does not retry, so that one injected fault fails one refresh.
func setup(t *testing.T) (*fake.Server, *facade.Client, map[string]string) {
	t.Helper()
	srv := fake.NewServer(fake.WithClock(func() time.Time { return now }))
	t.Cleanup(srv.Close)
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey),
		facade.WithRetryConfig(facade.RetryConfig{Strategy: "none"}))
	if err != nil {
		t.Fatal(err)
	}
	hashes := map[string]string{}
	for _, k := range []struct {
		body  gen.CreateKeysRequestBody
		usage fake.Usage
	}{
		{gen.CreateKeysRequestBody{Name: "alpha", Limit: ptr(50.0), LimitReset: ptr(gen.LimitResetMonthly)},
			fake.Usage{Usage: 120, Daily: 2, Weekly: 10, Monthly: 40}},
		{gen.CreateKeysRequestBody{Name: "beta"}, fake.Usage{Usage: 3.5, Daily: 0.5, Weekly: 1.5, Monthly: 3.5}},
		{gen.CreateKeysRequestBody{Name: "gamma", Limit: ptr(5.0)}, fake.Usage{Usage: 5.25}},
	} {
		res, err := srv.AddKey(k.body)
		if err != nil {
			t.Fatal(err)
		}
		hashes[k.body.Name] = res.Data.Hash
		if err := srv.SetUsage(res.Data.Hash, k.usage); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.APIKeys.Update(context.Background(), facade.UpdateKeysRequest{
		Hash: hashes["gamma"], RequestBody: gen.UpdateKeysRequestBody{Disabled: ptr(true)},
	}); err != nil {
		t.Fatal(err)
	}
	if err := srv.SetCredits(200); err != nil {
		t.Fatal(err)
	}
	if err := srv.RecordActivity(hashes["alpha"], fake.Activity{Day: now.AddDate(0, 0, -1),
		Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 12.5, Requests: 3}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	return srv, c, hashes
}

func newExporter(t *testing.T, cfg exporter.Config) *exporter.Exporter {
	t.Helper()
	if cfg.Now == nil {
		cfg.Now = func() time.Time { return now }
	}
	e, err := exporter.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// The metrics the exporter defines; the comparisons below cover them all.
var names = []string{
	"openrouter_key_usage_dollars", "openrouter_key_limit_dollars",
	"openrouter_key_limit_remaining_dollars", "openrouter_key_disabled",
	"openrouter_credits_total_dollars", "openrouter_credits_used_dollars",
	"openrouter_credits_remaining_dollars", "openrouter_exporter_last_refresh_success",
	"openrouter_exporter_refresh_duration_seconds", "openrouter_exporter_last_success_timestamp_seconds",
}

const help = `# HELP openrouter_credits_remaining_dollars Credits bought minus credits used, in USD.
# TYPE openrouter_credits_remaining_dollars gauge
# HELP openrouter_credits_total_dollars Credits the account has bought, in USD.
# TYPE openrouter_credits_total_dollars gauge
# HELP openrouter_credits_used_dollars Credits the account has used, in USD.
# TYPE openrouter_credits_used_dollars gauge
# HELP openrouter_exporter_last_refresh_success 1 when the last refresh from the API succeeded, else 0 (the other metrics then hold the last good values).
# TYPE openrouter_exporter_last_refresh_success gauge
# HELP openrouter_exporter_last_success_timestamp_seconds Unix time of the last successful refresh, to tell how old the values are; absent before the first.
# TYPE openrouter_exporter_last_success_timestamp_seconds gauge
# HELP openrouter_exporter_refresh_duration_seconds How long the last refresh from the API took, successful or not.
# TYPE openrouter_exporter_refresh_duration_seconds gauge
# HELP openrouter_key_disabled 1 when the key is disabled, else 0.
# TYPE openrouter_key_disabled gauge
# HELP openrouter_key_limit_dollars Spending limit of the key per reset period, in USD; absent for keys without a limit.
# TYPE openrouter_key_limit_dollars gauge
# HELP openrouter_key_limit_remaining_dollars USD left under the key's limit in the current reset period; absent for keys without a limit.
# TYPE openrouter_key_limit_remaining_dollars gauge
# HELP openrouter_key_usage_dollars Spend of the key in USD: all time (window=total) or in the current UTC day, week (from Monday) or month.
# TYPE openrouter_key_usage_dollars gauge
`

// expected is help plus samples, with {alpha} and the like standing for
// the first 12 characters of a key's hash.
func expected(hashes map[string]string, samples string) io.Reader {
	for name, h := range hashes {
		samples = strings.ReplaceAll(samples, "{"+name+"}", h[:12])
	}
	return strings.NewReader(help + samples)
}

// Samples of the three seeded keys and the credits; success and timing
// lines are added per test.
const seeded = `openrouter_credits_remaining_dollars 187.5
openrouter_credits_total_dollars 200
openrouter_credits_used_dollars 12.5
openrouter_key_disabled{hash="{alpha}",name="alpha"} 0
openrouter_key_disabled{hash="{beta}",name="beta"} 0
openrouter_key_disabled{hash="{gamma}",name="gamma"} 1
openrouter_key_limit_dollars{hash="{alpha}",name="alpha"} 50
openrouter_key_limit_dollars{hash="{gamma}",name="gamma"} 5
openrouter_key_limit_remaining_dollars{hash="{alpha}",name="alpha"} 10
openrouter_key_limit_remaining_dollars{hash="{gamma}",name="gamma"} 0
openrouter_key_usage_dollars{hash="{alpha}",name="alpha",window="daily"} 2
openrouter_key_usage_dollars{hash="{alpha}",name="alpha",window="monthly"} 40
openrouter_key_usage_dollars{hash="{alpha}",name="alpha",window="total"} 120
openrouter_key_usage_dollars{hash="{alpha}",name="alpha",window="weekly"} 10
openrouter_key_usage_dollars{hash="{beta}",name="beta",window="daily"} 0.5
openrouter_key_usage_dollars{hash="{beta}",name="beta",window="monthly"} 3.5
openrouter_key_usage_dollars{hash="{beta}",name="beta",window="total"} 3.5
openrouter_key_usage_dollars{hash="{beta}",name="beta",window="weekly"} 1.5
openrouter_key_usage_dollars{hash="{gamma}",name="gamma",window="daily"} 0
openrouter_key_usage_dollars{hash="{gamma}",name="gamma",window="monthly"} 0
openrouter_key_usage_dollars{hash="{gamma}",name="gamma",window="total"} 5.25
openrouter_key_usage_dollars{hash="{gamma}",name="gamma",window="weekly"} 0
`

// okTiming is what a successful refresh at the fixed clock adds.
const okTiming = `openrouter_exporter_last_refresh_success 1
openrouter_exporter_last_success_timestamp_seconds 1.7732304e+09
openrouter_exporter_refresh_duration_seconds 0
`

func TestMetricsFromFake(t *testing.T) {
	srv, c, hashes := setup(t)
	e := newExporter(t, exporter.Config{Client: c})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := testutil.CollectAndCompare(e, expected(hashes, seeded+okTiming), names...); err != nil {
		t.Error(err)
	}
	// One refresh is one page of keys, disabled ones included, and credits.
	var got []string
	for _, r := range srv.Requests() {
		got = append(got, r.Method+" "+r.Path+" "+r.Query.Encode())
	}
	want := []string{"GET /api/v1/keys include_disabled=true&offset=0", "GET /api/v1/credits "}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests %q, want %q", got, want)
	}
}

func TestBeforeFirstRefresh(t *testing.T) {
	_, c, hashes := setup(t)
	e := newExporter(t, exporter.Config{Client: c})
	if err := testutil.CollectAndCompare(e, expected(hashes, "openrouter_exporter_last_refresh_success 0\n"), names...); err != nil {
		t.Error(err)
	}
}

// A scrape reads the snapshot: however often Prometheus comes, the API
// sees nothing until the next refresh.
func TestScrapeSendsNothing(t *testing.T) {
	srv, c, _ := setup(t)
	e := newExporter(t, exporter.Config{Client: c})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
	h := e.Handler()
	for range 3 {
		if n := testutil.CollectAndCount(e); n == 0 {
			t.Fatal("no metrics")
		}
		rec := get(t, h, "/metrics")
		if !strings.Contains(rec, "openrouter_key_usage_dollars{") {
			t.Fatalf("/metrics lacks key usage:\n%s", rec)
		}
	}
	if got := srv.Requests(); len(got) != 0 {
		t.Errorf("scrapes sent %d requests, want none", len(got))
	}
}

// A failed refresh, of either call, keeps every value of the last good one
// and says so; the next good refresh brings the new values.
func TestFailedRefreshKeepsLastValues(t *testing.T) {
	srv, c, hashes := setup(t)
	var logs bytes.Buffer
	e := newExporter(t, exporter.Config{Client: c, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	// Spend moves on, but the API then fails.
	if err := srv.SetUsage(hashes["beta"], fake.Usage{Usage: 9, Daily: 6, Weekly: 7, Monthly: 8}); err != nil {
		t.Fatal(err)
	}
	failed := `openrouter_exporter_last_refresh_success 0
openrouter_exporter_last_success_timestamp_seconds 1.7732304e+09
openrouter_exporter_refresh_duration_seconds 0
`
	for _, f := range []fake.Fault{
		{Method: "GET", Path: "/keys", Status: http.StatusInternalServerError},
		// Keys succeed, credits fail: the new key figures must not show
		// beside old credits.
		{Method: "GET", Path: "/credits", Status: http.StatusServiceUnavailable},
	} {
		srv.Inject(f)
		err := e.Refresh(context.Background())
		var apiErr *facade.APIError
		if !errors.As(err, &apiErr) {
			t.Fatalf("fault %s: Refresh = %v, want an API error", f.Path, err)
		}
		if err := testutil.CollectAndCompare(e, expected(hashes, seeded+failed), names...); err != nil {
			t.Errorf("after a failure on %s: %v", f.Path, err)
		}
	}

	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	recovered := strings.NewReplacer(
		`name="beta",window="daily"} 0.5`, `name="beta",window="daily"} 6`,
		`name="beta",window="weekly"} 1.5`, `name="beta",window="weekly"} 7`,
		`name="beta",window="monthly"} 3.5`, `name="beta",window="monthly"} 8`,
		`name="beta",window="total"} 3.5`, `name="beta",window="total"} 9`,
	).Replace(seeded)
	if err := testutil.CollectAndCompare(e, expected(hashes, recovered+okTiming), names...); err != nil {
		t.Errorf("after recovery: %v", err)
	}
	// Failures and the recovery are logged, without the key.
	got := logs.String()
	if strings.Count(got, "level=WARN msg=\"refresh failed") != 2 || !strings.Contains(got, "level=INFO msg=\"refresh succeeded again\" keys=3") ||
		strings.Contains(got, srv.ManagementKey) {
		t.Errorf("log:\n%s", got)
	}
}

// A key deleted upstream leaves the metrics at the next refresh; no stale
// series stays behind.
func TestRemovedKeyDisappears(t *testing.T) {
	_, c, hashes := setup(t)
	e := newExporter(t, exporter.Config{Client: c})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.APIKeys.Delete(context.Background(), facade.DeleteKeysRequest{Hash: hashes["alpha"]}); err != nil {
		t.Fatal(err)
	}
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	var kept []string
	for line := range strings.Lines(seeded) {
		if !strings.Contains(line, `name="alpha"`) {
			kept = append(kept, line)
		}
	}
	if err := testutil.CollectAndCompare(e, expected(hashes, strings.Join(kept, "")+okTiming), names...); err != nil {
		t.Error(err)
	}
}

// Every page counts, and keys outside the chosen workspace do not.
func TestAllPagesOneWorkspace(t *testing.T) {
	srv, c, _ := setup(t)
	const other = "0b7c6f0e-2d1a-4c3b-9e8f-7a6b5c4d3e2f"
	for i := range 230 {
		ws := ptr(fake.DefaultWorkspaceID)
		if i%10 == 0 {
			ws = ptr(other)
		}
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("k%03d", i), WorkspaceID: ws}); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		workspace *string
		want      int
	}{{nil, 3 + 207}, {ptr(other), 23}} {
		e := newExporter(t, exporter.Config{Client: c, WorkspaceID: tc.workspace})
		if err := e.Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got := testutil.CollectAndCount(e, "openrouter_key_disabled"); got != tc.want {
			t.Errorf("workspace %v: %d keys, want %d", tc.workspace, got, tc.want)
		}
	}
}

// A hung API fails the refresh at the timeout instead of stalling the loop.
func TestRefreshTimeout(t *testing.T) {
	srv, c, _ := setup(t)
	e := newExporter(t, exporter.Config{Client: c, Timeout: 100 * time.Millisecond, Now: time.Now})
	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Hang: true})
	start := time.Now()
	if err := e.Refresh(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Refresh against a hung API = %v, want a deadline error", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Refresh took %v, want about the 100ms timeout", d)
	}
	if got := value(t, e, "openrouter_exporter_last_refresh_success"); got != 0 {
		t.Errorf("success = %v, want 0", got)
	}
	if got := value(t, e, "openrouter_exporter_refresh_duration_seconds"); got < 0.1 || got > 5 {
		t.Errorf("refresh duration = %vs, want the 0.1s timeout or a little more", got)
	}
	if n := testutil.CollectAndCount(e, "openrouter_key_disabled", "openrouter_credits_total_dollars"); n != 0 {
		t.Errorf("%d key or credit series without a good refresh, want none", n)
	}
}

// The metric names, help and types follow Prometheus' conventions.
func TestLint(t *testing.T) {
	_, c, _ := setup(t)
	e := newExporter(t, exporter.Config{Client: c})
	if err := e.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.CollectAndLint(e)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

// value is the one sample of the unlabelled gauge name.
func value(t *testing.T, c prometheus.Collector, name string) float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			return mf.GetMetric()[0].GetGauge().GetValue()
		}
	}
	t.Fatalf("no single sample of %s", name)
	return 0
}

// Serve refreshes in the background on the interval while scrapes come in,
// and stops cleanly when its context ends.
func TestServe(t *testing.T) {
	srv, c, hashes := setup(t)
	e, err := exporter.New(exporter.Config{Client: c, Interval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	url := "http://" + ln.Addr().String()

	alpha := fmt.Sprintf(`openrouter_key_usage_dollars{hash=%q,name="alpha",window="total"} `, hashes["alpha"][:12])
	waitFor(t, url+"/metrics", alpha+"120\n")
	// Scrapes race with refreshes (for -race); then new spend shows
	// without anyone asking for a refresh.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 10 {
				if _, err := fetch(url + "/metrics"); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	if err := srv.SetUsage(hashes["alpha"], fake.Usage{Usage: 130}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, url+"/metrics", alpha+"130\n")
	wg.Wait()
	if body, err := fetch(url + "/"); err != nil || !strings.Contains(body, "/metrics") {
		t.Errorf("GET / = %q, %v", body, err)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v, want nil after cancel", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve did not stop")
	}
	if _, err := fetch(url + "/metrics"); err == nil {
		t.Error("still serving after Serve returned")
	}
}

// Shutdown does not wait for a refresh stuck on the API.
func TestServeStopsDuringHungRefresh(t *testing.T) {
	srv, c, _ := setup(t)
	srv.Inject(fake.Fault{Method: "GET", Path: "/keys", Hang: true})
	e, err := exporter.New(exporter.Config{Client: c, Interval: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Serve(ctx, ln) }()
	// Wait until the refresh is hanging on the fake.
	for deadline := time.Now().Add(10 * time.Second); srv.PendingFaults() > 0; time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the refresh never reached the fake")
		}
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Serve = %v, want nil", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Serve waited for the hung refresh")
	}
	// The cancelled refresh is shutdown, not an API failure: it is not
	// recorded as an attempt.
	if err := testutil.CollectAndCompare(e, expected(nil, "openrouter_exporter_last_refresh_success 0\n"), names...); err != nil {
		t.Error(err)
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-x"))
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []exporter.Config{{}, {Client: c, Interval: -time.Second}, {Client: c, Timeout: -1}} {
		if _, err := exporter.New(cfg); err == nil {
			t.Errorf("New(%+v) = nil error", cfg)
		}
	}
}

func get(t *testing.T, h http.Handler, path string) string {
	t.Helper()
	ts := httptest.NewServer(h)
	defer ts.Close()
	body, err := fetch(ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	return body
}

// client keeps no idle connections, which would outlive the tests.
var client = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

func fetch(url string) (string, error) {
	resp, err := client.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		return string(b), fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return string(b), err
}

// waitFor polls url until its body contains want.
func waitFor(t *testing.T, url, want string) {
	t.Helper()
	var body string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var err error
		if body, err = fetch(url); err == nil && strings.Contains(body, want) {
			return
		}
	}
	t.Fatalf("%s never showed %q; last body:\n%s", url, want, body)
}
