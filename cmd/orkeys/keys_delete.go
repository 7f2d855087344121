package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/orkeys/orkeys/facade"
)

// deleteOptions is keys delete.
type deleteOptions struct {
	cmdBase
	mutation
	Yes bool
}

func newDeleteCmd(f *factory, conn *clientFlags, runF func(*deleteOptions) error) *cobra.Command {
	o := &deleteOptions{cmdBase: cmdBase{f: f}, mutation: mutation{conn: conn}}
	cmd := &cobra.Command{
		Use:   "delete HASH",
		Short: "Delete a key for good (asks first on a terminal; --yes otherwise)",
		Example: `  orkeys keys delete 3f9a…c1d2
  orkeys keys delete 3f9a…c1d2 --yes --ignore-missing   # in scripts`,
		Args: f.hashArg(&o.Hash),
		RunE: runCommand(o, runF),
	}
	cmd.Flags().BoolVarP(&o.Yes, "yes", "y", false, "delete without asking")
	o.addFlags(cmd)
	return cmd
}

// confirmAsked is whether the command will ask before deleting: on a
// terminal, without --yes, and not for a dry run (nothing is deleted).
func (o *deleteOptions) confirmAsked() bool { return !o.Yes && !o.DryRun }

func (o *deleteOptions) validate() error {
	if o.confirmAsked() && !o.f.isTerminal(o.f.io.In) {
		return usageErrorf("refusing to delete key %s without confirmation: stdin is not a terminal; pass --yes to delete it", o.Hash)
	}
	return nil
}

func (o *deleteOptions) run() error {
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	return o.finish(o.f, rec, o.delete(c), "deleted", "nothing to delete")
}

func (o *deleteOptions) delete(c *facade.Client) error {
	if o.confirmAsked() {
		// Show what is about to go, so that a pasted wrong hash is caught.
		got, err := c.APIKeys.Get(o.ctx, facade.GetKeyRequest{Hash: o.Hash})
		if err != nil {
			return err
		}
		ok, err := confirm(o.ctx, o.f.io.In, o.f.io.ErrOut, fmt.Sprintf("Delete key %q (%s, hash %s)? This cannot be undone. [y/N] ",
			cell(got.Data.Name), cell(got.Data.Label), o.Hash))
		var local *localIOError
		switch {
		case errors.As(err, &local):
			return fmt.Errorf("%w; key %s was not deleted", err, o.Hash)
		case err != nil:
			return declinedf("%v; key %s was not deleted", err, o.Hash)
		case !ok:
			return declinedf("not confirmed; key %s was not deleted", o.Hash)
		}
	}
	var raw []byte
	if _, err := c.APIKeys.Delete(o.ctx, facade.DeleteKeysRequest{Hash: o.Hash}, facade.WithResponseBodyInto(&raw)); err != nil {
		return err
	}
	if o.DryRun {
		return nil
	}
	if o.Output == formatJSON {
		return writeRawJSON(o.f.io.Out, raw)
	}
	_, err := fmt.Fprintf(o.f.io.Out, "Deleted key %s.\n", o.Hash)
	return err
}

// keyMissing reports whether err is the API's 404 for a key hash: the JSON
// error envelope with code 404. A 404 page without it comes from something
// else, such as a --server-url with a wrong path, and must not pass for
// success.
func keyMissing(err error) bool {
	var nf *facade.NotFoundResponseError
	return errors.As(err, &nf) && strings.Contains(nf.Path, "{hash}") && nf.Code == http.StatusNotFound
}

// confirm asks question on w and reads one answer line from r: y or yes
// (any case) confirms, anything else, end of input included, declines.
// Cancelling ctx (Ctrl-C, which main turns into a cancelled context) stops
// the wait; the read itself cannot be interrupted and ends with the process.
// A failure to read stdin is a local I/O error.
func confirm(ctx context.Context, r io.Reader, w io.Writer, question string) (bool, error) {
	fmt.Fprint(w, question)
	type answer struct {
		line string
		err  error
	}
	answered := make(chan answer, 1)
	go func() {
		line, err := bufio.NewReader(r).ReadString('\n')
		answered <- answer{line, err}
	}()
	var ans answer
	select {
	case ans = <-answered:
	case <-ctx.Done():
		fmt.Fprintln(w)
		cause := context.Cause(ctx)
		if cause == context.Canceled {
			cause = errors.New("interrupted") // Ctrl-C; --timeout names itself
		}
		return false, fmt.Errorf("no answer: %w", cause)
	}
	if ans.err != nil && ans.err != io.EOF {
		return false, &localIOError{op: "read input", err: ans.err}
	}
	switch strings.ToLower(strings.TrimSpace(ans.line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// readPassword reads a line from the terminal r with echo off.
func readPassword(r io.Reader) ([]byte, error) {
	f, ok := r.(*os.File)
	if !ok {
		return nil, errors.New("not a terminal")
	}
	return term.ReadPassword(int(f.Fd()))
}

// stdinIsTerminal reports whether r is an interactive terminal (not a
// pipe, a file or /dev/null).
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
