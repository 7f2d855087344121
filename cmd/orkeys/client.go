package main

import (
	"errors"
	"io"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// clientFlags are the connection and attribution flags shared by every
// command that talks to the API.
type clientFlags struct {
	serverURL    string
	referer      string
	title        string
	categories   []string
	retries      int
	insecureHTTP bool
}

func (cf *clientFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&cf.serverURL, "server-url", "", "API base URL (default $"+facade.EnvBaseURL+", else "+facade.DefaultServerURL+")")
	fs.IntVar(&cf.retries, "retries", 0, "retry a failed call at most N times; 0 makes one attempt (default: retry for about 15s)")
	fs.BoolVar(&cf.insecureHTTP, "insecure-http", false, "allow a plain http:// --server-url that is not loopback (the key travels unencrypted)")
	fs.StringVar(&cf.referer, "http-referer", "", "your app's URL, sent as HTTP-Referer (default $OPENROUTER_HTTP_REFERER)")
	fs.StringVar(&cf.title, "app-title", "", "your app's name, sent as X-OpenRouter-Title (default $OPENROUTER_APP_TITLE)")
	fs.StringSliceVar(&cf.categories, "app-categories", nil, "comma-separated app categories, sent as X-OpenRouter-Categories (default $OPENROUTER_APP_CATEGORIES)")
}

// missingKeyError explains how to provide a key; it is a usage error since
// nothing can be sent without one.
func missingKeyError() error {
	return &exitErr{code: exitUsage, err: errors.New(`no API key: set OPENROUTER_API_KEY, for example
  export OPENROUTER_API_KEY=sk-or-v1-…
The keys commands need a management key (made in your OpenRouter account settings);
'orkeys key' works with any key, and 'orkeys demo' needs none`)}
}

// The CLI fails fast: a person or a script is waiting, so a wrong URL or a
// stopped server must not take the library's default two minutes of
// retries. Retries stop starting 15 s after the first attempt, and an
// attempt that gets no answer is cut off after attemptTimeout (the library
// has no per-attempt bound by default).
const (
	retryBudget    = 15 * time.Second
	attemptTimeout = 30 * time.Second
)

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

// retryOptions turns --retries into the retry policy and a hook that
// reports retries to w.
func (a *app) retryOptions(fs *pflag.FlagSet, cf *clientFlags, w io.Writer, policy facade.RetryConfig) ([]facade.Option, error) {
	if fs.Changed("retries") {
		if cf.retries < 0 {
			return nil, usageErrorf("--retries %d: want 0 (a single attempt) or more", cf.retries)
		}
		policy = retryConfig(cf.retries, true)
	}
	return []facade.Option{
		facade.WithRetryConfig(policy),
		facade.WithAttemptHook(retryReporter(w, &a.stats)),
	}, nil
}

// newClient builds a facade client from the flags and the environment. The
// key comes from OPENROUTER_API_KEY only, never from a flag, so that it stays
// out of shell history and process listings. Retries are reported on logTo.
func (a *app) newClient(fs *pflag.FlagSet, cf *clientFlags, logTo io.Writer) (*facade.Client, error) {
	if strings.TrimSpace(a.env(facade.EnvAPIKey)) == "" {
		return nil, missingKeyError()
	}
	retry, err := a.retryOptions(fs, cf, logTo, retryConfig(0, false))
	if err != nil {
		return nil, err
	}
	// The facade reads the key, the base URL and the attribution from the
	// CLI's environment itself; flags given override it.
	opts := append([]facade.Option{
		facade.WithEnv(a.env),
		facade.WithAttemptTimeout(attemptTimeout),
	}, retry...)
	if fs.Changed("server-url") {
		opts = append(opts, facade.WithServerURL(cf.serverURL))
	}
	if cf.insecureHTTP {
		opts = append(opts, facade.WithInsecureHTTP())
	}
	opts = append(opts, cf.attribution(fs)...)
	opts = append(opts, a.clientOptions...)
	c, err := facade.New(opts...)
	if err != nil {
		return nil, usageErrorf("%w", err)
	}
	a.server = c.ServerURL()
	if a.onClient != nil {
		if err := a.onClient(c); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// attribution is the part of options that names the calling app: the flags
// given (the facade falls back to the environment for the rest).
func (cf *clientFlags) attribution(fs *pflag.FlagSet) []facade.Option {
	var opts []facade.Option
	if fs.Changed("http-referer") {
		opts = append(opts, facade.WithHTTPReferer(cf.referer))
	}
	if fs.Changed("app-title") {
		opts = append(opts, facade.WithXTitle(cf.title))
	}
	if fs.Changed("app-categories") {
		opts = append(opts, facade.WithAppCategories(cf.categories...))
	}
	return opts
}
