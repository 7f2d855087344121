package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// listOptions is keys list. The API filters by none of --expiring-within,
// --name-prefix, --unused-for and --no-limit, nor sorts, so with any of
// them the command reads every page (as --all does) and filters here.
type listOptions struct {
	cmdBase
	conn            *clientFlags
	IncludeDisabled bool
	workspaceScope
	Offset         countValue
	All            bool
	ExpiringWithin withinValue
	UnusedFor      withinValue
	NoLimit        bool
	Sort           sortValue
	NamePrefix     string
	namePrefixSet  bool
	Output         outputFormat
	now            func() time.Time
}

const listLong = `List keys, newest first: one page of up to 100, or every page with --all
or any filter or --sort.

--unused-for 30d keeps the keys not used for 30 days: their last use
(last_used_at) is 30 days ago or more, or they were never used and were
created 30 days ago or more. A key created less than 30 days ago and never
used is left out: it has not had the time. OpenRouter reports no use before
the end of 2025, so a key last used before then counts as never used.`

func newListCmd(f *factory, conn *clientFlags, runF func(*listOptions) error) *cobra.Command {
	o := &listOptions{cmdBase: cmdBase{f: f}, conn: conn, Output: formatTable, now: time.Now}
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List keys, newest first (one page of up to 100, or --all)",
		Long:  listLong,
		Example: `  orkeys keys list
  orkeys keys list --include-disabled --all -o json
  orkeys keys list --expiring-within 7d
  orkeys keys list --unused-for 30d --all-workspaces
  orkeys keys list --no-limit --sort usage`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints the API's JSON; with --all or a filter, one array of every key")
	fs := cmd.Flags()
	fs.BoolVar(&o.IncludeDisabled, "include-disabled", false, "also list disabled keys")
	addWorkspaceScopeFlags(fs, &o.workspaceScope, "only keys of this workspace", "keys of every workspace, with a WORKSPACE column; reads every page")
	fs.Var(&o.Offset, "offset", "skip this many keys (pages hold up to 100)")
	fs.BoolVar(&o.All, "all", false, "follow every page instead of printing one")
	fs.Var(&o.ExpiringWithin, "expiring-within", "only keys that expire within this long, such as 7d, 36h or 1d12h (expired ones too); reads every page")
	fs.Var(&o.UnusedFor, "unused-for", "only keys not used for this long, such as 30d (never-used ones created that long ago too); reads every page")
	fs.BoolVar(&o.NoLimit, "no-limit", false, "only keys without a spending limit; reads every page")
	addSortFlag(cmd, &o.Sort)
	fs.StringVar(&o.NamePrefix, "name-prefix", "", "only keys whose name starts with this; reads every page")
	cmd.PreRun = func(*cobra.Command, []string) { o.namePrefixSet = fs.Changed("name-prefix") }
	return cmd
}

// filtered reports whether a filter flag makes the command read every page.
func (o *listOptions) filtered() bool {
	return o.ExpiringWithin.set || o.namePrefixSet || o.UnusedFor.set || o.NoLimit || o.Sort.set || o.AllWorkspaces
}

func (o *listOptions) validate() error {
	switch {
	case o.Offset.set && o.All:
		return usageErrorf("--offset and --all cannot be used together: --all reads every page from the first")
	case o.Offset.set && o.filtered():
		return usageErrorf("--offset cannot be used with --all-workspaces, --expiring-within, --name-prefix, --unused-for, --no-limit or --sort: they read every page from the first")
	case o.namePrefixSet && o.NamePrefix == "":
		return usageErrorf("--name-prefix must not be empty (leave it out to list every key)")
	}
	return o.workspaceScope.validate()
}

func (o *listOptions) run() error {
	c, ws, err := o.f.clientIn(o.ctx, o.conn, &o.Workspace)
	if err != nil {
		return err
	}
	req := facade.ListRequest{IncludeDisabled: o.IncludeDisabled, WorkspaceID: ws}
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
		return writeKeyTableIn(out, keys, o.f.tableWidth(), o.slugs(o.ctx, c))
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
	now := o.now()
	until := now.Add(o.ExpiringWithin.v)
	keys := []facade.APIKey{}
	for k, err := range o.keys(c)(o.ctx, req) {
		if err != nil {
			return nil, err
		}
		if o.ExpiringWithin.set && (k.ExpiresAt.Instant() == nil || k.ExpiresAt.After(until)) {
			continue
		}
		if o.namePrefixSet && !strings.HasPrefix(k.Name, o.NamePrefix) {
			continue
		}
		if (o.UnusedFor.set && !facade.Dormant(k, now, o.UnusedFor.v)) || (o.NoLimit && k.Limit != nil) {
			continue
		}
		keys = append(keys, k)
	}
	if o.Sort.set {
		sortKeys(keys, o.Sort.v)
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
