package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/secret"
)

// Exit codes; exitCodes documents them for --help, and the README and the
// package comment repeat that table (TestExitCodeTableInREADME).
const (
	exitOK          = 0
	exitError       = 1 // anything not listed below
	exitUsage       = 2 // the command line was wrong; nothing was sent
	exitAuth        = 3 // 401 or 403
	exitNotFound    = 4 // 404
	exitAmbiguous   = 5 // the key may have been created; a rotation is incomplete
	exitRateLimited = 6 // 429 beyond the retry budget
	exitUnavailable = 7 // no connection, no answer in time, or 5XX beyond the retry budget
	exitOverBudget  = 8 // orkeys budget check found a key over the threshold
	exitDeclined    = 9 // keys delete not confirmed at its prompt
)

var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitError, "any other error"},
	{exitUsage, "usage or invalid input: a bad flag, value or argument, or no key; nothing was sent"},
	{exitAuth, "authentication or permission: the API answered 401 or 403"},
	{exitNotFound, "not found: the API answered 404"},
	{exitAmbiguous, "ambiguous: the key may have been created, or a rotation is incomplete; check with `orkeys keys list` before re-running"},
	{exitRateLimited, "rate limited: still 429 when the retries ran out"},
	{exitUnavailable, "unavailable: no connection, no answer in time (--timeout too), or still 5XX when the retries ran out"},
	{exitOverBudget, "over budget: `orkeys budget check` found a key over the threshold"},
	{exitDeclined, "not confirmed: `keys delete` was declined or interrupted at its prompt; nothing was deleted"},
}

// exitCodeTable is exitCodes as text for --help.
func exitCodeTable(indent string) string {
	var b strings.Builder
	for _, c := range exitCodes {
		fmt.Fprintf(&b, "%s%d  %s\n", indent, c.code, strings.ReplaceAll(c.meaning, "`", "'"))
	}
	return b.String()
}

// exitErr is an error whose exit code the CLI decided itself: usage
// errors and a declined confirmation.
type exitErr struct {
	code int
	err  error
	// hint says whether to point at --help.
	hint bool
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

// usageErrorf reports a bad command line: exit code 2, nothing sent.
func usageErrorf(format string, args ...any) error {
	return &exitErr{code: exitUsage, err: fmt.Errorf(format, args...), hint: true}
}

// declinedf reports a confirmation the user did not give: exit code 9.
func declinedf(format string, args ...any) error {
	return &exitErr{code: exitDeclined, err: fmt.Errorf(format, args...)}
}

// ambiguousError is an outcome the CLI cannot know: the server may or may not
// have acted (a create whose answer was lost), or a multi-step command
// stopped half way (a rotation that created the new key but did not delete
// the old). It exits 5. Commands return it through ambiguous; a
// facade.MaybeCreatedError is one too.
type ambiguousError struct {
	err   error
	check string // what to look at before running the command again
}

// ambiguous marks err as an ambiguous outcome; check says how to find out
// what happened, e.g. "orkeys keys list --all".
func ambiguous(err error, check string) error {
	return &ambiguousError{err: err, check: check}
}

func (e *ambiguousError) Error() string {
	return fmt.Sprintf("%v; the outcome is unknown: check with %s before running it again", e.err, e.check)
}

func (e *ambiguousError) Unwrap() error { return e.err }

// timeoutError is a command cut off by --timeout.
type timeoutError struct {
	after time.Duration
	err   error
}

func (e *timeoutError) Error() string { return fmt.Sprintf("--timeout %s ran out: %v", e.after, e.err) }
func (e *timeoutError) Unwrap() error { return e.err }

// bodyErr marks an error returned by a command's body (runE), as opposed to
// cobra's own (an unknown command), which are usage errors.
type bodyErr struct{ err error }

func (e *bodyErr) Error() string { return e.err.Error() }
func (e *bodyErr) Unwrap() error { return e.err }

// runE adapts a command body so that run can tell its errors from cobra's.
func runE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		if err := fn(cmd, args); err != nil {
			var ee *exitErr
			if errors.As(err, &ee) {
				return err
			}
			return &bodyErr{err}
		}
		return nil
	}
}

// exitCode is the one mapping from an error to the process exit code. The
// order matters: an ambiguous create wraps a 5XX or a transport error, and a
// call cut off by --timeout may carry the last attempt's 429.
func exitCode(err error) int {
	if err == nil {
		return exitOK
	}
	var (
		ee    *exitErr
		amb   *ambiguousError
		maybe *facade.MaybeCreatedError
		te    *timeoutError
		api   *facade.APIError
	)
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.As(err, &amb), errors.As(err, &maybe):
		return exitAmbiguous
	case errors.Is(err, facade.ErrInvalidInput):
		return exitUsage
	case errors.As(err, &te), errors.Is(err, context.DeadlineExceeded):
		return exitUnavailable
	case errors.As(err, &api):
		// Every typed error (*NotFoundResponseError, …) wraps an
		// *APIError, so the status decides, typed or not (502, 503, …).
		switch s := api.StatusCode; {
		case s == http.StatusUnauthorized || s == http.StatusForbidden:
			return exitAuth
		case s == http.StatusNotFound:
			return exitNotFound
		case s == http.StatusTooManyRequests:
			return exitRateLimited
		case s >= 500 || s == http.StatusRequestTimeout:
			return exitUnavailable
		}
		return exitError
	case isTransport(err):
		return exitUnavailable
	}
	return exitError
}

// isTransport reports whether err is a failure to reach the server or to
// get its answer.
func isTransport(err error) bool {
	var ue *url.Error
	var ne net.Error
	return errors.As(err, &ue) || errors.As(err, &ne) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// fromCobra makes cobra's own errors (an unknown command, say) the usage
// errors they are; errors from command bodies and hooks pass unchanged.
func fromCobra(err error) error {
	var ee *exitErr
	var body *bodyErr
	if errors.As(err, &ee) || errors.As(err, &body) {
		return err
	}
	return &exitErr{code: exitUsage, err: err, hint: true}
}

// wantsHelpHint reports whether to point at --help after the message:
// for usage errors, not for failures of a well-formed command.
func wantsHelpHint(err error) bool {
	var ee *exitErr
	return errors.As(err, &ee) && ee.hint
}

// explain turns err into the one line printed after "orkeys: ": what went
// wrong and what to do about it. It never includes the API key (the
// facade's errors do not hold it, and the CLI adds only URLs and flags).
func (a *app) explain(err error) string {
	var (
		ee    *exitErr
		amb   *ambiguousError
		maybe *facade.MaybeCreatedError
		te    *timeoutError
		api   *facade.APIError
	)
	switch {
	case errors.As(err, &ee):
		return clean(ee.err.Error())
	case errors.As(err, &amb):
		return clean(amb.Error())
	case errors.As(err, &maybe):
		return fmt.Sprintf("%s: the key %q may have been created; check with 'orkeys keys list --all --include-disabled' before creating it again",
			a.failure(maybe.Err), maybe.Name)
	case errors.Is(err, facade.ErrInvalidInput):
		return clean(err.Error())
	case errors.As(err, &te):
		msg := fmt.Sprintf("--timeout %s ran out before %s answered", te.after, a.serverName())
		switch {
		case errors.As(err, &api):
			msg += fmt.Sprintf(" (last answer: %d %s)", api.StatusCode, http.StatusText(api.StatusCode))
		case isTransport(err):
			msg += fmt.Sprintf(" (last attempt: %s)", transportReason(err))
		}
		return msg + "; raise --timeout, or check the server"
	case errors.As(err, &api):
		return clean(err.Error()) + apiHint(api)
	case isTransport(err), errors.Is(err, context.DeadlineExceeded):
		return a.failure(err) + "; check that the server is up and that --server-url or OPENROUTER_BASE_URL names it"
	case errors.Is(err, context.Canceled):
		return "interrupted"
	}
	return clean(err.Error())
}

// failure describes a failed call without the facade's request details:
// "cannot reach URL: connection refused (gave up after 7 attempts)".
func (a *app) failure(err error) string {
	var api *facade.APIError
	if errors.As(err, &api) || !(isTransport(err) || errors.Is(err, context.DeadlineExceeded)) {
		return clean(err.Error())
	}
	msg := fmt.Sprintf("cannot reach %s: %s", a.serverName(), transportReason(err))
	if n := attempts(err); n > 1 {
		msg += fmt.Sprintf(" (gave up after %d attempts)", n)
	}
	return msg
}

func (a *app) serverName() string {
	if a.server == "" {
		return "the server"
	}
	return a.server
}

// attempts is how many attempts a failed call made (1 when not retried).
func attempts(err error) int {
	var re *facade.RetryError
	if errors.As(err, &re) {
		return re.Attempts
	}
	return 1
}

// transportReason names a transport failure in a few words, without the
// request URL the transport's own message repeats.
func transportReason(err error) string {
	var (
		dns  *net.DNSError
		cert *tls.CertificateVerificationError
		ne   net.Error
		ue   *url.Error
	)
	switch {
	case errors.As(err, &dns):
		return fmt.Sprintf("cannot resolve %s: %s", dns.Name, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return "connection refused"
	case errors.Is(err, syscall.ECONNRESET):
		return "connection reset by the server"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "no answer in time"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "the server closed the connection without answering"
	case errors.As(err, &cert):
		return "TLS certificate not accepted: " + cert.Err.Error()
	case errors.As(err, &ue):
		// The inner error can quote a URL (a bad redirect's Location):
		// key-shaped tokens go, as in every error the facade returns.
		return secret.Scrub(ue.Err.Error())
	}
	return clean(secret.Scrub(err.Error()))
}

// apiHint says what to do about an API error, as a "; …" suffix.
func apiHint(api *facade.APIError) string {
	switch s := api.StatusCode; {
	case s == http.StatusUnauthorized:
		return "; the server does not accept the key in OPENROUTER_API_KEY: check it"
	case s == http.StatusForbidden:
		return "; the key in OPENROUTER_API_KEY may not do this: the keys commands need a management key ('orkeys key' tells which kind it is)"
	case s == http.StatusNotFound && strings.Contains(api.Path, "{hash}"):
		return "; no key has this hash ('orkeys keys list --include-disabled' shows them)"
	case s == http.StatusNotFound:
		return "; check --server-url or OPENROUTER_BASE_URL: it should end in /api/v1"
	case s == http.StatusTooManyRequests && api.RetryAfter > 0:
		return fmt.Sprintf("; rate limited: the server asks to wait %s before trying again", api.RetryAfter.Round(time.Second))
	case s == http.StatusTooManyRequests:
		return "; rate limited: wait a minute and try again"
	case s >= 500, s == http.StatusRequestTimeout:
		return "; the server is failing or overloaded: try again later"
	}
	return ""
}

// goNames maps the facade's Go option names, which its messages mention,
// to what a CLI user types instead.
var goNames = strings.NewReplacer(
	// The plain-http refusal, in the words the CLI has always used.
	"or WithInsecureHTTP()", "or pass --insecure-http on a network you trust",
	"WithInsecureHTTP()", "--insecure-http",
	"facade.WithAPIKey", "OPENROUTER_API_KEY",
	"WithAPIKey", "OPENROUTER_API_KEY",
	"WithServerURL", "--server-url",
)

// clean drops the facade's "orkeys: " prefix (run adds its own) and speaks
// in flags rather than Go options.
func clean(msg string) string {
	return goNames.Replace(strings.TrimPrefix(msg, "orkeys: "))
}
