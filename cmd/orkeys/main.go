// Command orkeys manages OpenRouter API keys from the shell: list, create,
// inspect, change and delete keys, run an offline fake of the API for tests,
// and walk the whole key lifecycle with `orkeys demo`.
//
// Every command ends with one of these exit codes, so that scripts can
// branch on what went wrong:
//
//	0  success
//	1  any other error
//	2  usage or invalid input: a bad flag, value or argument, or no key;
//	   nothing was sent
//	3  authentication or permission: the API answered 401 or 403
//	4  not found: the API answered 404
//	5  ambiguous: the key may have been created, or a rotation is
//	   incomplete; check with `orkeys keys list` before re-running
//	6  rate limited: still 429 when the retries ran out
//	7  unavailable: no connection, no answer in time (--timeout too), or
//	   still 5XX when the retries ran out
//	8  over budget: `orkeys budget check` found a key over the threshold
//	9  not confirmed: `keys delete` was declined or interrupted at its
//	   prompt; nothing was deleted
//
// Commands that find the outcome of their own work unknown (`keys rotate`
// when it created the new key but could not disable or delete the old)
// return ambiguous(err, check) for exit code 5.
//
// A failing command prints its error as one line on stderr, starting with
// "orkeys: ", that says what to do; stdout carries only the output asked for.
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
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
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

	// Set by the root command's flags and hooks.
	timeout       time.Duration
	cancelTimeout context.CancelFunc
	// cmdCtx is the context the command body runs with (--timeout applied).
	cmdCtx context.Context
	// server is the base URL of the client the command made, for messages.
	server string
	// stats counts the attempts of the command's API calls.
	stats callStats
	// clientOptions and onClient let flags added by wrappers reach the
	// client a command makes: --dry-run's transport (dryrun.go), and
	// --if-absent's lookup once the command's flags have passed its checks
	// (keys_create_ifabsent.go).
	clientOptions []facade.Option
	onClient      func(*facade.Client) error
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
	if a.cancelTimeout != nil {
		defer a.cancelTimeout()
	}
	if err == nil {
		return exitOK
	}
	err = a.annotate(fromCobra(err))
	code := exitCode(err)
	fmt.Fprintf(a.stderr, "orkeys: %s\n", a.explain(err))
	if wantsHelpHint(err) && cmd != nil {
		fmt.Fprintf(a.stderr, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// errTimeout is the cause of the command context's end when --timeout ran
// out.
var errTimeout = errors.New("--timeout ran out")

// annotate records why the command's context ended, which only the app
// knows, in the error: --timeout ran out.
func (a *app) annotate(err error) error {
	if a.cmdCtx == nil {
		return err
	}
	switch cause := context.Cause(a.cmdCtx); {
	case cause == errTimeout && errors.Is(err, context.DeadlineExceeded):
		return &timeoutError{after: a.timeout, err: err}
	}
	return err
}

const rootLong = `orkeys manages OpenRouter API keys through the key-management API.

The keys commands need a management key in OPENROUTER_API_KEY. The server is
https://openrouter.ai/api/v1 unless --server-url or OPENROUTER_BASE_URL says
otherwise. 'orkeys demo' needs neither: it runs against an in-process fake.

A call that fails is retried for about 15 s (--retries N makes it N retries,
0 a single attempt); --timeout bounds the whole command.

Exit codes:
`

func (a *app) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "orkeys",
		Short:         "Manage OpenRouter API keys: list, create, cap, disable and delete them",
		Long:          rootLong + exitCodeTable("  "),
		SilenceErrors: true, // run prints errors in one place
		SilenceUsage:  true,
		Args:          a.noArgs, // an unknown command is an error, not a help page
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if a.timeout < 0 {
				return usageErrorf("--timeout %s: must not be negative", a.timeout)
			}
			ctx := cmd.Context()
			if a.timeout > 0 {
				ctx, a.cancelTimeout = context.WithTimeoutCause(ctx, a.timeout, errTimeout)
			}
			a.cmdCtx = ctx
			cmd.SetContext(ctx)
			return nil
		},
	}
	root.PersistentFlags().DurationVar(&a.timeout, "timeout", 0, "give up on the whole command after this long, such as 30s or 2m (default: no limit)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%s", flagErrorMessage(err))
	})
	root.AddCommand(a.keysCmd(), a.keyCmd(), a.fakeServerCmd(), a.demoCmd(), a.versionCmd())
	root.AddCommand(a.budgetCmd(), a.creditsCmd(), a.activityCmd(), a.exporterCmd())
	return root
}

func (a *app) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "List, find, create, get, update, rotate and delete API keys (needs a management key)",
		Args:  a.noArgs, // an unknown subcommand is an error, not a help page
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := &clientFlags{}
	cf.register(cmd.PersistentFlags())
	cmd.AddCommand(
		a.withListFilters(a.keysListCmd(cf), cf),
		a.keysGetCmd(cf),
		a.withIfAbsent(a.keysCreateCmd(cf)),
		a.withDryRun(a.keysUpdateCmd(cf)),
		a.withDryRun(a.withIgnoreMissing(a.keysDeleteCmd(cf))),
		a.withDryRun(a.keysRotateCmd(cf)),
		a.keysFindCmd(cf),
		a.keysUsageCmd(cf),
	)
	return cmd
}

// name is the command's path without the program name: "keys get".
func name(cmd *cobra.Command) string {
	return strings.TrimPrefix(cmd.CommandPath(), "orkeys ")
}
