package main

import (
	"errors"
	"strings"

	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// clientFlags are the connection and attribution flags shared by every
// command that talks to the API.
type clientFlags struct {
	serverURL  string
	referer    string
	title      string
	categories []string
}

func (cf *clientFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&cf.serverURL, "server-url", "", "API base URL (default $OPENROUTER_BASE_URL, else "+facade.DefaultServerURL+")")
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

// newClient builds a facade client from the flags and the environment. The
// key comes from OPENROUTER_API_KEY only, never from a flag, so that it stays
// out of shell history and process listings.
func (a *app) newClient(fs *pflag.FlagSet, cf *clientFlags, extra ...facade.Option) (*facade.Client, error) {
	key := strings.TrimSpace(a.env("OPENROUTER_API_KEY"))
	if key == "" {
		return nil, missingKeyError()
	}
	// Retries show on stderr, so that a wait is never a silent hang and
	// stdout stays clean for -o json.
	opts := []facade.Option{facade.WithAPIKey(key), facade.WithLogger(newRetryLogger(a.stderr, new(callStats)))}
	opts = append(opts, cf.options(fs, a.env)...)
	opts = append(opts, extra...)
	c, err := facade.New(opts...)
	if err != nil {
		return nil, usageErrorf("%w", err)
	}
	return c, nil
}

// options turns the flags, or the environment variables they default to,
// into facade options. A flag the user set wins even when it is empty.
func (cf *clientFlags) options(fs *pflag.FlagSet, env func(string) string) []facade.Option {
	var opts []facade.Option
	if v, ok := pick(fs, env, "server-url", cf.serverURL, "OPENROUTER_BASE_URL"); ok {
		opts = append(opts, facade.WithServerURL(v))
	}
	return append(opts, cf.attribution(fs, env)...)
}

// attribution is the part of options that names the calling app.
func (cf *clientFlags) attribution(fs *pflag.FlagSet, env func(string) string) []facade.Option {
	var opts []facade.Option
	if v, ok := pick(fs, env, "http-referer", cf.referer, "OPENROUTER_HTTP_REFERER"); ok {
		opts = append(opts, facade.WithHTTPReferer(v))
	}
	if v, ok := pick(fs, env, "app-title", cf.title, "OPENROUTER_APP_TITLE"); ok {
		opts = append(opts, facade.WithXTitle(v))
	}
	if fs.Changed("app-categories") {
		opts = append(opts, facade.WithAppCategories(cf.categories...))
	} else if v := strings.TrimSpace(env("OPENROUTER_APP_CATEGORIES")); v != "" {
		opts = append(opts, facade.WithAppCategories(strings.Split(v, ",")...))
	}
	return opts
}

// pick returns the flag's value when the user set it, else the environment
// variable's; ok is false when neither says anything.
func pick(fs *pflag.FlagSet, env func(string) string, flag, value, envName string) (v string, ok bool) {
	if fs.Changed(flag) {
		return value, true
	}
	v = strings.TrimSpace(env(envName))
	return v, v != ""
}
