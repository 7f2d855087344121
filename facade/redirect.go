package facade

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// errRedirectPolicy marks the redirect limit; retrying will not help.
var errRedirectPolicy = errors.New("stopped after 10 redirects")

// redirectRefusal refuses to carry a request other than GET or HEAD (a
// create, whose body holds external.api_key) to another origin. It counts
// as errRedirectPolicy, so that it is not retried either.
type redirectRefusal struct {
	status int
	method string
}

func (e *redirectRefusal) Error() string {
	return fmt.Sprintf("refusing to follow a %d redirect of %s to another origin", e.status, e.method)
}

func (e *redirectRefusal) Is(target error) bool { return target == errRedirectPolicy }

// client returns the *http.Client to send with: a shallow copy of the
// configured one whose redirect policy strips credentials. It is built once
// per config (see check), not per request.
func (c *config) client() *http.Client {
	if c.sendClient != nil {
		return c.sendClient
	}
	return c.httpClient
}

// guardRedirects wraps hc so that nothing derived from the configured
// server goes to another origin (scheme, host and port of the first
// request, not of the previous hop):
//   - a redirect to another origin never carries Authorization. Go's client
//     already drops it when the host changes, but not when only the port or
//     scheme does;
//   - no redirect carries Referer, which net/http sets to the previous URL,
//     path included, and so to a key held in the server URL's path;
//   - a request other than GET or HEAD (a create above all, whose body a
//     307 or 308 would resend) is not followed to another origin at all:
//     the call fails with a redirectRefusal.
func guardRedirects(hc *http.Client) *http.Client {
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		req.Header.Del("Referer")
		if !sameOrigin(req.URL, via[0].URL) {
			if m := via[0].Method; m != http.MethodGet && m != http.MethodHead {
				refusal := &redirectRefusal{method: m}
				if req.Response != nil {
					refusal.status = req.Response.StatusCode
				}
				return refusal
			}
			req.Header.Del("Authorization")
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 {
			return errRedirectPolicy
		}
		return nil
	}
	return &guarded
}

func sameOrigin(a, b *url.URL) bool {
	return strings.EqualFold(a.Scheme, b.Scheme) &&
		strings.EqualFold(a.Hostname(), b.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(u *url.URL) string {
	if p := u.Port(); p != "" {
		return p
	}
	if strings.EqualFold(u.Scheme, "https") {
		return "443"
	}
	return "80"
}
