package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/term"

	"github.com/orkeys/orkeys/facade"
)

// The environment the CLI reads, in one place. The facade reads its own
// variables (facade.EnvAPIKey, facade.EnvBaseURL, the attribution ones)
// through WithEnv; the CLI names them only in help and messages.
const (
	envAPIKey  = facade.EnvAPIKey  // OPENROUTER_API_KEY: the key, never a flag
	envBaseURL = facade.EnvBaseURL // OPENROUTER_BASE_URL
	envColumns = "COLUMNS"         // the width tables fit
)

// The CLI fails fast: a person or a script is waiting, so a wrong URL or a
// stopped server must not take the library's default two minutes of
// retries. Retries stop starting retryBudget after the first attempt, and
// an attempt that gets no answer is cut off after attemptTimeout (the
// library has no per-attempt bound by default).
const (
	retryBudget    = 15 * time.Second
	attemptTimeout = 30 * time.Second
)

// factory is one invocation of the CLI: its streams, its environment, and
// the one place where flags and environment become a facade client. Every
// command, demo, --dry-run and the exporter included, gets its client
// here.
type factory struct {
	io  *iostreams
	env func(string) string
	// isTerminal reports whether stdin is an interactive terminal; delete
	// asks for confirmation only there. Tests replace it.
	isTerminal func(io.Reader) bool
	// readHidden reads one line from the terminal r without echo (a
	// provider key typed at a prompt). Tests replace it.
	readHidden func(r io.Reader) ([]byte, error)

	// Set by the root command's flags and hook.
	timeout       durationValue
	cancelTimeout context.CancelFunc
	cmdCtx        context.Context
	// server is the base URL of the client made last, for messages.
	server string
	// stats counts the attempts of the command's API calls.
	stats callStats
}

func newFactory(stdin io.Reader, stdout, stderr io.Writer, env func(string) string) *factory {
	return &factory{
		io:         &iostreams{In: stdin, Out: newOutput(stdout), ErrOut: stderr},
		env:        env,
		isTerminal: stdinIsTerminal,
		readHidden: readPassword,
	}
}

// clientFlags are the connection and attribution flags of every command
// that talks to the API.
type clientFlags struct {
	fs           *pflag.FlagSet
	serverURL    string
	referer      string
	title        string
	categories   []string
	retries      countValue
	insecureHTTP bool
}

func addClientFlags(fs *pflag.FlagSet) *clientFlags {
	cf := &clientFlags{fs: fs}
	fs.StringVar(&cf.serverURL, "server-url", "", "API base URL (default $"+envBaseURL+", else "+facade.DefaultServerURL+")")
	fs.Var(&cf.retries, "retries", "retry a failed call at most N times; 0 makes one attempt (default: retry for about 15s)")
	fs.BoolVar(&cf.insecureHTTP, "insecure-http", false, "allow a plain http:// --server-url that is not loopback (the key travels unencrypted)")
	fs.StringVar(&cf.referer, "http-referer", "", "your app's URL, sent as HTTP-Referer (default $OPENROUTER_HTTP_REFERER)")
	fs.StringVar(&cf.title, "app-title", "", "your app's name, sent as X-OpenRouter-Title (default $OPENROUTER_APP_TITLE)")
	fs.StringSliceVar(&cf.categories, "app-categories", nil, "comma-separated app categories, sent as X-OpenRouter-Categories (default $OPENROUTER_APP_CATEGORIES)")
	return cf
}

// clientSpec is what a command asks of its client beyond the flags.
type clientSpec struct {
	// logTo gets the retry lines; nil means stderr.
	logTo io.Writer
	// dryRun, when set, is the transport: it records and stands in for
	// every request that changes something.
	dryRun *dryRun
	// apiKey and serverURL replace the environment's: the demo's
	// in-process fake. retry replaces the CLI's default policy.
	apiKey, serverURL string
	retry             *facade.RetryConfig
}

// missingKeyError explains how to provide a key; it is a usage error since
// nothing can be sent without one.
func missingKeyError() error {
	return &exitErr{code: exitUsage, err: errors.New("no API key: set " + envAPIKey + ", such as export " + envAPIKey + "=sk-or-mgmt-…; " +
		"every command that calls the API needs a management key (made in your OpenRouter account settings) except 'orkeys key', which works with any key; " +
		"'orkeys demo', 'orkeys fake-server' and 'orkeys schema' need none")}
}

// newClient builds the facade client from cf, the environment and s. The
// key comes from OPENROUTER_API_KEY only, never from a flag, so that it
// stays out of shell history and process listings.
func (f *factory) newClient(cf *clientFlags, s clientSpec) (*facade.Client, error) {
	opts := []facade.Option{facade.WithEnv(f.env), facade.WithAttemptTimeout(attemptTimeout)}
	switch {
	case s.apiKey != "":
		opts = append(opts, facade.WithAPIKey(s.apiKey), facade.WithServerURL(s.serverURL))
	case strings.TrimSpace(f.env(envAPIKey)) == "":
		return nil, missingKeyError()
	}
	policy := retryConfig(0, false)
	if s.retry != nil {
		policy = *s.retry
	}
	if cf.retries.set {
		policy = retryConfig(cf.retries.n, true)
	}
	logTo := s.logTo
	if logTo == nil {
		logTo = f.io.ErrOut
	}
	opts = append(opts, facade.WithRetryConfig(policy), facade.WithAttemptHook(retryReporter(logTo, &f.stats)))
	if s.apiKey == "" && cf.fs.Changed("server-url") {
		opts = append(opts, facade.WithServerURL(cf.serverURL))
	}
	if cf.insecureHTTP {
		opts = append(opts, facade.WithInsecureHTTP())
	}
	if cf.fs.Changed("http-referer") {
		opts = append(opts, facade.WithHTTPReferer(cf.referer))
	}
	if cf.fs.Changed("app-title") {
		opts = append(opts, facade.WithXTitle(cf.title))
	}
	if cf.fs.Changed("app-categories") {
		opts = append(opts, facade.WithAppCategories(cf.categories...))
	}
	if s.dryRun != nil {
		opts = append(opts, facade.WithHTTPClient(&http.Client{Transport: s.dryRun}))
	}
	c, err := facade.New(opts...)
	if err != nil {
		return nil, err // an *facade.InputError: classify names the flag
	}
	f.server = c.ServerURL()
	return c, nil
}

// clientFor is the client of a command that changes something: with
// dry (--dry-run), over the recording transport, which it returns too.
func (f *factory) clientFor(cf *clientFlags, dry bool) (*facade.Client, *dryRun, error) {
	var rec *dryRun
	if dry {
		rec = f.newDryRun()
	}
	c, err := f.newClient(cf, clientSpec{dryRun: rec})
	return c, rec, err
}

// newDryRun is the recording transport for --dry-run, with the key to
// scrub from what it shows.
func (f *factory) newDryRun() *dryRun {
	return &dryRun{next: http.DefaultTransport, apiKey: strings.TrimSpace(f.env(envAPIKey))}
}

// retryConfig is the policy for --retries: the short budget when the flag is
// not given, else exactly retries retries (RetryConfig.MaxRetries) with no
// time budget, which --timeout provides.
func retryConfig(retries int, given bool) facade.RetryConfig {
	if given && retries == 0 {
		return facade.RetryConfig{Strategy: facade.StrategyNone}
	}
	budget := retryBudget
	if given {
		budget = 24 * time.Hour
	}
	rc := facade.RetryConfig{
		Backoff: &facade.BackoffStrategy{
			InitialInterval: 500 * time.Millisecond,
			MaxInterval:     5 * time.Second,
			MaxElapsedTime:  budget,
		},
	}
	if given {
		rc.MaxRetries = facade.Ptr(retries)
	}
	return rc
}

// tableWidth is the width tables should fit: $COLUMNS when set, else the
// terminal's when stdout is one, else 0 (no limit: a pipe gets full values).
func (f *factory) tableWidth() int {
	if n, err := strconv.Atoi(strings.TrimSpace(f.env(envColumns))); err == nil && n > 0 {
		return n
	}
	if file, ok := f.io.Out.file(); ok && term.IsTerminal(int(file.Fd())) {
		if w, _, err := term.GetSize(int(file.Fd())); err == nil && w > 0 {
			return w
		}
	}
	return 0
}

// serverName is the server of the command's client, fit to print.
func (f *factory) serverName() string {
	if f.server == "" {
		return "the server"
	}
	return showURL(f.server)
}
