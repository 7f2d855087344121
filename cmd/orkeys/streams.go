package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
)

// iostreams are one invocation's streams. Stdout is buffered (output), so
// that a command decides when what it printed is delivered: a plaintext is
// flushed, and the error of the flush checked, before anything
// irreversible follows it.
type iostreams struct {
	In     io.Reader
	Out    *output
	ErrOut io.Writer
}

// output buffers stdout until Flush. The first failed write sticks: every
// later Write and Flush returns it, so that no command carries on as if a
// key had been delivered.
type output struct {
	w   io.Writer
	buf bytes.Buffer
	err error
}

func newOutput(w io.Writer) *output { return &output{w: w} }

func (o *output) Write(p []byte) (int, error) {
	if o.err != nil {
		return 0, o.err
	}
	return o.buf.Write(p)
}

// Flush writes what is buffered to stdout and reports whether it got
// there. A broken pipe is an error here, not a silent death: main ignores
// SIGPIPE.
func (o *output) Flush() error {
	if o.err != nil || o.buf.Len() == 0 {
		return o.err
	}
	_, err := o.w.Write(o.buf.Bytes())
	o.buf.Reset()
	if err != nil {
		o.err = &localIOError{op: "write output", err: err}
	}
	return o.err
}

// file is stdout as a file, for telling whether it is a terminal.
func (o *output) file() (*os.File, bool) {
	f, ok := o.w.(*os.File)
	return f, ok
}

// localIOError is a failure of this machine's own I/O: writing stdout or
// a file, reading stdin. It is never the server's fault (exit 1, not 7).
type localIOError struct {
	op  string // "write output", "read input"
	err error
}

func (e *localIOError) Error() string { return fmt.Sprintf("cannot %s: %v", e.op, e.err) }
func (e *localIOError) Unwrap() error { return e.err }

// undeliveredError is output that failed after the API made something:
// made says what now exists ("key 3f9a… (ci) was created"), next what to
// do about it. code is the exit code: 1 for a create, 5 for a rotation
// (the old key is untouched, two keys may be live).
type undeliveredError struct {
	err  error
	made string
	next string
	code int
}

func (e *undeliveredError) Error() string {
	return fmt.Sprintf("%v; %s, but its plaintext was not delivered: %s", e.err, e.made, e.next)
}
func (e *undeliveredError) Unwrap() error { return e.err }

// deliver flushes stdout after a key was created; when that fails, the
// error says which key exists and how to get rid of it.
func (f *factory) deliver(hash, name string, code int, next string) error {
	err := f.io.Out.Flush()
	if err == nil {
		return nil
	}
	if next == "" {
		next = fmt.Sprintf("delete it with 'orkeys keys delete %s --yes' and create it again", hash)
	}
	return &undeliveredError{err: err, made: fmt.Sprintf("key %s (%q) was created", hash, name), next: next, code: code}
}
