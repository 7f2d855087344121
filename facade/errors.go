package facade

import (
	"bytes"
	"encoding/json"
	"fmt"
	"github.com/orkeys/orkeys/secret"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// APIError is every non-2XX answer. Each documented status also has its own
// type (NotFoundResponseError, …) that wraps an *APIError, so both
//
//	var nf *facade.NotFoundResponseError; errors.As(err, &nf)
//	var api *facade.APIError;             errors.As(err, &api)
//
// work on the same error.
type APIError struct {
	// StatusCode is the HTTP status, such as 404.
	StatusCode int
	// Code is the envelope's error.code when it is a number (usually the
	// status), else 0; CodeText holds it as sent, number or string.
	Code     int
	CodeText string
	// Message is error.message, or a short excerpt of a body that is not
	// the documented JSON envelope.
	Message string
	// Metadata is error.metadata; nil when absent or null.
	Metadata map[string]any
	// Header is the response's header.
	Header http.Header
	// Body is the raw response body, read up to 1 MiB.
	Body []byte
	// RetryAfter is the server's Retry-After or retry-after-ms hint; 0 when
	// it sent none.
	RetryAfter time.Duration

	// Method and Path name the operation, with the path as a template
	// ("/keys/{hash}") so that no identifier lands in logs by accident.
	Method string
	Path   string
}

// Error is one line: openrouter: 404 Not Found: Resource not found (GET /keys/{hash}).
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("openrouter: ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	if t := http.StatusText(e.StatusCode); t != "" {
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Method != "" {
		fmt.Fprintf(&b, " (%s %s)", e.Method, e.Path)
	}
	return b.String()
}

// The error types named after the TypeScript SDK's, one per documented status.
type (
	// BadRequestResponseError is a 400: a malformed request or a value out of range.
	BadRequestResponseError struct{ *APIError }
	// UnauthorizedResponseError is a 401: no key, or one the API does not know.
	UnauthorizedResponseError struct{ *APIError }
	// ForbiddenResponseError is a 403: a valid key that may not do this, such
	// as a regular key calling /keys.
	ForbiddenResponseError struct{ *APIError }
	// NotFoundResponseError is a 404: no key has that hash.
	NotFoundResponseError struct{ *APIError }
	// TooManyRequestsResponseError is a 429; RetryAfter holds the server's hint.
	TooManyRequestsResponseError struct{ *APIError }
	// InternalServerResponseError is a 500.
	InternalServerResponseError struct{ *APIError }
	// OpenRouterDefaultError is any other 4XX or 5XX.
	OpenRouterDefaultError struct{ *APIError }
)

func (e *BadRequestResponseError) Unwrap() error      { return e.APIError }
func (e *UnauthorizedResponseError) Unwrap() error    { return e.APIError }
func (e *ForbiddenResponseError) Unwrap() error       { return e.APIError }
func (e *NotFoundResponseError) Unwrap() error        { return e.APIError }
func (e *TooManyRequestsResponseError) Unwrap() error { return e.APIError }
func (e *InternalServerResponseError) Unwrap() error  { return e.APIError }
func (e *OpenRouterDefaultError) Unwrap() error       { return e.APIError }

// typed wraps e in the type for its status.
func (e *APIError) typed() error {
	switch e.StatusCode {
	case http.StatusBadRequest:
		return &BadRequestResponseError{e}
	case http.StatusUnauthorized:
		return &UnauthorizedResponseError{e}
	case http.StatusForbidden:
		return &ForbiddenResponseError{e}
	case http.StatusNotFound:
		return &NotFoundResponseError{e}
	case http.StatusTooManyRequests:
		return &TooManyRequestsResponseError{e}
	case http.StatusInternalServerError:
		return &InternalServerResponseError{e}
	}
	return &OpenRouterDefaultError{e}
}

// errorEnvelope is read loosely: OpenRouter documents error.code as a number
// but has sent strings, and proxies in front of it send HTML or plain text.
type errorEnvelope struct {
	Error json.RawMessage `json:"error"`
}

type errorDetail struct {
	Code     json.RawMessage `json:"code"`
	Message  string          `json:"message"`
	Metadata map[string]any  `json:"metadata"`
}

// excerptLen bounds the part of an undecodable body shown in Message.
const excerptLen = 200

// decodeAPIError builds an *APIError from a non-2XX response. It never fails:
// whatever the body holds, the status survives. key, the API key the request
// carried, and every key-shaped token (either prefix, a new key's plaintext
// included) are cut out of the body, message, metadata and header names and
// values, raw or JSON-escaped ("\u0073k-or-…"): a server echoing a key must
// not put it into an error.
func decodeAPIError(status int, header http.Header, body []byte, key string) *APIError {
	body = secret.ScrubBytes(body, key)
	e := &APIError{StatusCode: status, Header: secret.ScrubHeader(header, key), Body: body}

	var env errorEnvelope
	if json.Unmarshal(body, &env) == nil && len(env.Error) > 0 {
		var d errorDetail
		var s string
		switch {
		case json.Unmarshal(env.Error, &d) == nil:
			e.Message = d.Message
			e.Metadata = d.Metadata
			e.Code, e.CodeText = parseCode(d.Code)
		case json.Unmarshal(env.Error, &s) == nil:
			e.Message = s
		}
	}
	if e.Message == "" {
		e.Message = excerpt(body)
	}
	// What was decoded may spell a key that the raw bytes escaped in a way
	// the body scrub could not see, so scrub the decoded strings too.
	e.Message = secret.Scrub(oneLine(e.Message), key)
	e.CodeText = secret.Scrub(e.CodeText, key)
	e.Metadata, _ = scrub(e.Metadata, key).(map[string]any)
	return e
}

// scrub cuts keys out of every string inside a decoded JSON value, object
// member names included.
func scrub(v any, key string) any {
	switch v := v.(type) {
	case string:
		return secret.Scrub(v, key)
	case map[string]any:
		clean := make(map[string]any, len(v))
		for k, x := range v {
			clean[secret.Scrub(k, key)] = scrub(x, key)
		}
		return clean
	case []any:
		for i, x := range v {
			v[i] = scrub(x, key)
		}
	}
	return v
}

func parseCode(raw json.RawMessage) (int, string) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		n, _ := strconv.Atoi(strings.TrimSpace(s))
		return n, s
	}
	var f float64
	if json.Unmarshal(raw, &f) == nil && f == float64(int(f)) {
		return int(f), string(raw)
	}
	return 0, string(raw)
}

// excerpt returns the start of a body as one short line of valid UTF-8.
func excerpt(body []byte) string {
	b := bytes.TrimSpace(body)
	if len(b) == 0 {
		return ""
	}
	truncated := false
	if len(b) > excerptLen {
		b = b[:excerptLen]
		truncated = true
	}
	// A cut inside a multi-byte character leaves an invalid tail, which
	// ToValidUTF8 drops.
	s := strings.ToValidUTF8(string(b), "")
	if truncated {
		s += "…"
	}
	return s
}

// oneLine folds runs of white space and control characters (every kind of
// line break included) into single spaces, so that an error is one printable
// line.
func oneLine(s string) string {
	clean := true
	for _, r := range s {
		if r != ' ' && (unicode.IsSpace(r) || unicode.IsControl(r)) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// RotateOldKeyError reports a rotation that created the successor but could
// not disable or delete the old key. Both keys may now be live: the
// successor's plaintext is in the RotateKeyResponse returned beside this
// error, and the old key is best switched off by hand (it may also have
// been, if the step failed after the server acted, as on a timeout). It
// unwraps to the step's error, so errors.As finds the typed API error
// (*ForbiddenResponseError, …) or errors.Is a context error.
type RotateOldKeyError struct {
	// Action is the step that failed: RotateDisableOld or RotateDeleteOld.
	Action OldKeyAction
	// OldHash is the key being replaced; NewHash is its successor's.
	OldHash, NewHash string
	Err              error
}

func (e *RotateOldKeyError) Error() string {
	return fmt.Sprintf("orkeys: rotate %s: successor %s was created, but the old key could not be %s: %v",
		e.OldHash, e.NewHash, e.Action.pastTense(), e.Err)
}

func (e *RotateOldKeyError) Unwrap() error { return e.Err }
