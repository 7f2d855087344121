package main

import (
	"io"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// sharedFlags are documented once, in the prose under "Command line", not in
// each command's row.
var sharedFlags = []string{"server-url", "retries", "insecure-http", "http-referer", "app-title", "app-categories", "timeout", "output", "help"}

// readmeRowRE finds a command's row in the README's command tables: the
// command path is the words before the first flag or argument.
var readmeRowRE = regexp.MustCompile("(?m)^\\| `orkeys ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)*)[ `].*$")

// Every flag in each command's --help is in the README: in the command's
// row of the tables, or, for the flags every API command shares, in the
// prose that names them.
func TestHelpFlagsInREADME(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	rows := map[string]string{}
	for _, m := range readmeRowRE.FindAllStringSubmatch(readme, -1) {
		rows[m[1]] = m[0]
	}
	for _, f := range sharedFlags {
		if !strings.Contains(readme, "`--"+f) && f != "help" && f != "output" {
			t.Errorf("README never names --%s", f)
		}
	}
	f := newFactory(strings.NewReader(""), io.Discard, io.Discard, env{}.get)
	root := f.rootCmd()
	var visit func(*cobra.Command)
	visit = func(cmd *cobra.Command) {
		for _, sub := range cmd.Commands() {
			visit(sub)
		}
		if !cmd.Runnable() || cmd.HasAvailableSubCommands() || cmd == root || cmd.Name() == "help" {
			return
		}
		path := name(cmd)
		row, ok := rows[path]
		if !ok {
			t.Errorf("README has no row for %q", path)
			return
		}
		cmd.NonInheritedFlags().VisitAll(func(fl *pflag.Flag) {
			if fl.Hidden || slices.Contains(sharedFlags, fl.Name) {
				return
			}
			if !regexp.MustCompile(`--` + regexp.QuoteMeta(fl.Name) + `\b`).MatchString(row) {
				t.Errorf("README's row for %q lacks --%s", path, fl.Name)
			}
		})
	}
	visit(root)
}
