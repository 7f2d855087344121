package main

import (
	"context"
	"iter"
	"slices"

	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

// workspaceScope is --workspace ID|slug and --all-workspaces: the keys of
// one workspace (the default one when neither is given), or of every one.
// The commands that read keys embed it, so o.Workspace and o.AllWorkspaces
// are their fields.
type workspaceScope struct {
	Workspace     workspaceRefValue
	AllWorkspaces bool
}

// addWorkspaceScopeFlags adds both flags; one and every are their help:
// what the command does with one workspace's keys, and with every
// workspace's.
func addWorkspaceScopeFlags(fs *pflag.FlagSet, s *workspaceScope, one, every string) {
	addWorkspaceRefFlag(fs, &s.Workspace, one)
	fs.BoolVar(&s.AllWorkspaces, "all-workspaces", false, every)
}

func (s *workspaceScope) validate() error {
	if s.AllWorkspaces && s.Workspace.set {
		return usageErrorf("--workspace and --all-workspaces cannot be used together: give one workspace, or every one")
	}
	return nil
}

// keys is the walk over the scope's keys: every page of one workspace, or
// of each workspace in turn (req.WorkspaceID left nil).
func (s *workspaceScope) keys(c *facade.Client) func(context.Context, facade.ListRequest, ...facade.Option) iter.Seq2[facade.APIKey, error] {
	if s.AllWorkspaces {
		return c.APIKeys.AllWorkspaces
	}
	return c.APIKeys.All
}

// slugs maps the workspaces' ids to their slugs for the WORKSPACE column:
// nil (no column) without --all-workspaces. A failure to list them leaves
// the ids showing rather than failing a listing that has its keys.
func (s *workspaceScope) slugs(ctx context.Context, c *facade.Client) map[string]string {
	if !s.AllWorkspaces {
		return nil
	}
	slugs := map[string]string{}
	for w, err := range c.Workspaces.All(ctx, facade.ListWorkspacesRequest{}) {
		if err != nil {
			break
		}
		slugs[w.ID] = w.Slug
	}
	return slugs
}

// workspaceCell is a key's WORKSPACE cell: its slug, or its id when the
// slug is not known.
func workspaceCell(slugs map[string]string, id string) string {
	if s, ok := slugs[id]; ok && s != "" {
		return cell(s)
	}
	return cell(id)
}

// withWorkspace puts a spend table's WORKSPACE cell after the name, when
// slugs is not nil (--all-workspaces).
func withWorkspace(slugs map[string]string, row []string, workspace string) []string {
	if slugs == nil {
		return row
	}
	return slices.Insert(row, 1, workspace)
}
