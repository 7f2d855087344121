package main

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// workspaceRefValue is --workspace ID|slug (rules.WorkspaceRef). GET /keys
// takes a workspace's UUID only, so a slug is looked up (resolve).
type workspaceRefValue struct {
	v   string
	set bool
}

func (w *workspaceRefValue) String() string { return w.v }
func (w *workspaceRefValue) Type() string   { return "id|slug" }
func (w *workspaceRefValue) Set(s string) error {
	if err := rules.WorkspaceRef(s); err != nil {
		return &quotedError{err}
	}
	w.v, w.set = s, true
	return nil
}

func addWorkspaceRefFlag(fs *pflag.FlagSet, w *workspaceRefValue, what string) {
	fs.Var(w, "workspace", what+" (a UUID or a slug; default: the default workspace)")
}

// resolve is the workspace's UUID for a request: nil when not given, else
// the UUID of the workspace with that id or slug (GET /workspaces/{ref}).
// A UUID is looked up too: a mistyped one would list no keys, and a budget
// check of no keys would pass.
func (w *workspaceRefValue) resolve(ctx context.Context, c *facade.Client) (*string, error) {
	if !w.set {
		return nil, nil
	}
	got, err := c.Workspaces.Get(ctx, facade.GetWorkspaceRequest{ID: w.v})
	if err != nil {
		return nil, err
	}
	return &got.Data.ID, nil
}

// clientIn is the client of a command with --workspace ID|slug, and the
// workspace's UUID for its requests (nil when not given).
func (f *factory) clientIn(ctx context.Context, conn *clientFlags, w *workspaceRefValue) (*facade.Client, *string, error) {
	c, err := f.newClient(conn, clientSpec{})
	if err != nil {
		return nil, nil, err
	}
	ws, err := w.resolve(ctx, c)
	return c, ws, err
}

// keySorts are the orders of keys list --sort.
var keySorts = []string{"usage", "last-used", "created"}

// sortValue is keys list --sort.
type sortValue struct {
	v   string
	set bool
}

func (s *sortValue) String() string { return s.v }
func (s *sortValue) Type() string   { return "order" }
func (s *sortValue) Set(v string) error {
	if !slices.Contains(keySorts, v) {
		return errors.New("want " + strings.Join(keySorts[:len(keySorts)-1], ", ") + " or " + keySorts[len(keySorts)-1])
	}
	s.v, s.set = v, true
	return nil
}

func addSortFlag(cmd *cobra.Command, s *sortValue) {
	cmd.Flags().Var(s, "sort", "order: usage (most spend first), last-used (longest unused first, never-used ones first of all) or created (newest first, the default); reads every page")
	_ = cmd.RegisterFlagCompletionFunc("sort", cobra.FixedCompletions(keySorts, cobra.ShellCompDirectiveNoFileComp))
}

// sortKeys orders keys by order, stably: ties keep the API's order.
func sortKeys(keys []facade.APIKey, order string) {
	slices.SortStableFunc(keys, func(a, b facade.APIKey) int {
		switch order {
		case "usage":
			return cmp.Compare(b.Usage, a.Usage)
		case "last-used":
			return compareLastUsed(a, b)
		}
		return b.CreatedAt.Compare(a.CreatedAt.Time)
	})
}

// compareLastUsed puts never-used keys first, then the longest unused.
func compareLastUsed(a, b facade.APIKey) int {
	la, lb := a.LastUsedAt.Instant(), b.LastUsedAt.Instant()
	switch {
	case la == nil && lb == nil:
		return 0
	case la == nil:
		return -1
	case lb == nil:
		return 1
	}
	return la.Compare(*lb)
}
