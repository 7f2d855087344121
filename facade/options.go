package facade

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// Option configures a Client (in New) or a single call (as the trailing
// arguments of every operation). Per-call options are applied after the
// client's, so they override it for that call only. An Option that is given
// invalid input makes New, or the call, return an error before anything is
// sent.
type Option func(*config) error

// WithAPIKey sets the bearer key sent with every request. It overrides
// OPENROUTER_API_KEY and any earlier WithAPIKeyFunc.
func WithAPIKey(key string) Option {
	return func(c *config) error {
		if err := checkAPIKey(key); err != nil {
			return err
		}
		c.setKey(key)
		c.apiKeyFunc = nil
		c.overridden |= settingAPIKey
		c.keyFrom = "WithAPIKey"
		return nil
	}
}

// WithAPIKeyFunc asks fn for the key before every attempt, for keys that
// rotate. An error from fn fails the call without sending anything.
func WithAPIKeyFunc(fn func(context.Context) (string, error)) Option {
	return func(c *config) error {
		if fn == nil {
			return refuse("WithAPIKeyFunc", "WithAPIKeyFunc: nil function")
		}
		c.apiKeyFunc = fn
		c.setKey("")
		c.overridden |= settingAPIKey
		c.keyFrom = "WithAPIKeyFunc"
		return nil
	}
}

// WithEnv makes New read the OPENROUTER_* variables (EnvAPIKey, …) through
// lookup instead of the process environment: a CLI passes its own, and
// tests pass a map's lookup instead of changing process variables. A nil
// lookup means the process environment. It matters to New only: a call
// given it is refused (ErrInvalidInput), since a call reads no variables.
func WithEnv(lookup func(string) string) Option {
	return func(c *config) error {
		if c.perCall {
			return refuse("WithEnv", "WithEnv is read by New only: a call reads no environment; give it to New")
		}
		c.env = lookup
		return nil
	}
}

// WithServerURL sets the API's base URL, such as
// "https://openrouter.ai/api/v1" (the default) or a fake server's URL.
func WithServerURL(raw string) Option {
	return func(c *config) error {
		u, err := parseServerURL(raw)
		if err != nil {
			return err
		}
		c.serverURL = u
		c.overridden |= settingServerURL
		return nil
	}
}

// WithHTTPClient sets the *http.Client that sends requests. orkeys uses a
// shallow copy whose redirect policy also drops credentials on a redirect to
// another scheme, host or port; the client's Transport is used as is.
// Without it, every Client of the process shares one pooled transport sized
// for concurrent calls (see New).
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return refuse("WithHTTPClient", "WithHTTPClient: nil client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithPageConcurrency sets how many page requests APIKeysListAll (and
// Client.APIKeys.All) keeps in flight ahead of the loop: n ≥ 1, default
// DefaultPageConcurrency (4). 1 fetches each page only when the loop needs
// it. Given to New it is the walks' default; given to a call that sends one
// request (APIKeysGet, …) it is refused (ErrInvalidInput), since it means
// nothing there.
func WithPageConcurrency(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return refusef("WithPageConcurrency", "WithPageConcurrency(%d): want at least 1", n)
		}
		c.pageConcurrency = n
		c.pagesPerCall = c.perCall
		return nil
	}
}

// WithHTTPReferer sends HTTP-Referer, the URL OpenRouter attributes usage to.
func WithHTTPReferer(referer string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("HTTP-Referer", referer); err != nil {
			return err
		}
		c.referer = referer
		c.overridden |= settingReferer
		return nil
	}
}

// WithXTitle sends the app's display name as X-OpenRouter-Title and, for
// older deployments, X-Title.
func WithXTitle(title string) Option {
	return func(c *config) error {
		if err := checkHeaderValue("X-OpenRouter-Title", title); err != nil {
			return err
		}
		c.title = title
		c.overridden |= settingTitle
		return nil
	}
}

// WithAppCategories sends X-OpenRouter-Categories, a comma-separated list.
// Empty entries are an error rather than being dropped.
func WithAppCategories(categories ...string) Option {
	return func(c *config) error {
		cleaned := make([]string, len(categories))
		for i, cat := range categories {
			cleaned[i] = strings.TrimSpace(cat)
			if cleaned[i] == "" || strings.Contains(cat, ",") {
				return refusef("WithAppCategories", "WithAppCategories: category %d (%q) must be non-empty and contain no comma", i, cat)
			}
			if err := checkHeaderValue("X-OpenRouter-Categories", cat); err != nil {
				return err
			}
		}
		c.categories = strings.Join(cleaned, ",")
		c.overridden |= settingCategories
		return nil
	}
}

// WithHeader sets an extra request header. It replaces an earlier value of
// the same header; the headers orkeys manages (Authorization, Accept,
// Content-Type, Content-Length, User-Agent) cannot be set this way.
func WithHeader(key, value string) Option {
	return func(c *config) error {
		canon := textproto.CanonicalMIMEHeaderKey(key)
		if !validHeaderName(key) {
			return refusef("WithHeader", "WithHeader: invalid header name %q", key)
		}
		switch canon {
		case "Authorization":
			return &InputError{Setting: "WithHeader", Problem: "WithHeader: Authorization is set by orkeys from the API key",
				Hint: "use WithAPIKey (or WithAPIKeyFunc for a key that rotates)"}
		case "User-Agent":
			return &InputError{Setting: "WithHeader", Problem: "WithHeader: User-Agent is set by orkeys", Hint: "use WithUserAgent"}
		case "Accept", "Content-Type", "Content-Length", "Host":
			return refusef("WithHeader", "WithHeader: %s is set by orkeys for each request", canon)
		}
		if err := checkHeaderValue(canon, value); err != nil {
			return err
		}
		c.setHeader(canon, value)
		return nil
	}
}

// WithTimeout bounds a whole call, retries and waits included. Zero means no
// bound beyond the context's.
func WithTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return refusef("WithTimeout", "WithTimeout: negative duration %v", d)
		}
		c.timeout = d
		return nil
	}
}

// WithAttemptTimeout bounds each attempt; a timed-out attempt is retried
// when the retry policy and the overall budget allow. Zero means no bound.
func WithAttemptTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return refusef("WithAttemptTimeout", "WithAttemptTimeout: negative duration %v", d)
		}
		c.attemptTimeout = d
		return nil
	}
}

// WithRetryConfig sets the retry policy; see RetryConfig for the rules.
func WithRetryConfig(rc RetryConfig) Option {
	return func(c *config) error {
		resolved, err := rc.resolve()
		if err != nil {
			return err
		}
		c.retry = resolved
		return nil
	}
}

// WithUserAgent replaces the User-Agent header ("orkeys-go/VERSION").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" {
			return refuse("WithUserAgent", "WithUserAgent: empty user agent")
		}
		if err := checkHeaderValue("User-Agent", ua); err != nil {
			return err
		}
		c.userAgent = ua
		return nil
	}
}

// WithResponseInto stores the last raw *http.Response of a call in *dst,
// errors included. Its body has already been read and closed. It is a
// per-call option: New refuses it (ErrInvalidInput), since every call would
// write the same *dst, a data race when calls run concurrently.
func WithResponseInto(dst **http.Response) Option {
	return func(c *config) error {
		if dst == nil {
			return refuse("WithResponseInto", "WithResponseInto: nil destination")
		}
		if !c.perCall {
			return refuse("WithResponseInto", "WithResponseInto is per call: give it to the call, not to New, where every call would write the same destination")
		}
		c.responseInto = dst
		return nil
	}
}

// WithResponseBodyInto stores a copy of a successful call's raw JSON body in
// *dst: the API's own bytes, with any fields this version of orkeys does not
// model (the decoded value drops them). *dst is left alone when the call
// fails; APIError.Body holds an error's body. Like WithResponseInto it is a
// per-call option, refused by New.
func WithResponseBodyInto(dst *[]byte) Option {
	return func(c *config) error {
		if dst == nil {
			return refuse("WithResponseBodyInto", "WithResponseBodyInto: nil destination")
		}
		if !c.perCall {
			return refuse("WithResponseBodyInto", "WithResponseBodyInto is per call: give it to the call, not to New, where every call would write the same destination")
		}
		c.bodyInto = dst
		return nil
	}
}

// WithLogger logs one Debug record per attempt and a Warn record when a call
// gives up. Records hold the method, path template, status, attempt number,
// wait and duration: never header values, bodies or keys.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		c.logger = l
		return nil
	}
}

// WithInsecureHTTP allows sending the key over plain http:// to a host that
// is not loopback. Without it such a server URL is refused.
func WithInsecureHTTP() Option {
	return func(c *config) error {
		c.insecureHTTP = true
		return nil
	}
}

func parseServerURL(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		// url.Error repeats the whole URL, credentials included; keep only
		// its reason.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return nil, refusef("WithServerURL", "server URL %s: %s", describeURL(raw), scrubURL(err.Error()))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, refusef("WithServerURL", "server URL %q: scheme must be http or https", scrubURL(masked(u)))
	}
	if u.Host == "" {
		return nil, refusef("WithServerURL", "server URL %q: no host", scrubURL(masked(u)))
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return nil, refusef("WithServerURL", "server URL %q: must not hold credentials, a query or a fragment", scrubURL(masked(u)))
	}
	// gen joins operation paths onto the base; a trailing slash keeps the
	// last segment ("v1") from being replaced.
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
		if u.RawPath != "" {
			u.RawPath += "/"
		}
	}
	return u, nil
}

// masked is u for an error message, with the parts that may carry a token
// masked: user info (url.URL.Redacted masks a password but not a token
// given as a bare user name, as in https://TOKEN@host), query and fragment.
func masked(u *url.URL) string {
	m := *u
	if m.User != nil {
		m.User = url.User("xxxxx")
	}
	if m.RawQuery != "" || m.ForceQuery {
		m.RawQuery, m.ForceQuery = "xxxxx", false
	}
	if m.Fragment != "" {
		m.Fragment, m.RawFragment = "xxxxx", ""
	}
	return m.String()
}

// requestURL is a request URL for an error, such as the one net/http puts
// into a *url.Error: user info and fragment masked as masked does, the
// query kept (it is the operation's own, or a redirect's) and, everywhere,
// key-shaped tokens and secrets cut out.
func requestURL(raw string, secrets ...string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return shownURL(raw, secrets...) // unquoted: *url.Error quotes it
	}
	m := *u
	if m.User != nil {
		m.User = url.User("xxxxx")
	}
	if m.Fragment != "" {
		m.Fragment, m.RawFragment = "xxxxx", ""
	}
	return scrubURL(m.String(), secrets...)
}

// scrubURL cuts keys and secrets out of a URL string, in every escaped
// form (secret.ScrubURL).
func scrubURL(s string, secrets ...string) string { return secret.ScrubURL(s, secrets...) }

// describeURL quotes a URL that failed to parse without what may carry a
// credential: nothing at all when it holds an @ (user:password@), else
// without its query and fragment, and with keys cut out.
func describeURL(raw string, secrets ...string) string {
	if strings.Contains(raw, "@") {
		return shownURL(raw) // a note, not the URL: no quotes
	}
	return strconv.Quote(shownURL(raw, secrets...))
}

// shownURL is describeURL's text, unquoted.
func shownURL(raw string, secrets ...string) string {
	if strings.Contains(raw, "@") {
		return "(not shown: it holds an @, possibly credentials)"
	}
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i+1] + "xxxxx"
	}
	return scrubURL(raw, secrets...)
}

func checkAPIKey(key string) error {
	if key == "" {
		return refuse("WithAPIKey", "empty API key")
	}
	for i := 0; i < len(key); i++ {
		// Never echo the key itself: only where it is broken.
		if b := key[i]; b <= ' ' || b == 0x7f {
			return refusef("WithAPIKey", "API key has a space or control character at byte %d", i)
		}
	}
	return nil
}

func checkHeaderValue(name, v string) error {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return refusef("WithHeader", "header %s: control character at byte %d", name, i)
		}
	}
	return nil
}

func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		b := name[i]
		if b <= ' ' || b >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, b) >= 0 {
			return false
		}
	}
	return true
}
