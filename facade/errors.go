package facade

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
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

	// Hint says what to do about the error when orkeys can tell, such as
	// "the server URL lacks /api/v1"; "" otherwise. Error ends with it.
	// It names a key only in redacted form.
	Hint string
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
	if e.Hint != "" {
		b.WriteString(": ")
		b.WriteString(e.Hint)
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

// ErrInvalidInput matches, through errors.Is, every error orkeys returns for
// input it refused before sending anything: a bad option, request field or
// environment variable. Callers such as a CLI can tell "fix your input" from
// API and network failures with it:
//
//	if errors.Is(err, facade.ErrInvalidInput) { … exit 2 … }
var ErrInvalidInput = errors.New("orkeys: invalid input")

// InputError is input refused before anything was sent. It matches
// ErrInvalidInput, and its fields say what was refused, so that a program
// (a CLI naming its own flags, a form naming its fields) can point at the
// input without parsing the message:
//
//	var in *facade.InputError
//	if errors.As(err, &in) && in.Setting == "WithServerURL" { … }
type InputError struct {
	// Setting names what was refused, as a Go program writes it: an option
	// ("WithServerURL", "WithAPIKey", "WithInsecureHTTP"), or a request
	// field ("ListRequest.Offset", "CreateKeysRequestBody.Limit"). It is ""
	// when the refusal is about no one setting (a nil context).
	Setting string
	// Env is the environment variable that supplied the value ("" when an
	// option or a request did), such as EnvBaseURL.
	Env string
	// Problem is the whole refusal in Go terms, setting named: for example
	// "ListRequest.Offset -3: must not be negative".
	Problem string
	// Hint says what to use instead, when there is something ("use
	// WithAPIKey"); "" otherwise. Error ends with it.
	Hint string
}

// Error is the problem and where the value came from:
// "orkeys: server URL \"ftp://x\": scheme must be http or https (from $OPENROUTER_BASE_URL)".
func (e *InputError) Error() string {
	msg := "orkeys: " + e.Problem
	if e.Env != "" {
		msg += " (from $" + e.Env + ")"
	}
	if e.Hint != "" {
		msg += ": " + e.Hint
	}
	return msg
}

// Is makes errors.Is(err, ErrInvalidInput) hold.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// invalid refuses input that is about no one setting.
func invalid(problem string) error { return &InputError{Problem: problem} }

// refuse refuses setting's value; problem is the whole message, which names
// the setting as a Go programmer knows it.
func refuse(setting, problem string) error {
	return &InputError{Setting: setting, Problem: problem}
}

// refusef is refuse with a formatted problem.
func refusef(setting, format string, args ...any) error {
	return &InputError{Setting: setting, Problem: fmt.Sprintf(format, args...)}
}

// RetryError reports that a call gave up after more than one attempt. It
// unwraps to the last attempt's error (an *APIError or a transport error).
type RetryError struct {
	Attempts int
	Err      error
}

func (e *RetryError) Error() string {
	return fmt.Sprintf("giving up after %d attempts: %v", e.Attempts, e.Err)
}

func (e *RetryError) Unwrap() error { return e.Err }

// scrubbedError shows a scrubbed message for err and unwraps to it, so that
// errors.Is and errors.As still reach the cause.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func wrapAttempts(err error, attempts int) error {
	if attempts <= 1 {
		return err
	}
	return &RetryError{Attempts: attempts, Err: err}
}

// MaybeCreatedError reports that a create (POST /keys, or another operation
// that is not idempotent) failed in a way that leaves open whether the thing
// was created (a 5XX, a timeout, or a connection lost after the request went
// out). orkeys does not retry it, since a retry could make a second one (for
// a key, a second live key); list them by this name to find out.
type MaybeCreatedError struct {
	// Name is the name the create gave.
	Name string
	// Kind is what was being created, such as "key"; "" means "key".
	Kind string
	Err  error
}

func (e *MaybeCreatedError) Error() string {
	kind := e.Kind
	switch kind {
	case "":
		kind = "key"
	case "byok":
		kind = "provider key" // POST /byok's path is no word
	}
	return fmt.Sprintf("%v: the %s may have been created; list %ss named %q to check before creating it again", e.Err, kind, kind, e.Name)
}

func (e *MaybeCreatedError) Unwrap() error { return e.Err }

// tooLargeError is a success body over the cap. Another attempt would
// bring the same body, so it is not retried.
type tooLargeError struct{ limit int64 }

func (e *tooLargeError) Error() string {
	return "response body exceeds the " + sizeText(e.limit) + " cap"
}

// sizeText writes n bytes as MiB or KiB when it is a whole number of them.
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
