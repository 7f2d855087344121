package facade

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/orkeys/orkeys/secret"
)

// Hints: what to do about an error answer, when orkeys can tell. Each
// becomes APIError.Hint, which Error prints last, so that a CLI can show it
// as it is or reuse it. A hint names a key only in its redacted form.

// apiBasePath is where OpenRouter serves the API on its host.
const apiBasePath = "/api/v1"

// hint returns the hint for an error answer of op sent with key, or "".
func (cfg *config) hint(op *operation, e *APIError, key string) string {
	switch e.StatusCode {
	case http.StatusNotFound:
		if base := cfg.serverURL.Path; !strings.Contains(base, apiBasePath) && routeMissing(op, e) {
			return fmt.Sprintf("the server URL %s lacks %s, the path OpenRouter serves the API under (%s)",
				scrubURL(strings.TrimSuffix(cfg.serverURL.String(), "/"), key), apiBasePath, DefaultServerURL)
		}
	case http.StatusUnauthorized:
		return fmt.Sprintf("the API key was refused: %s, from %s", keyForm(key), cfg.keySource())
	case http.StatusForbidden:
		// Every operation but GET /key needs a management key (the spec's
		// description says so).
		if op.path != opCurrentKey.path {
			return fmt.Sprintf("%s %s needs a management key (%s…); the key sent is %s, from %s",
				op.method, op.path, secret.PrefixMgmt, keyForm(key), cfg.keySource())
		}
	}
	return ""
}

// routeMissing reports whether a 404 says that no operation is at the path,
// rather than that the thing asked for does not exist: for an operation
// without path parameters a 404 can only mean that, and for the others it
// does when the server says so or answers without the API's JSON error (a
// web site's page).
func routeMissing(op *operation, e *APIError) bool {
	return !strings.Contains(op.path, "{") || strings.HasPrefix(e.Message, "No operation") || e.CodeText == ""
}

// keyForm describes key for a hint: its kind and its redacted form.
func keyForm(key string) string {
	switch secret.Prefix(key) {
	case secret.PrefixMgmt:
		return "a management key " + secret.Redact(key)
	case secret.PrefixV1:
		return "an ordinary API key " + secret.Redact(key) + ", not a management key"
	}
	return "a key of no known form (" + secret.Placeholder + "), neither " + secret.PrefixV1 + "… nor " + secret.PrefixMgmt + "…"
}

// keySource names where the call's key came from.
func (cfg *config) keySource() string {
	if cfg.keyFrom == "" {
		return "WithAPIKey"
	}
	return cfg.keyFrom
}

// retryAfterHint explains a retryable answer given up on because its
// Retry-After (wait, read at now) is past what the policy allows: the
// longest single wait (most) or the time left of the budget (left).
func retryAfterHint(wait time.Duration, now time.Time, most, left time.Duration) string {
	limit := fmt.Sprintf("the %v left of the retry budget", max(left, 0).Round(time.Millisecond))
	if wait > most {
		limit = fmt.Sprintf("the longest wait allowed, %v", most)
	}
	return fmt.Sprintf("not retried: the server asked to wait %v, until %s, past %s (see RetryConfig)",
		wait, now.Add(wait).UTC().Format(time.RFC3339), limit)
}
