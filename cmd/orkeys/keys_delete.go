package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/orkeys/orkeys/facade"
)

func (a *app) keysDeleteCmd(cf *clientFlags) *cobra.Command {
	var yes bool
	cmd := &cobra.Command{
		Use:   "delete HASH",
		Short: "Delete a key for good (asks first on a terminal; --yes otherwise)",
		Example: `  orkeys keys delete 3f9a…c1d2
  orkeys keys delete 3f9a…c1d2 --yes   # in scripts`,
		Args: a.hashArg,
	}
	out := addOutputFlag(cmd, apiJSON)
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "delete without asking")

	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		hash := args[0]
		interactive := a.isTerminal(a.stdin)
		if !yes && !interactive {
			return usageErrorf("refusing to delete key %s without confirmation: stdin is not a terminal; pass --yes to delete it", hash)
		}
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		ctx := cmd.Context()
		if !yes {
			// Show what is about to go, so that a pasted wrong hash is caught.
			got, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: hash})
			if err != nil {
				return err
			}
			ok, err := confirm(ctx, a.stdin, a.stderr, fmt.Sprintf("Delete key %q (%s, hash %s)? This cannot be undone. [y/N] ",
				cell(got.Data.Name), cell(got.Data.Label), hash))
			if err != nil {
				return declinedf("%v; key %s was not deleted", err, hash)
			}
			if !ok {
				return declinedf("not confirmed; key %s was not deleted", hash)
			}
		}
		var raw []byte
		if _, err := c.APIKeys.Delete(ctx, facade.DeleteKeysRequest{Hash: hash}, facade.WithResponseBodyInto(&raw)); err != nil {
			return err
		}
		if *out == formatJSON {
			return writeRawJSON(a.stdout, raw)
		}
		_, err = fmt.Fprintf(a.stdout, "Deleted key %s.\n", hash)
		return err
	})
	return cmd
}

// confirm asks question on w and reads one answer line from r: y or yes
// (any case) confirms, anything else, end of input included, declines.
// Cancelling ctx (Ctrl-C, which main turns into a cancelled context) stops
// the wait; the read itself cannot be interrupted and ends with the process.
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
		return false, fmt.Errorf("reading the answer: %w", ans.err)
	}
	switch strings.ToLower(strings.TrimSpace(ans.line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}

// stdinIsTerminal reports whether r is an interactive terminal (not a
// pipe, a file or /dev/null).
func stdinIsTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
