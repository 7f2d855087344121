package main

import (
	"errors"
	"fmt"
	"iter"
	"net/http"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// What the guardrails, workspaces and members commands share: their
// arguments, --dry-run, the confirmation of deletes, and reading every page.

// refArgs checks a command's positional arguments before anything is sent:
// each names what it wants (ID, WORKSPACE, INTERVAL) and is checked by its
// rule, then stored.
type refArg struct {
	name  string
	check func(string) error
	dst   *string
}

func refArgs(want ...refArg) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) != len(want) {
			names := make([]string, len(want))
			for i, w := range want {
				names[i] = w.name
			}
			return usageErrorf("%s takes %v, got %d arguments", name(cmd), names, len(args))
		}
		for i, w := range want {
			if err := w.check(args[i]); err != nil {
				return usageErrorf("%s %v", w.name, err)
			}
			*w.dst = args[i]
		}
		return nil
	}
}

func guardrailArg(dst *string) refArg { return refArg{"ID", rules.UUID, dst} }
func workspaceArg(dst *string) refArg { return refArg{"WORKSPACE", rules.WorkspaceRef, dst} }
func intervalArg(dst *string) refArg  { return refArg{"INTERVAL", rules.BudgetInterval, dst} }

// planeChange is what every changing command of the management plane
// holds: its connection, --dry-run and -o.
type planeChange struct {
	conn   *clientFlags
	DryRun bool
	Output outputFormat
}

func (p *planeChange) addFlags(cmd *cobra.Command) {
	addOutputFlag(cmd, &p.Output, apiJSON)
	addDryRunFlag(cmd.Flags(), &p.DryRun)
}

// client is the command's client; under --dry-run over the recording
// transport, without retries: a request that is not sent must not be
// recorded again.
func (p *planeChange) client(f *factory) (*facade.Client, *dryRun, error) {
	if !p.DryRun {
		c, err := f.newClient(p.conn, clientSpec{})
		return c, nil, err
	}
	rec := f.newDryRun()
	c, err := f.newClient(p.conn, clientSpec{dryRun: rec, retry: &facade.RetryConfig{Strategy: facade.StrategyNone}})
	return c, rec, err
}

// done ends a change: under --dry-run, once the change was recorded (not
// sent), the stand-in's answer does not matter and the requests are
// printed; a failure before that (a refused input, a failed read) stays.
// Otherwise show prints the result.
func (p *planeChange) done(f *factory, rec *dryRun, err error, show func() error) error {
	if rec != nil && rec.unsent() > 0 {
		return f.writeDryRun(rec, p.Output)
	}
	if err != nil {
		return err
	}
	return show()
}

// unsent counts the recorded requests that were not sent.
func (d *dryRun) unsent() int {
	n := 0
	for _, r := range d.requests() {
		if !r.Sent {
			n++
		}
	}
	return n
}

// deletion is --yes and the confirmation of a delete, as keys delete asks.
type deletion struct {
	Yes bool
}

func (d *deletion) addFlag(cmd *cobra.Command) {
	cmd.Flags().BoolVarP(&d.Yes, "yes", "y", false, "delete without asking")
}

// check refuses, before anything is sent, a delete that cannot be
// confirmed: stdin is not a terminal and --yes is not given.
func (d *deletion) check(f *factory, dry bool, what string) error {
	if !d.Yes && !dry && !f.isTerminal(f.io.In) {
		return usageErrorf("refusing to delete %s without confirmation: stdin is not a terminal; pass --yes to delete it", what)
	}
	return nil
}

// planeDelete is a delete of the management plane: --dry-run, -o, --yes,
// --ignore-missing and the confirmation.
type planeDelete struct {
	planeChange
	deletion
	IgnoreMissing bool
	// doneText, when set, is what a success prints in place of "Deleted
	// SUBJECT.", for a delete that succeeds whether or not there was
	// anything to delete.
	doneText string
}

func (p *planeDelete) addFlags(cmd *cobra.Command) {
	p.deletion.addFlag(cmd)
	p.planeChange.addFlags(cmd)
	cmd.Flags().BoolVar(&p.IgnoreMissing, "ignore-missing", false, "exit 0 when it is already gone (the API answers 404), so that a script can run again")
}

// planeMissing reports whether err is the API's 404 for a guardrail or
// workspace path: the JSON error envelope with code 404. A 404 page
// without it comes from something else (a wrong --server-url) and must not
// pass for success.
func planeMissing(err error) bool {
	var nf *facade.NotFoundResponseError
	return errors.As(err, &nf) && nf.Code == http.StatusNotFound && planeNotFound(nf.APIError) != ""
}

// run deletes subject ("guardrail 4b0c…"): on a terminal it first asks,
// naming what describe reads (so that a pasted wrong id is caught), then
// del sends the delete with the answer's body into raw.
func (p *planeDelete) run(b *cmdBase, subject string, describe func(*facade.Client) (string, error), del func(c *facade.Client, raw *[]byte) error) error {
	c, rec, err := p.client(b.f)
	if err != nil {
		return err
	}
	if !p.Yes && !p.DryRun {
		what, err := describe(c)
		if err != nil {
			return p.missing(b, subject, err)
		}
		if err := p.ask(b, p.DryRun, what); err != nil {
			return err
		}
	}
	var raw []byte
	if err = del(c, &raw); err != nil && rec == nil {
		return p.missing(b, subject, err)
	}
	return p.done(b.f, rec, err, func() error {
		if p.Output == formatJSON {
			return writeRawJSON(b.f.io.Out, raw)
		}
		text := "Deleted " + subject + "."
		if p.doneText != "" {
			text = p.doneText
		}
		_, err := fmt.Fprintln(b.f.io.Out, text)
		return err
	})
}

// missing ends a delete whose subject the API does not know: a success
// under --ignore-missing ({"deleted": false} in JSON), else err.
func (p *planeDelete) missing(b *cmdBase, subject string, err error) error {
	if !p.IgnoreMissing || !planeMissing(err) {
		return err
	}
	if p.Output == formatJSON {
		return writeJSON(b.f.io.Out, map[string]bool{"deleted": false})
	}
	_, err = fmt.Fprintf(b.f.io.Out, "No %s; nothing to delete.\n", subject)
	return err
}

// ask asks on a terminal unless --yes or a dry run; a no is exit 9.
func (d *deletion) ask(b *cmdBase, dry bool, what string) error {
	if d.Yes || dry {
		return nil
	}
	ok, err := confirm(b.ctx, b.f.io.In, b.f.io.ErrOut, fmt.Sprintf("Delete %s? This cannot be undone. [y/N] ", sanitize(what)))
	var local *localIOError
	switch {
	case errors.As(err, &local):
		return fmt.Errorf("%w; %s was not deleted", err, what)
	case err != nil:
		return declinedf("%v; %s was not deleted", err, what)
	case !ok:
		return declinedf("not confirmed; %s was not deleted", what)
	}
	return nil
}

// collect reads every record of a walk (the library's All iterators, with
// their guards against pages that do not progress); [] for none.
func collect[T any](seq iter.Seq2[T, error]) ([]T, error) {
	out := []T{}
	for v, err := range seq {
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// writeList prints every record: one JSON array, a note when there are
// none, or the rows as a table under head.
func writeList[T any](f *factory, format outputFormat, items []T, noneMsg string, head []string, row func(*T) []string) error {
	if format == formatJSON {
		return writeJSON(f.io.Out, items)
	}
	if len(items) == 0 {
		_, err := fmt.Fprintln(f.io.Out, noneMsg)
		return err
	}
	rows := [][]string{head}
	for i := range items {
		rows = append(rows, row(&items[i]))
	}
	return writeRows(f.io.Out, rows)
}

// joined is a list for a table cell: "-" when absent or empty.
func joined(v *[]string) string {
	if v == nil || len(*v) == 0 {
		return none
	}
	return cell(strings.Join(*v, ","))
}

func boolPtr(b *bool) string {
	if b == nil {
		return none
	}
	return yesNo(*b)
}

// planeNotFound is the hint of a 404 from a guardrail or workspace path:
// which list shows what may be missing. A bulk POST names keys or members
// too, and any of them may be the one missing.
func planeNotFound(api *facade.APIError) string {
	bulk := api.Method == http.MethodPost
	switch p := api.Path; {
	case strings.HasPrefix(p, "/guardrails/{id}") && bulk:
		return "; the guardrail, or a key or member named, does not exist ('orkeys guardrails list', 'orkeys keys list' and 'orkeys members' show them)"
	case strings.HasPrefix(p, "/guardrails/{id}"):
		return "; no guardrail has this id ('orkeys guardrails list' shows them)"
	case strings.HasPrefix(p, "/workspaces/{id}") && bulk:
		return "; the workspace, or a member named, does not exist ('orkeys workspaces list' and 'orkeys members' show them)"
	case strings.HasSuffix(p, "/budgets/{interval}"):
		return "; the workspace has no budget for this interval, or no workspace has this id or slug ('orkeys workspaces budgets' and 'orkeys workspaces list' show them)"
	case strings.HasPrefix(p, "/workspaces/{id}"):
		return "; no workspace has this id or slug ('orkeys workspaces list' shows them)"
	case strings.HasPrefix(p, "/byok/{id}"):
		return "; no provider key has this id ('orkeys byok list' shows them)"
	case api.Method == http.MethodGet && !strings.Contains(p, "{"):
		// A list's only parameter that can be missing is its workspace;
		// a wrong server URL is the facade's hint, checked first.
		return "; no workspace has the id asked for ('orkeys workspaces list' shows them)"
	}
	return ""
}
