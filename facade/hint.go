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
		switch {
		case op.path == opCurrentKey.path:
		case secret.Prefix(key) == secret.PrefixMgmt:
			// The right kind of key, refused all the same: saying it
			// needs one would send the reader looking for another.
			return fmt.Sprintf("%s %s was refused though the key sent is a management key %s, from %s: it may lack this permission, or the thing asked for may belong to another organization",
				op.method, op.path, secret.Redact(key), cfg.keySource())
		default:
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
		// Management keys made before sk-or-mgmt- keys share this form.
		return "an " + secret.PrefixV1 + " key " + secret.Redact(key) + " (an ordinary key, or a management key older than the " + secret.PrefixMgmt + " form)"
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
