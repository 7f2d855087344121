package main

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Exit codes; exitCodes documents them for --help, and the README and the
// package comment repeat that table (TestExitCodesDocumented).
const (
	exitOK          = 0
	exitError       = 1  // anything not listed below, local I/O included
	exitUsage       = 2  // the command line was wrong; nothing was sent
	exitAuth        = 3  // 401 or 403
	exitNotFound    = 4  // 404
	exitAmbiguous   = 5  // the key may have been created; a rotation is incomplete
	exitRateLimited = 6  // 429 beyond the retry budget
	exitUnavailable = 7  // no connection, no answer in time, or 5XX beyond the retry budget
	exitFound       = 8  // budget check found a key over the threshold, keys audit found something
	exitDeclined    = 9  // a delete or apply not confirmed at its prompt
	exitPending     = 10 // plan found changes pending, or a field fixed at creation that differs
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
	{exitFound, "found: `orkeys budget check` found a key over the threshold, or `orkeys keys audit` found something to look at"},
	{exitDeclined, "not confirmed: a delete or `apply` was declined or interrupted at its prompt; nothing was changed"},
	{exitPending, "not in sync: `orkeys plan` found what `orkeys apply` would change, or a field fixed at creation (a key's workspace or expiry) that differs"},
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
// the old). It exits 5; a facade.MaybeCreatedError is one too.
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

// bodyErr marks an error returned by a command's run, as opposed to
// cobra's own (an unknown command), which are usage errors.
type bodyErr struct{ err error }

func (e *bodyErr) Error() string { return e.err.Error() }
func (e *bodyErr) Unwrap() error { return e.err }

// fromCobra makes cobra's own errors (an unknown command, say) the usage
// errors they are; errors from command bodies and hooks pass unchanged.
func fromCobra(err error) error {
	var ee *exitErr
	var body *bodyErr
	if err == nil || errors.As(err, &ee) || errors.As(err, &body) {
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
