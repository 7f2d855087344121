package facade

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// errRedirectPolicy marks the redirect limit; retrying will not help.
var errRedirectPolicy = errors.New("stopped after 10 redirects")

// client returns the *http.Client to send with: a shallow copy of the
// configured one whose redirect policy strips credentials. It is built once
// per config (see check), not per request.
func (c *config) client() *http.Client {
	if c.sendClient != nil {
		return c.sendClient
	}
	return c.httpClient
}

// guardRedirects wraps hc so that a redirect to another scheme, host or port
// never carries Authorization. Go's client already drops it when the host
// changes, but not when only the port or scheme does.
func guardRedirects(hc *http.Client) *http.Client {
	guarded := *hc
	next := hc.CheckRedirect
	guarded.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(req.URL, via[0].URL) {
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
