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

	"github.com/orkeys/orkeys/facade"
)

// classify is the one mapping from a command's error to its exit code and
// the one line printed after "orkeys: ": what went wrong and what to do.
// The order matters: local I/O first (a syscall.Errno such as ENOSPC
// satisfies net.Error and would pass for a network failure), then the
// outcomes only the CLI knows, then the library's input errors, then the
// server's answers and the network. The line is sanitized: it may quote a
// server's message or a name.
func (f *factory) classify(err error) (int, string) {
	if err == nil {
		return exitOK, ""
	}
	code, msg := f.classifyRaw(err)
	return code, sanitize(msg)
}

func (f *factory) classifyRaw(err error) (int, string) {
	var (
		undelivered *undeliveredError
		local       *localIOError
		ee          *exitErr
		amb         *ambiguousError
		maybe       *facade.MaybeCreatedError
		in          *facade.InputError
		te          *timeoutError
		api         *facade.APIError
	)
	switch {
	case errors.As(err, &undelivered):
		return undelivered.code, undelivered.Error()
	case errors.As(err, &local):
		return exitError, trimPrefix(err.Error())
	case errors.As(err, &ee):
		return ee.code, trimPrefix(ee.err.Error())
	case errors.As(err, &amb):
		return exitAmbiguous, trimPrefix(amb.Error())
	case errors.As(err, &maybe):
		kind, check := maybeCreatedCheck(maybe.Kind, cell(maybe.Name))
		return exitAmbiguous, fmt.Sprintf("%s: the %s %q may have been created; check with '%s' before creating it again",
			f.failure(maybe.Err), kind, cell(maybe.Name), check)
	case errors.As(err, &in):
		return exitUsage, inputMessage(in)
	case errors.Is(err, facade.ErrInvalidInput):
		return exitUsage, trimPrefix(err.Error())
	case errors.As(err, &te):
		msg := fmt.Sprintf("--timeout %s ran out before %s answered", te.after, f.serverName())
		switch {
		case errors.As(err, &api):
			msg += fmt.Sprintf(" (last answer: %d %s)", api.StatusCode, http.StatusText(api.StatusCode))
		case isTransport(err):
			msg += fmt.Sprintf(" (last attempt: %s)", transportReason(err))
		}
		return exitUnavailable, msg + "; raise --timeout, or check the server"
	case errors.Is(err, context.DeadlineExceeded):
		return exitUnavailable, f.failure(err) + "; check that the server is up and that --server-url or " + envBaseURL + " names it"
	case errors.As(err, &api):
		// The library's hint (APIError.Hint) ends its message; the CLI
		// says it in its own words, once.
		msg := trimPrefix(err.Error())
		if api.Hint != "" {
			msg = strings.TrimSuffix(msg, ": "+api.Hint)
		}
		return apiExit(api.StatusCode), msg + apiHint(api)
	case isTransport(err):
		return exitUnavailable, f.failure(err) + "; check that the server is up and that --server-url or " + envBaseURL + " names it"
	case errors.Is(err, context.Canceled):
		return exitError, "interrupted"
	}
	return exitError, trimPrefix(err.Error())
}

// apiExit maps an API status to an exit code. Every typed error
// (*NotFoundResponseError, …) wraps an *APIError, so the status decides.
func apiExit(status int) int {
	switch s := status; {
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
}

// isTransport reports whether err is a failure to reach the server or to
// get its answer. Local I/O errors never get here (classify checks them
// first), and a bare net.Error is not enough: syscall.Errno is one.
func isTransport(err error) bool {
	var ue *url.Error
	var op *net.OpError
	var dns *net.DNSError
	return errors.As(err, &ue) || errors.As(err, &op) || errors.As(err, &dns) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET)
}

// failure describes a failed call without the facade's request details:
// "cannot reach URL: connection refused (gave up after 7 attempts)".
func (f *factory) failure(err error) string {
	var api *facade.APIError
	if errors.As(err, &api) || !(isTransport(err) || errors.Is(err, context.DeadlineExceeded)) {
		return trimPrefix(err.Error())
	}
	msg := fmt.Sprintf("cannot reach %s: %s", f.serverName(), transportReason(err))
	if n := attempts(err); n > 1 {
		msg += fmt.Sprintf(" (gave up after %d attempts)", n)
	}
	return msg
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
		// The inner error can quote a URL (a bad redirect's Location).
		return showURL(ue.Err.Error())
	}
	return showURL(trimPrefix(err.Error()))
}

// apiHint says what to do about an API error, as a "; …" suffix: the
// library's hint where it has one (it knows the key's kind and where it
// came from), with what to change in CLI terms.
func apiHint(api *facade.APIError) string {
	switch s := api.StatusCode; {
	case api.Hint != "" && s == http.StatusUnauthorized:
		return "; " + api.Hint + ": check it"
	case api.Hint != "" && s == http.StatusForbidden && strings.Contains(api.Hint, "though the key sent is a management key"):
		return "; " + api.Hint
	case api.Hint != "" && s == http.StatusForbidden:
		return "; " + api.Hint + " ('orkeys key' tells which kind a key is)"
	case api.Hint != "" && s == http.StatusNotFound:
		return "; " + api.Hint + ": check --server-url or " + envBaseURL
	case s == http.StatusUnauthorized:
		return "; the server does not accept the key in " + envAPIKey + ": check it"
	case s == http.StatusForbidden && strings.Contains(api.Path, "/keys"):
		return "; the key in " + envAPIKey + " may not do this: the keys commands need a management key ('orkeys key' tells which kind it is)"
	case s == http.StatusForbidden:
		return "; the key in " + envAPIKey + " may not do this: this command needs a management key ('orkeys key' tells which kind it is)"
	case s == http.StatusNotFound && strings.Contains(api.Path, "{hash}"):
		return "; no key has this hash ('orkeys keys list --include-disabled' shows them)"
	case s == http.StatusNotFound && planeNotFound(api) != "":
		return planeNotFound(api)
	case s == http.StatusNotFound:
		return "; check --server-url or " + envBaseURL + ": it should end in /api/v1"
	case s == http.StatusTooManyRequests && api.RetryAfter > 0:
		return fmt.Sprintf("; rate limited: the server asks to wait %s before trying again", api.RetryAfter.Round(time.Second))
	case s == http.StatusTooManyRequests:
		return "; rate limited: wait a minute and try again"
	case s >= 500, s == http.StatusRequestTimeout:
		return "; the server is failing or overloaded: try again later"
	}
	return ""
}

// inputFlags names, for each setting the facade may refuse, what a CLI
// user typed instead: a flag, an argument or an environment variable.
var inputFlags = map[string]string{
	"WithServerURL":                         "--server-url",
	"WithAPIKey":                            envAPIKey,
	"WithHTTPReferer":                       "--http-referer",
	"WithXTitle":                            "--app-title",
	"WithAppCategories":                     "--app-categories",
	"ListRequest.Offset":                    "--offset",
	"ListRequest.WorkspaceID":               "--workspace",
	"FindKeysRequest.Name":                  "NAME",
	"FindKeysRequest.WorkspaceID":           "--workspace",
	"CreateKeysRequestBody.Name":            "--name",
	"CreateKeysRequestBody.Limit":           "--limit",
	"CreateKeysRequestBody.LimitReset":      "--limit-reset",
	"CreateKeysRequestBody.WorkspaceID":     "--workspace",
	"CreateKeysRequestBody.External.User":   "--external-user",
	"CreateKeysRequestBody.ExpiresAt":       "--expires-at",
	"UpdateKeysRequestBody.Name":            "--name",
	"UpdateKeysRequestBody.Limit":           "--limit",
	"UpdateKeysRequestBody.LimitReset":      "--limit-reset",
	"RotateKeyRequest.Name":                 "--name",
	"RotateKeyRequest.ExpiresAt":            "--expires-at",
	"ParseThreshold":                        "--over",
	"GetUserActivityRequest.APIKeyHash":     "--key",
	"GetUserActivityRequest.Date":           "--date",
	"GetKeyRequest.Hash":                    "HASH",
	"UpdateKeysRequest.Hash":                "HASH",
	"DeleteKeysRequest.Hash":                "HASH",
	"RotateKeyRequest.Hash":                 "HASH",
	"CreateKeysRequestBody.External.APIKey": "external.api_key",
}

// insecureRemedy is the one Go option name a refusal's text suggests as
// the way out, in the words the CLI has always used.
var insecureRemedy = strings.NewReplacer("or WithInsecureHTTP()", "or pass --insecure-http on a network you trust")

// inputMessage is a refused input in the CLI's terms: the flag (or
// variable) named from the error's Setting, then the problem without the
// Go name of the setting.
func inputMessage(in *facade.InputError) string {
	problem := insecureRemedy.Replace(in.Problem)
	if in.Env != "" {
		return fmt.Sprintf("$%s: %s", in.Env, problem)
	}
	flag, ok := inputFlags[in.Setting]
	if !ok {
		return problem
	}
	if rest, cut := strings.CutPrefix(problem, in.Setting); cut {
		return flag + strings.TrimPrefix(rest, ":")
	}
	return flag + ": " + problem
}

// trimPrefix drops the facade's "orkeys: " prefix; run adds its own.
func trimPrefix(msg string) string { return strings.TrimPrefix(msg, "orkeys: ") }

// shellQuote quotes s for a command line shown in a message.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// maybeCreatedCheck names what a create of kind may have made and the
// listing that shows it: advice to list keys after a lost guardrail create
// finds nothing, and invites a duplicate.
func maybeCreatedCheck(kind, name string) (what, check string) {
	switch kind {
	case "guardrail":
		return "guardrail", "orkeys guardrails list"
	case "workspace":
		return "workspace", "orkeys workspaces list"
	case "byok":
		return "provider key", "orkeys byok list"
	default:
		return "key", fmt.Sprintf("orkeys keys find %q --all-workspaces", name)
	}
}
