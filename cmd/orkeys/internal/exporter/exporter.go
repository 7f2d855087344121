// Package exporter serves OpenRouter spend as Prometheus metrics: every key's
// usage, limit and state, and the account's credits, refreshed in the
// background so that a scrape only reads what the last refresh fetched.
//
// It is the logic behind `orkeys exporter`; the command adds flags, the
// client and signal handling.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// HashLabelLen is how many leading characters of a key's hash the hash label
// holds: enough to tell keys apart, short enough to read on a dashboard.
const HashLabelLen = 12

// HashLabel is the hash label of a key: its first HashLabelLen characters,
// cut at a character boundary so that the label stays valid UTF-8 whatever
// the server sent (Prometheus refuses the whole scrape otherwise).
func HashLabel(h string) string {
	h = strings.ToValidUTF8(h, "\uFFFD")
	if r := []rune(h); len(r) > HashLabelLen {
		return string(r[:HashLabelLen])
	}
	return h
}

// Server limits of Serve's HTTP server: a scraper gets a few seconds to send
// its headers and read the answer, and a keep-alive connection left idle is
// closed, so that idle or slow clients cannot pile up connections.
const (
	readHeaderTimeout = 10 * time.Second
	writeTimeout      = 30 * time.Second
	defaultIdle       = 2 * time.Minute
	maxHeaderBytes    = 64 << 10
)

// DefaultInterval is how often the data is refreshed when Config.Interval is 0.
const DefaultInterval = time.Minute

// shutdownGrace bounds how long Serve waits for scrapes in flight on exit.
const shutdownGrace = 5 * time.Second

// Config configures an Exporter.
type Config struct {
	// Client calls the API; it needs a management key.
	Client *facade.Client
	// Interval is the time between refreshes; 0 means DefaultInterval.
	Interval time.Duration
	// Timeout bounds one refresh, retries included; 0 means Interval, so
	// that a slow API never stacks refreshes up.
	Timeout time.Duration
	// WorkspaceID limits the keys to one workspace; nil means the API's
	// default workspace.
	WorkspaceID *string
	// Logger reports failed refreshes; nil discards them.
	Logger *slog.Logger
	// Now reads the clock; nil means time.Now. Tests fix it.
	Now func() time.Time
	// IdleTimeout closes keep-alive connections idle this long; 0 means
	// two minutes.
	IdleTimeout time.Duration
	// Plane adds the management plane's metrics: every workspace's keys,
	// budgets and spend, and every guardrail's limit (plane.go).
	Plane bool
}

// Exporter is a prometheus.Collector over the data of the last successful
// refresh. Collect never calls the API.
type Exporter struct {
	client    *facade.Client
	interval  time.Duration
	timeout   time.Duration
	workspace *string
	log       *slog.Logger
	now       func() time.Time
	idle      time.Duration
	plane     bool

	// rejected counts keys left out of the metrics because their hash is
	// not hexadecimal: one odd key must not take the others' metrics down.
	rejected atomic.Int64

	// refreshMu keeps refreshes one at a time, so that an older answer
	// never overwrites a newer one.
	refreshMu sync.Mutex
	// snap is replaced whole, never changed in place: Collect reads it
	// without a lock while a refresh builds the next one.
	snap atomic.Pointer[snapshot]
}

// snapshot is what a scrape reports.
type snapshot struct {
	// data is nil until the first refresh succeeds; a failed refresh keeps
	// the previous one.
	data *data
	// The last refresh attempt, successful or not.
	attempted   bool
	success     bool
	duration    time.Duration
	lastSuccess time.Time
}

// data is what one successful refresh fetched.
type data struct {
	keys       []keySample
	credits    facade.Credits
	workspaces []workspaceSample
	guardrails []guardrailSample
}

// keySample is one key's figures, with its labels ready.
type keySample struct {
	hash, name       string
	usage            [4]float64 // in the order of windows
	disabled         bool
	hasLimit         bool
	limit, remaining float64
	lastUsed         *time.Time // nil: never used (lastused.go)
}

var windows = [4]string{"total", "daily", "weekly", "monthly"}

var (
	keyLabels = []string{"hash", "name"}

	descUsage = prometheus.NewDesc("openrouter_key_usage_dollars",
		"Spend of the key in USD: all time (window=total) or in the current UTC day, week (from Monday) or month.",
		[]string{"hash", "name", "window"}, nil)
	descLimit = prometheus.NewDesc("openrouter_key_limit_dollars",
		"Spending limit of the key per reset period, in USD; absent for keys without a limit.",
		keyLabels, nil)
	descRemaining = prometheus.NewDesc("openrouter_key_limit_remaining_dollars",
		"USD left under the key's limit in the current reset period; absent for keys without a limit.",
		keyLabels, nil)
	descDisabled = prometheus.NewDesc("openrouter_key_disabled",
		"1 when the key is disabled, else 0.",
		keyLabels, nil)
	descCreditsTotal = prometheus.NewDesc("openrouter_credits_total_dollars",
		"Credits the account has bought, in USD.", nil, nil)
	descCreditsUsed = prometheus.NewDesc("openrouter_credits_used_dollars",
		"Credits the account has used, in USD.", nil, nil)
	descCreditsRemaining = prometheus.NewDesc("openrouter_credits_remaining_dollars",
		"Credits bought minus credits used, in USD.", nil, nil)
	descSuccess = prometheus.NewDesc("openrouter_exporter_last_refresh_success",
		"1 when the last refresh from the API succeeded, else 0 (the other metrics then hold the last good values).",
		nil, nil)
	descDuration = prometheus.NewDesc("openrouter_exporter_refresh_duration_seconds",
		"How long the last refresh from the API took, successful or not.", nil, nil)
	descRejected = prometheus.NewDesc("openrouter_exporter_rejected_keys_total",
		"Keys left out of the metrics because the API gave them a hash that is not hexadecimal, counted at every refresh.",
		nil, nil)
	descLastSuccess = prometheus.NewDesc("openrouter_exporter_last_success_timestamp_seconds",
		"Unix time of the last successful refresh, to tell how old the values are; absent before the first.",
		nil, nil)
)

// New makes an Exporter. It sends nothing until Refresh, Run or Serve.
func New(cfg Config) (*Exporter, error) {
	if cfg.Client == nil {
		return nil, errors.New("exporter: Config.Client is nil")
	}
	if cfg.Interval < 0 || cfg.Timeout < 0 {
		return nil, errors.New("exporter: negative Interval or Timeout")
	}
	e := &Exporter{
		client:    cfg.Client,
		interval:  cfg.Interval,
		timeout:   cfg.Timeout,
		workspace: cfg.WorkspaceID,
		log:       cfg.Logger,
		now:       cfg.Now,
		idle:      cfg.IdleTimeout,
		plane:     cfg.Plane,
	}
	if e.idle == 0 {
		e.idle = defaultIdle
	}
	if e.interval == 0 {
		e.interval = DefaultInterval
	}
	if e.timeout == 0 {
		e.timeout = e.interval
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	if e.now == nil {
		e.now = time.Now
	}
	e.snap.Store(&snapshot{})
	return e, nil
}

// Describe implements prometheus.Collector.
func (e *Exporter) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUsage, descLimit, descRemaining, descDisabled, descLastUsed,
		descCreditsTotal, descCreditsUsed, descCreditsRemaining, descSuccess, descDuration, descLastSuccess, descRejected} {
		ch <- d
	}
	if e.plane {
		for _, d := range planeDescs {
			ch <- d
		}
	}
}

// Collect implements prometheus.Collector from the current snapshot. Keys
// that the last successful refresh did not see are not reported.
func (e *Exporter) Collect(ch chan<- prometheus.Metric) {
	s := e.snap.Load()
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	gauge(descSuccess, boolValue(s.success))
	ch <- prometheus.MustNewConstMetric(descRejected, prometheus.CounterValue, float64(e.rejected.Load()))
	if s.attempted {
		gauge(descDuration, s.duration.Seconds())
	}
	if s.data == nil {
		return
	}
	gauge(descLastSuccess, float64(s.lastSuccess.UnixNano())/1e9)
	for _, k := range s.data.keys {
		for i, w := range windows {
			gauge(descUsage, k.usage[i], k.hash, k.name, w)
		}
		gauge(descDisabled, boolValue(k.disabled), k.hash, k.name)
		if k.hasLimit {
			gauge(descLimit, k.limit, k.hash, k.name)
			gauge(descRemaining, k.remaining, k.hash, k.name)
		}
		collectLastUsed(k, gauge)
	}
	c := s.data.credits
	gauge(descCreditsTotal, c.TotalCredits)
	gauge(descCreditsUsed, c.TotalUsage)
	gauge(descCreditsRemaining, c.TotalCredits-c.TotalUsage)
	collectPlane(s.data, gauge)
}

// Refresh fetches every key (all pages, disabled ones included) and the
// credits, within Config.Timeout. On success the metrics show the new data;
// on failure they keep the last good data, last_refresh_success drops to 0,
// and the error is returned and logged.
func (e *Exporter) Refresh(ctx context.Context) error {
	e.refreshMu.Lock()
	defer e.refreshMu.Unlock()

	start := e.now()
	fetchCtx, cancel := context.WithTimeout(ctx, e.timeout)
	defer cancel()
	d, err := e.fetch(fetchCtx, start)
	end := e.now()
	if err != nil && ctx.Err() != nil {
		// Stopped from outside (shutdown): that says nothing about the API.
		return err
	}

	prev := e.snap.Load()
	next := &snapshot{attempted: true, success: err == nil, duration: end.Sub(start),
		data: prev.data, lastSuccess: prev.lastSuccess}
	if err == nil {
		next.data, next.lastSuccess = d, end
		if prev.attempted && !prev.success {
			e.log.Info("refresh succeeded again", "keys", len(d.keys))
		}
	} else {
		e.log.Warn("refresh failed; metrics keep the last good values", "err", err)
	}
	e.snap.Store(next)
	return err
}

// fetch reads keys and credits; both must succeed for a new snapshot, so
// that a scrape never mixes two refreshes.
func (e *Exporter) fetch(ctx context.Context, now time.Time) (*data, error) {
	req := facade.ListRequest{IncludeDisabled: true, WorkspaceID: e.workspace}
	d := &data{}
	seenHash := map[string]bool{}
	seenLabels := map[[2]string]bool{}
	for k, err := range e.client.APIKeys.All(ctx, req) {
		if err != nil {
			return nil, fmt.Errorf("list keys: %w", err)
		}
		// Offsets can shift while paging and show a key twice.
		if seenHash[k.Hash] {
			continue
		}
		seenHash[k.Hash] = true
		if err := rules.KeyHash(k.Hash); err != nil {
			e.rejected.Add(1)
			e.log.Warn("leaving out a key whose hash is not hexadecimal", "hash", HashLabel(k.Hash), "name", k.Name)
			continue
		}
		s := sample(k, now)
		// Two series with the same labels would make the registry refuse
		// the whole scrape: two keys with one name whose hashes start alike.
		if seenLabels[[2]string{s.hash, s.name}] {
			e.log.Warn("two keys have the same name and hash label; reporting the first", "hash", s.hash, "name", s.name)
			continue
		}
		seenLabels[[2]string{s.hash, s.name}] = true
		d.keys = append(d.keys, s)
	}
	cr, err := e.client.Credits.GetCredits(ctx)
	if err != nil {
		return nil, fmt.Errorf("get credits: %w", err)
	}
	d.credits = cr.Data
	if e.plane {
		if err := e.fetchPlane(ctx, d); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// sample takes a key's figures; the limit arithmetic is facade.BudgetOf's,
// the same as `orkeys keys usage` shows.
func sample(k facade.APIKey, now time.Time) keySample {
	s := keySample{
		hash:     HashLabel(k.Hash),
		name:     strings.ToValidUTF8(k.Name, "\uFFFD"),
		usage:    [4]float64{k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly},
		disabled: k.Disabled,
		lastUsed: k.LastUsedAt.Instant(),
	}
	b := facade.BudgetOf(k, now)
	if b.Limit != nil && b.Remaining != nil {
		s.hasLimit, s.limit, s.remaining = true, *b.Limit, *b.Remaining
	}
	return s
}

// Run refreshes at once, then every interval, until ctx is done. Failures
// are logged and reported through the metrics; they do not stop it.
func (e *Exporter) Run(ctx context.Context) {
	t := time.NewTicker(e.interval)
	defer t.Stop()
	for {
		_ = e.Refresh(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Handler serves the metrics at /metrics, with the Go runtime's and the
// process's own, and a pointer to them at /.
func (e *Exporter) Handler() http.Handler {
	reg := prometheus.NewRegistry()
	reg.MustRegister(e, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "orkeys exporter: metrics at /metrics")
	})
	return mux
}

// Serve runs the refresh loop and serves Handler on ln until ctx is done,
// then stops both: scrapes in flight get a few seconds to finish, and a
// refresh in flight is cancelled. It returns nil after a clean stop, or the
// error that stopped the server. ln is closed when Serve returns.
func (e *Exporter) Serve(ctx context.Context, ln net.Listener) error {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { e.Run(ctx) })
	// The refresh loop stops before Serve returns, whichever way it does.
	defer func() { cancel(); wg.Wait() }()

	srv := &http.Server{
		Handler:           e.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       e.idle,
		MaxHeaderBytes:    maxHeaderBytes,
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		// The server failed on its own (ln broke); nothing to shut down.
		return fmt.Errorf("exporter: serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, stop := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer stop()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("exporter: shutdown: %w", err)
	}
	return nil
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
