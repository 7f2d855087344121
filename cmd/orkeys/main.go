// Command orkeys manages OpenRouter API keys from the shell: list, create,
// inspect, change and delete keys, run an offline fake of the API for tests,
// and walk the whole key lifecycle with `orkeys demo`.
//
// Exit codes: 0 success, 1 an API or network error, 2 a usage error (bad
// flags, bad values, missing arguments or a missing key).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// Exit codes.
const (
	exitOK    = 0
	exitError = 1 // the API answered with an error, or the network failed
	exitUsage = 2 // the command line was wrong; nothing was sent
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// app is one invocation: its streams and environment, so that tests can run
// the CLI in-process.
type app struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	env    func(string) string
	// isTerminal reports whether stdin is an interactive terminal; delete
	// asks for confirmation only there. Tests replace it.
	isTerminal func(io.Reader) bool
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	a := &app{stdin: stdin, stdout: stdout, stderr: stderr, env: env, isTerminal: stdinIsTerminal}
	return a.run(ctx, args)
}

func (a *app) run(ctx context.Context, args []string) int {
	root := a.rootCmd()
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	code := exitUsage // cobra's own errors: unknown command, bad flag, wrong args
	var ee *exitErr
	if errors.As(err, &ee) {
		code = ee.code
	}
	fmt.Fprintf(a.stderr, "orkeys: %s\n", message(err))
	if code == exitUsage && cmd != nil && !ee.noHint() {
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// message is err's text without a leading "orkeys: " (the facade's errors
// carry one, and run adds its own).
func message(err error) string {
	return strings.TrimPrefix(err.Error(), "orkeys: ")
}

// exitErr carries the exit code for an error returned by a command.
type exitErr struct {
	code int
	err  error
	// hint says whether to point at --help; a usage error that already
	// explains itself (a missing key) turns it off.
	hint bool
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

func (e *exitErr) noHint() bool { return e != nil && !e.hint }

// usageErrorf reports a bad command line: exit code 2, nothing sent.
func usageErrorf(format string, args ...any) error {
	return &exitErr{code: exitUsage, err: fmt.Errorf(format, args...), hint: true}
}

// runE adapts a command body: input the facade refused before sending
// (facade.ErrInvalidInput) is a usage error like a bad flag; any other error
// not already classified is an API or network failure (exit code 1).
func runE(fn func(cmd *cobra.Command, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		err := fn(cmd, args)
		if err == nil {
			return nil
		}
		var ee *exitErr
		if errors.As(err, &ee) {
			return err
		}
		if errors.Is(err, facade.ErrInvalidInput) {
			return &exitErr{code: exitUsage, err: err}
		}
		return &exitErr{code: exitError, err: err}
	}
}

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "orkeys",
		Short: "Manage OpenRouter API keys: list, create, cap, disable and delete them",
		Long: `orkeys manages OpenRouter API keys through the key-management API.

The keys commands need a management key in OPENROUTER_API_KEY. The server is
https://openrouter.ai/api/v1 unless --server-url or OPENROUTER_BASE_URL says
otherwise. 'orkeys demo' needs neither: it runs against an in-process fake.

Exit codes: 0 success, 1 API or network error, 2 usage error.`,
		SilenceErrors: true, // run prints errors in one place
		SilenceUsage:  true,
		Args:          cobra.NoArgs, // an unknown command is an error, not a help page
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%w", err)
	})
	root.AddCommand(a.keysCmd(), a.keyCmd(), a.fakeServerCmd(), a.demoCmd())
	return root
}

func (a *app) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "List, create, get, update and delete API keys (needs a management key)",
		Args:  cobra.NoArgs, // an unknown subcommand is an error, not a help page
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := &clientFlags{}
	cf.register(cmd.PersistentFlags())
	cmd.AddCommand(
		a.keysListCmd(cf),
		a.keysGetCmd(cf),
		a.keysCreateCmd(cf),
		a.keysUpdateCmd(cf),
		a.keysDeleteCmd(cf),
	)
	return cmd
}

// exactArgs is cobra.ExactArgs with a message that names the argument.
func exactArgs(names ...string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) != len(names) {
			return usageErrorf("want %d argument(s) (%s), got %d", len(names), strings.Join(names, " "), len(args))
		}
		for i, arg := range args {
			if strings.TrimSpace(arg) == "" {
				return usageErrorf("%s must not be empty", names[i])
			}
		}
		return nil
	}
}
