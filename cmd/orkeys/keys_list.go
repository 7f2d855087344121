package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// listOptions is keys list. The API filters by neither --expiring-within
// nor --name-prefix, so with either the command reads every page (as --all
// does) and filters here.
type listOptions struct {
	cmdBase
	conn            *clientFlags
	IncludeDisabled bool
	Workspace       workspaceValue
	Offset          countValue
	All             bool
	ExpiringWithin  withinValue
	NamePrefix      string
	namePrefixSet   bool
	Output          outputFormat
	now             func() time.Time
}

func newListCmd(f *factory, conn *clientFlags, runF func(*listOptions) error) *cobra.Command {
	o := &listOptions{cmdBase: cmdBase{f: f}, conn: conn, Output: formatTable, now: time.Now}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys, newest first (one page of up to 100, or --all)",
		Example: `  orkeys keys list
  orkeys keys list --include-disabled --all -o json
  orkeys keys list --expiring-within 7d`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints the API's JSON; with --all or a filter, one array of every key")
	fs := cmd.Flags()
	fs.BoolVar(&o.IncludeDisabled, "include-disabled", false, "also list disabled keys")
	addWorkspaceFlag(fs, &o.Workspace, "only keys of this workspace")
	fs.Var(&o.Offset, "offset", "skip this many keys (pages hold up to 100)")
	fs.BoolVar(&o.All, "all", false, "follow every page instead of printing one")
	fs.Var(&o.ExpiringWithin, "expiring-within", "only keys that expire within this long, such as 7d, 36h or 1d12h (expired ones too); reads every page")
	fs.StringVar(&o.NamePrefix, "name-prefix", "", "only keys whose name starts with this; reads every page")
	cmd.PreRun = func(*cobra.Command, []string) { o.namePrefixSet = fs.Changed("name-prefix") }
	return cmd
}

// filtered reports whether a filter flag makes the command read every page.
func (o *listOptions) filtered() bool { return o.ExpiringWithin.set || o.namePrefixSet }

func (o *listOptions) validate() error {
	switch {
	case o.Offset.set && o.All:
		return usageErrorf("--offset and --all cannot be used together: --all reads every page from the first")
	case o.Offset.set && o.filtered():
		return usageErrorf("--offset cannot be used with --expiring-within or --name-prefix: they read every page from the first")
	case o.namePrefixSet && o.NamePrefix == "":
		return usageErrorf("--name-prefix must not be empty (leave it out to list every key)")
	}
	return nil
}

func (o *listOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	req := facade.ListRequest{IncludeDisabled: o.IncludeDisabled, WorkspaceID: o.Workspace.ptr()}
	if o.Offset.set {
		req.Offset = &o.Offset.n
	}
	out := o.f.io.Out
	if o.All || o.filtered() {
		keys, err := o.every(c, req)
		if err != nil {
			return err
		}
		if o.Output == formatJSON {
			return writeJSON(out, keys) // one array, [] for none
		}
		if len(keys) == 0 {
			return o.writeNone()
		}
		return writeKeyTable(out, keys, o.f.tableWidth())
	}

	var raw []byte // -o json: the API's body as sent
	page, err := c.APIKeys.List(o.ctx, req, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	if len(page.Data) == facade.PageSize {
		// On stderr, so that it reaches a person without spoiling JSON.
		fmt.Fprintf(o.f.io.ErrOut, "(showing %d keys from offset %d; there may be more: use --offset %d for the next page, or --all for every key)\n",
			len(page.Data), o.Offset.n, o.Offset.n+len(page.Data))
	}
	if o.Output == formatJSON {
		return writeRawJSON(out, raw)
	}
	if len(page.Data) == 0 {
		return o.writeNone()
	}
	return writeKeyTable(out, page.Data, o.f.tableWidth())
}

// every walks every page with the library's walk (read ahead, with its
// guards against pages that do not progress) and keeps the keys that pass
// the filters.
func (o *listOptions) every(c *facade.Client, req facade.ListRequest) ([]facade.APIKey, error) {
	until := o.now().Add(o.ExpiringWithin.v)
	keys := []facade.APIKey{}
	for k, err := range c.APIKeys.All(o.ctx, req) {
		if err != nil {
			return nil, err
		}
		if o.ExpiringWithin.set && (k.ExpiresAt.Instant() == nil || k.ExpiresAt.After(until)) {
			continue
		}
		if o.namePrefixSet && !strings.HasPrefix(k.Name, o.NamePrefix) {
			continue
		}
		keys = append(keys, k)
	}
	return keys, nil
}

func (o *listOptions) writeNone() error {
	msg := "No keys."
	switch {
	case o.filtered() && o.IncludeDisabled:
		msg = "No keys match."
	case o.filtered():
		msg = "No enabled keys match (--include-disabled looks at disabled ones too)."
	case !o.IncludeDisabled:
		msg = "No enabled keys (--include-disabled shows disabled ones too)."
	}
	_, err := fmt.Fprintln(o.f.io.Out, msg)
	return err
}
