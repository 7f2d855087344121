package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/internal/rules"
)

// Argument errors say what the command wants, in the CLI's words: cobra's
// own messages name Go parsers and flag groups.

// noArgs refuses arguments: for a command with subcommands an argument is
// an unknown subcommand, for any other it is one too many.
func noArgs(cmd *cobra.Command, args []string) error {
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

// hashArg checks the one HASH argument of keys get, update, delete and
// rotate before anything is sent (rules.KeyHash), and stores it in dst.
func (f *factory) hashArg(dst *string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) == 0:
			msg := fmt.Sprintf("%s takes one HASH", name(cmd))
			if f.isTerminal(f.io.In) {
				// Someone typing: tell them where hashes come from.
				msg += "; 'orkeys keys list' shows the hash of each key"
			}
			return usageErrorf("%s", msg)
		case len(args) > 1:
			return usageErrorf("%s takes one HASH, got %d arguments", name(cmd), len(args))
		}
		if args[0] == "" {
			return usageErrorf("HASH must not be empty")
		}
		if err := rules.KeyHash(args[0]); err != nil {
			return usageErrorf("HASH %v ('orkeys keys list' shows them)", err)
		}
		*dst = args[0]
		return nil
	}
}

// nameArg checks the one NAME argument of keys find and stores it in dst.
func nameArg(dst *string) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) != 1:
			return usageErrorf("%s takes one NAME, got %d arguments", name(cmd), len(args))
		case strings.TrimSpace(args[0]) == "":
			return usageErrorf("NAME must not be empty")
		}
		*dst = args[0]
		return nil
	}
}

// name is the command's path without the program name: "keys get".
func name(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), "orkeys ")
}
