package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// Argument and flag errors say what the command wants, in the CLI's words:
// cobra's and pflag's own messages name Go parsers and flag groups.

// noArgs refuses arguments: for a command with subcommands an argument is
// an unknown subcommand, for any other it is one too many.
func (a *app) noArgs(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	if cmd.HasAvailableSubCommands() {
		msg := fmt.Sprintf("unknown command %q for %q", args[0], cmd.CommandPath())
		if cmd.SuggestionsMinimumDistance <= 0 {
			cmd.SuggestionsMinimumDistance = 2 // cobra's default, which it sets only for itself
		}
		if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
			msg += fmt.Sprintf("; did you mean %s?", strings.Join(s, " or "))
		}
		return usageErrorf("%s", msg)
	}
	return usageErrorf("%s takes no arguments, got %q", name(cmd), strings.Join(args, " "))
}

// hashArg checks the one HASH argument of keys get, update and delete
// before anything is sent.
func (a *app) hashArg(cmd *cobra.Command, args []string) error {
	switch {
	case len(args) == 0:
		msg := fmt.Sprintf("%s takes one HASH", name(cmd))
		if a.isTerminal(a.stdin) {
			// Someone typing: tell them where hashes come from.
			msg += "; 'orkeys keys list' shows the hash of each key"
		}
		return usageErrorf("%s", msg)
	case len(args) > 1:
		return usageErrorf("%s takes one HASH, got %d arguments", name(cmd), len(args))
	}
	switch h := args[0]; {
	case strings.TrimSpace(h) == "":
		return usageErrorf("HASH must not be empty")
	case h == "." || h == "..", strings.ContainsAny(h, "/?# \t\n"):
		return usageErrorf("HASH %q is not a key hash ('orkeys keys list' shows them)", h)
	}
	return nil
}

// flagErrorMessage rewrites pflag's parse errors: "invalid argument "ten"
// for "--offset" flag: strconv.ParseInt: parsing "ten": invalid syntax"
// becomes "--offset "ten": want a whole number, such as 100".
func flagErrorMessage(err error) string {
	var invalid *pflag.InvalidValueError
	var missing *pflag.ValueRequiredError
	switch {
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		return fmt.Sprintf("--%s %q: %s", f.Name, invalid.GetValue(), wantFor(f, invalid.Unwrap()))
	case errors.As(err, &missing):
		if f := missing.GetFlag(); f != nil {
			return fmt.Sprintf("--%s needs a value: %s", f.Name, wantFor(f, nil))
		}
	}
	return err.Error()
}

// wantFor says what a flag's value should look like.
func wantFor(f *pflag.Flag, cause error) string {
	switch f.Value.Type() {
	case "int", "int64", "uint16":
		return "want a whole number, such as 100"
	case "float64":
		return "want a number, such as 25 or 2.5"
	case "duration":
		return "want a duration, such as 30s, 2m or 1h30m"
	case "bool":
		return "want true or false"
	}
	if cause != nil {
		return cause.Error()
	}
	return "want " + f.Value.Type()
}

// exclusive refuses two flags given together, naming both.
func exclusive(fs *pflag.FlagSet, a, b, why string) error {
	if fs.Changed(a) && fs.Changed(b) {
		return usageErrorf("--%s and --%s cannot be used together: %s", a, b, why)
	}
	return nil
}
