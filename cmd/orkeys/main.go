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
//	8  found: `orkeys budget check` found a key over the threshold, or
//	   `orkeys keys audit` found something to look at
//	9  not confirmed: a delete or `apply` was declined or interrupted
//	   at its prompt; nothing was changed
//	10  not in sync: `orkeys plan` found what `orkeys apply` would
//	    change, or a field fixed at creation (a key's workspace or
//	    expiry) that differs
//
// Commands that find the outcome of their own work unknown (`keys rotate`
// when it created the new key but could not disable or delete the old)
// return ambiguous(err, check) for exit code 5. A failure to write stdout
// or read stdin is exit 1 ("cannot write output: …"), and when the API had
// already made a key, the line names it.
//
// A failing command prints its error as one line on stderr, starting with
// "orkeys: ", that says what to do; stdout carries only the output asked for.
//
// The code has one road from flags to output: the factory (factory.go) holds
// the streams and the environment and makes every client; each command is an
// options struct with validate and run; typed flags (flags.go) check their
// values once; classify (classify.go) turns an error into the exit code and
// the line; sanitize (sanitize.go) filters everything printed that the CLI
// did not write itself.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

func main() {
	// A write to a closed pipe must be an error a command handles (a
	// rotation then leaves the old key alone), not a silent death.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr, os.Getenv)
	stop()
	os.Exit(code)
}

// run executes the command line args and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env func(string) string) int {
	return newFactory(stdin, stdout, stderr, env).run(ctx, args)
}

func (f *factory) run(ctx context.Context, args []string) (code int) {
	defer f.survivePanic(&code)
	root := f.rootCmd()
	if args == nil {
		args = []string{} // nil would make cobra read os.Args
	}
	root.SetArgs(args)
	root.SetIn(f.io.In)
	root.SetOut(f.io.Out)
	root.SetErr(f.io.ErrOut)
	f.completionCmd(root) // after SetOut: cobra's completion takes the writer when made
	cmd, err := root.ExecuteContextC(ctx)
	if f.cancelTimeout != nil {
		defer f.cancelTimeout()
	}
	// cobra's own errors (flags, arguments) are usage errors; a failed
	// flush is not, so it joins after that mapping and gets no --help hint.
	err = fromCobra(err)
	// What the command printed last is delivered before its error.
	if ferr := f.io.Out.Flush(); ferr != nil && err == nil {
		err = ferr
	}
	if err == nil {
		return exitOK
	}
	err = f.annotate(err)
	code, msg := f.classify(err)
	fmt.Fprintf(f.io.ErrOut, "orkeys: %s\n", msg)
	if (wantsHelpHint(err) || errors.Is(err, facade.ErrInvalidInput)) && cmd != nil {
		fmt.Fprintf(f.io.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// survivePanic turns a panic (a bug) into exit 1 with what was printed
// delivered first, since it may hold a plaintext; left to the runtime it
// would be exit 2, which says nothing was sent.
func (f *factory) survivePanic(code *int) {
	p := recover()
	if p == nil {
		return
	}
	f.io.Out.Flush()
	fmt.Fprintf(f.io.ErrOut, "orkeys: internal error, a bug in orkeys (please report it with what follows): %s\n%s",
		sanitize(fmt.Sprint(p)), debug.Stack())
	*code = exitError
}

// errTimeout is the cause of the command context's end when --timeout ran
// out.
var errTimeout = errors.New("--timeout ran out")

// annotate records why the command's context ended, which only the factory
// knows, in the error: --timeout ran out.
func (f *factory) annotate(err error) error {
	if f.cmdCtx != nil && context.Cause(f.cmdCtx) == errTimeout && errors.Is(err, context.DeadlineExceeded) {
		return &timeoutError{after: f.timeout.v, err: err}
	}
	return err
}

const rootLong = `orkeys manages OpenRouter API keys through the key-management API.

The keys, budget, credits, activity, exporter, guardrails, workspaces and
members commands need a management key (sk-or-mgmt-…) in OPENROUTER_API_KEY. The server is
https://openrouter.ai/api/v1 unless --server-url or OPENROUTER_BASE_URL says
otherwise. 'orkeys demo' needs neither: it runs against an in-process fake.

A call that fails is retried for about 15 s (--retries N makes it N retries,
0 a single attempt); --timeout bounds the whole command.

Exit codes:
`

func (f *factory) rootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "orkeys",
		Short:         "Manage OpenRouter API keys: list, create, cap, disable and delete them",
		Long:          rootLong + exitCodeTable("  "),
		SilenceErrors: true, // run prints errors in one place
		SilenceUsage:  true,
		Args:          noArgs, // an unknown command is an error, not a help page
		RunE:          func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if f.timeout.v > 0 {
				ctx, f.cancelTimeout = context.WithTimeoutCause(ctx, f.timeout.v, errTimeout)
			}
			f.cmdCtx = ctx
			cmd.SetContext(ctx)
			return nil
		},
	}
	root.PersistentFlags().Var(&f.timeout, "timeout", "give up on the whole command after this long, such as 30s or 2m (default: no limit)")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return usageErrorf("%s", flagErrorMessage(err))
	})
	root.AddCommand(f.keysCmd(), newKeyCmd(f, nil), f.fakeServerCmd(), f.demoCmd(), f.versionCmd())
	root.AddCommand(f.budgetCmd(), newCreditsCmd(f, nil), newActivityCmd(f, nil), f.exporterCmd())
	root.AddCommand(newPlanCmd(f, nil), newApplyCmd(f, nil), newImportCmd(f, nil), f.schemaCmd())
	root.AddCommand(f.byokCmd())
	root.AddCommand(f.guardrailsCmd(), f.workspacesCmd(), f.membersCmd())
	return root
}

func (f *factory) keysCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "List, find, create, get, update, rotate and delete API keys (needs a management key)",
		Args:  noArgs, // an unknown subcommand is an error, not a help page
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := addClientFlags(cmd.PersistentFlags())
	cmd.AddCommand(
		newListCmd(f, cf, nil),
		newGetCmd(f, cf, nil),
		newCreateCmd(f, cf, nil),
		newUpdateCmd(f, cf, nil),
		newDeleteCmd(f, cf, nil),
		newRotateCmd(f, cf, nil),
		newFindCmd(f, cf, nil),
		newUsageCmd(f, cf, nil),
		newAuditCmd(f, cf, nil),
	)
	return cmd
}

// completionCmd makes cobra's completion command refuse what it does not
// know: 'completion tcsh' is exit 2, not a help page and exit 0.
func (f *factory) completionCmd(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	// Find, not Commands: Commands sorts, which reorders "did you mean".
	if c, _, err := root.Find([]string{"completion"}); err == nil && c != root {
		c.Args = noArgs
		c.RunE = func(cmd *cobra.Command, _ []string) error { return cmd.Help() }
	}
}
