package main

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// withIgnoreMissing adds --ignore-missing to keys delete: a key that is
// already gone is what the command wanted, so a script can run it again
// (or after a retried DELETE whose first answer was lost).
func (a *app) withIgnoreMissing(cmd *cobra.Command) *cobra.Command {
	var on bool
	cmd.Flags().BoolVar(&on, "ignore-missing", false, "exit 0 when no key has this hash (the API answers 404)")
	inner := cmd.RunE
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		err := inner(cmd, args)
		if !on || !keyMissing(err) {
			return err
		}
		if f := cmd.Flags().Lookup("output"); f != nil && f.Value.String() == string(formatJSON) {
			return writeJSON(a.stdout, map[string]bool{"deleted": false})
		}
		_, err = fmt.Fprintf(a.stdout, "No key has hash %s; nothing to delete.\n", args[0])
		return err
	})
	return cmd
}

// keyMissing reports whether err is the API's 404 for a key hash: the JSON
// error envelope with code 404. A 404 page without it comes from something
// else, such as a --server-url with a wrong path, and must not pass for
// success.
func keyMissing(err error) bool {
	var nf *facade.NotFoundResponseError
	return errors.As(err, &nf) && strings.Contains(nf.Path, "{hash}") && nf.Code == http.StatusNotFound
}
