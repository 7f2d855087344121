package facade

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
)

// DefaultServerURL is OpenRouter's API base, used when neither WithServerURL
// nor OPENROUTER_BASE_URL says otherwise.
const DefaultServerURL = "https://openrouter.ai/api/v1"

// Client talks to OpenRouter's key-management API. It is safe for concurrent
// use; create one and share it.
type Client struct {
	// APIKeys holds the six operations as methods.
	APIKeys *APIKeys
	// Credits is GET /credits as a method.
	Credits *CreditsService
	// Analytics is GET /activity as a method.
	Analytics *AnalyticsService
	// Guardrails, Workspaces and Organization hold the management plane's
	// operations as methods (plane_services.go).
	Guardrails   *GuardrailsService
	Workspaces   *WorkspacesService
	Organization *OrganizationService
	// BYOK holds the provider-key operations as methods.
	BYOK *BYOKService

	// cfg is a pointer so that printing a Client value (fmt.Sprintf("%+v",
	// *c), or a Client held in a struct field fmt cannot call methods on)
	// shows an address rather than the key.
	cfg *config
}

// APIKeys groups the key operations as methods: c.APIKeys.List(ctx, req).
// Each method is a one-line call of its standalone twin (APIKeysList, …).
type APIKeys struct {
	c *Client
}

// config is everything an Option can change. A call copies the client's
// config and applies its own options to the copy.
type config struct {
	cred       *credential // nil when no static key is set
	apiKeyFunc func(context.Context) (string, error)

	serverURL    *url.URL
	insecureHTTP bool
	httpClient   *http.Client
	sendClient   *http.Client // httpClient behind guardRedirects
	guardedFrom  *http.Client // the httpClient sendClient was made from

	// opBase is serverURL resolved the way gen's request builders resolve
	// it; newRequest appends operation paths to it. check derives it when
	// serverURL changes (opBaseFrom), not per request.
	opBase     string
	opBaseFrom *url.URL

	referer    string
	title      string
	categories string
	userAgent  string
	// uaValues is []string{userAgent}, built once per config (check) and
	// shared by its requests: nothing in net/http writes into a request's
	// header values, and the slice has no spare capacity for an append.
	uaValues []string
	// headers holds WithHeader pairs. New clips its capacity, so a per-call
	// WithHeader appends to a fresh array instead of the client's.
	headers []headerPair

	timeout        time.Duration
	attemptTimeout time.Duration
	retry          resolvedRetry
	// pageConcurrency is WithPageConcurrency's n; 0 means the default.
	// pagesPerCall is set when a call's own options gave it.
	pageConcurrency int
	pagesPerCall    bool

	responseInto **http.Response
	bodyInto     *[]byte
	// secrets are the call's own secrets beyond the API key (withSecret):
	// a provider key, cut from every answer and error.
	secrets []string
	logger  *slog.Logger

	// overridden records which environment-fed settings an option set.
	overridden setting
	// hooks run after every attempt (WithAttemptHook).
	hooks []AttemptHook
	// env looks variables up (WithEnv); nil means the process environment.
	env func(string) string
	// keyFrom says where the static key or key function came from, for
	// the hint of a 401: the option's name or $OPENROUTER_API_KEY.
	keyFrom string
	// perCall is set while a call's options are applied, so that an
	// option meaning nothing at that level can refuse itself.
	perCall bool

	// Test seams: the retry loop waits and reads the time through these.
	sleep func(context.Context, time.Duration) error
	now   func() time.Time
}

type headerPair struct{ key, value string }

// credential sits behind a pointer, as config does in Client: fmt prints
// the unexported fields of a struct it reaches, but a pointer two levels down
// only as an address, whatever the verb.
type credential struct {
	key string
	// values is []string{"Bearer " + key}, built once and shared by every
	// request (see uaValues).
	values []string
}

func (c *config) setKey(key string) {
	c.cred = nil
	if key != "" {
		c.cred = &credential{key: key, values: []string{"Bearer " + key}}
	}
}

func (c *config) setHeader(key, value string) {
	for i, h := range c.headers {
		if h.key == key {
			// Copy before writing: the array may be the client's.
			c.headers = slices.Clone(c.headers)
			c.headers[i].value = value
			return
		}
	}
	c.headers = append(c.headers, headerPair{key, value})
}

// New makes a Client. Defaults come from the environment, as in OpenRouter's
// TypeScript SDK: EnvAPIKey, EnvBaseURL, EnvHTTPReferer, EnvAppTitle and
// EnvAppCategories (comma-separated), read through WithEnv's lookup or the
// process environment. Options override them: a variable whose setting an
// option gives is not read at all.
//
// A client without a key is allowed (a key may come per call); a call
// without one fails before sending.
//
// Without WithHTTPClient, requests go through one transport shared by every
// Client of the process: a clone of http.DefaultTransport that keeps up to
// 32 idle connections per host instead of 2, so that concurrent calls (the
// read-ahead of APIKeysListAll, bulk work on many goroutines) reuse their
// connections instead of opening, and for https handshaking, new ones.
func New(opts ...Option) (*Client, error) {
	cfg := config{
		httpClient: pooledClient(),
		userAgent:  defaultUserAgent,
		retry:      defaultRetry,
		sleep:      sleepContext,
		now:        time.Now,
	}
	// The default is a constant known to parse.
	_ = WithServerURL(DefaultServerURL)(&cfg)
	cfg.overridden = 0
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	// The environment fills only what no option set, so a bad variable
	// fails New only if it is used: WithServerURL makes a broken
	// OPENROUTER_BASE_URL irrelevant.
	if err := cfg.applyEnv(); err != nil {
		return nil, err
	}
	if err := cfg.check(); err != nil {
		return nil, err
	}
	cfg.headers = slices.Clip(cfg.headers)
	c := &Client{cfg: &cfg}
	c.APIKeys = &APIKeys{c: c}
	c.Credits = &CreditsService{c: c}
	c.Analytics = &AnalyticsService{c: c}
	c.Guardrails, c.Workspaces, c.Organization = &GuardrailsService{c}, &WorkspacesService{c}, &OrganizationService{c}
	c.BYOK = &BYOKService{c}
	return c, nil
}

// maxIdleConnsPerHost is how many idle connections the pooled transport
// keeps per host. net/http's default, 2, makes concurrent callers close and
// reopen connections: 16 goroutines making 800 calls opened 67 connections.
const maxIdleConnsPerHost = 32

// pooledClient is the client of every Client made without WithHTTPClient,
// built once per process, on first use.
var pooledClient = sync.OnceValue(func() *http.Client {
	dt, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		// The program replaced the default transport (to instrument it,
		// say): keep using it, as http.DefaultClient would.
		return &http.Client{}
	}
	// A clone keeps the proxy, dial, TLS and HTTP/2 settings, as
	// go-retryablehttp's pooled transport does; only the pool is resized.
	t := dt.Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = maxIdleConnsPerHost
	return &http.Client{Transport: t}
})

var defaultUserAgent = fmt.Sprintf("orkeys-go/%s (%s; %s/%s)", Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)

// setting names what an environment variable feeds, so that New can tell
// whether an option replaced it.
type setting uint8

const (
	settingServerURL setting = 1 << iota
	settingAPIKey
	settingReferer
	settingTitle
	settingCategories
)

// The environment variables New reads, as OpenRouter's TypeScript SDK names
// them. They are written here only; the CLI's help text uses these too.
const (
	EnvAPIKey        = "OPENROUTER_API_KEY"
	EnvBaseURL       = "OPENROUTER_BASE_URL"
	EnvHTTPReferer   = "OPENROUTER_HTTP_REFERER"
	EnvAppTitle      = "OPENROUTER_APP_TITLE"
	EnvAppCategories = "OPENROUTER_APP_CATEGORIES"
)

// envSettings maps each variable to the setting it feeds and the option
// that applies it.
var envSettings = []struct {
	name    string
	setting setting
	opt     func(string) Option
}{
	{EnvBaseURL, settingServerURL, WithServerURL},
	{EnvAPIKey, settingAPIKey, func(v string) Option { return WithAPIKey(strings.TrimSpace(v)) }},
	{EnvHTTPReferer, settingReferer, WithHTTPReferer},
	{EnvAppTitle, settingTitle, WithXTitle},
	{EnvAppCategories, settingCategories, func(v string) Option { return WithAppCategories(strings.Split(v, ",")...) }},
}

// applyEnv fills, from the environment, each setting no option gave. An
// empty or blank variable counts as unset.
func (c *config) applyEnv() error {
	lookup := c.env
	if lookup == nil {
		lookup = os.Getenv
	}
	for _, e := range envSettings {
		if c.overridden&e.setting != 0 {
			continue
		}
		v := lookup(e.name)
		if strings.TrimSpace(v) == "" {
			continue
		}
		if err := e.opt(v)(c); err != nil {
			if in, ok := errors.AsType[*InputError](err); ok {
				in.Env = e.name
				return in
			}
			return fmt.Errorf("%w (from $%s)", err, e.name)
		}
		if e.setting == settingAPIKey {
			c.keyFrom = "$" + e.name
		}
	}
	return nil
}

// check validates what only makes sense as a whole, after all options.
func (c *config) check() error {
	if c.serverURL.Scheme == "http" && !c.insecureHTTP && !isLoopback(c.serverURL.Hostname()) {
		return refusef("WithServerURL", "refusing to send the API key over plain http to %s; use https, a loopback host, or WithInsecureHTTP()", scrubURL(c.serverURL.Host))
	}
	if len(c.uaValues) != 1 || c.uaValues[0] != c.userAgent {
		c.uaValues = []string{c.userAgent}
	}
	if c.opBaseFrom != c.serverURL {
		c.opBase = c.serverURL.ResolveReference(&url.URL{Path: "./"}).String()
		c.opBaseFrom = c.serverURL
	}
	if c.guardedFrom != c.httpClient {
		c.sendClient = guardRedirects(c.httpClient)
		c.guardedFrom = c.httpClient
	}
	return nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// String keeps the key out of fmt output of a Client ("%v", "%+v", "%#v"),
// also when it sits in the server URL's path.
func (c *Client) String() string {
	var key string
	if c.cfg.cred != nil {
		key = c.cfg.cred.key
	}
	return fmt.Sprintf("facade.Client{server: %s}", requestURL(c.cfg.serverURL.String(), key))
}

// GoString implements fmt.GoStringer with the same redacted form.
func (c *Client) GoString() string { return c.String() }

// Format prints the redacted form for every verb, so %+v cannot reach the
// fields.
func (c *Client) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// ServerURL returns the base URL the client sends to.
func (c *Client) ServerURL() string { return strings.TrimSuffix(c.cfg.serverURL.String(), "/") }

// callConfig returns the config of one call, merged in this one place: the
// client's, with opts applied on top. Without opts it is the client's config
// itself, unchanged. A call without a key is refused here, before gen builds
// anything: without one nothing can be sent.
func (c *Client) callConfig(ctx context.Context, opts []Option) (*config, error) {
	if ctx == nil {
		return nil, invalid("nil context (use context.Background())")
	}
	cfg := c.cfg
	if len(opts) > 0 {
		merged := *c.cfg
		merged.perCall = true
		for _, o := range opts {
			if o == nil {
				continue
			}
			if err := o(&merged); err != nil {
				return nil, err
			}
		}
		if err := merged.check(); err != nil {
			return nil, err
		}
		cfg = &merged
	}
	if cfg.cred == nil && cfg.apiKeyFunc == nil {
		return nil, refuse("WithAPIKey", "no API key: set "+EnvAPIKey+" or use facade.WithAPIKey")
	}
	return cfg, nil
}

// singleConfig is callConfig for a call that sends one request (every
// operation but the walks of APIKeysListAll): there a per-call
// WithPageConcurrency means nothing, and is refused.
func (c *Client) singleConfig(ctx context.Context, opts []Option) (*config, error) {
	cfg, err := c.callConfig(ctx, opts)
	if err == nil && cfg.pagesPerCall {
		return nil, refuse("WithPageConcurrency", "WithPageConcurrency sets the read-ahead of APIKeysListAll and Find; a call that sends one request has none")
	}
	return cfg, err
}

// scoped is a Client whose config is cfg, already merged: the steps of a
// call made of calls (a rotation) pass it on without options, so that
// theirs are not merged again.
func scoped(cfg *config) *Client { return &Client{cfg: cfg} }
