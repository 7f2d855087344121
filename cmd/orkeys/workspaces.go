package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
)

func (f *factory) workspacesCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "workspaces",
		Short: "List, create, change and delete workspaces, their members and budgets (needs a management key)",
		Args:  noArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cf := addClientFlags(cmd.PersistentFlags())
	cmd.AddCommand(
		newWorkspacesListCmd(f, cf, nil),
		newWorkspacesGetCmd(f, cf, nil),
		newWorkspacesCreateCmd(f, cf, nil),
		newWorkspacesUpdateCmd(f, cf, nil),
		newWorkspacesDeleteCmd(f, cf, nil),
		newWorkspaceMembersCmd(f, cf, nil),
		newWorkspaceMembersChangeCmd(f, cf, true, nil),
		newWorkspaceMembersChangeCmd(f, cf, false, nil),
		newWorkspaceBudgetsCmd(f, cf, nil),
		newWorkspaceSetBudgetCmd(f, cf, nil),
		newWorkspaceDeleteBudgetCmd(f, cf, nil),
	)
	return cmd
}

// workspacesListOptions is workspaces list: every page.
type workspacesListOptions struct {
	cmdBase
	conn   *clientFlags
	Output outputFormat
}

func newWorkspacesListCmd(f *factory, conn *clientFlags, runF func(*workspacesListOptions) error) *cobra.Command {
	o := &workspacesListOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List every workspace, the default one included",
		Example: "  orkeys workspaces list -o json",
		Args:    noArgs,
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of every workspace")
	return cmd
}

func (o *workspacesListOptions) validate() error { return nil }

func (o *workspacesListOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	all, err := collect(c.Workspaces.All(o.ctx, facade.ListWorkspacesRequest{}))
	if err != nil {
		return err
	}
	return writeList(o.f, o.Output, all, "No workspaces.", []string{"ID", "SLUG", "NAME", "DESCRIPTION", "CREATED"},
		func(w *facade.Workspace) []string {
			return []string{cell(w.ID), cell(w.Slug), cell(w.Name), str(w.Description), timeStr(&w.CreatedAt)}
		})
}

// workspacesGetOptions is workspaces get.
type workspacesGetOptions struct {
	cmdBase
	conn   *clientFlags
	Ref    string
	Output outputFormat
}

func newWorkspacesGetCmd(f *factory, conn *clientFlags, runF func(*workspacesGetOptions) error) *cobra.Command {
	o := &workspacesGetOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "get WORKSPACE",
		Short:   "Show one workspace, by id or slug",
		Example: "  orkeys workspaces get research",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, apiJSON)
	return cmd
}

func (o *workspacesGetOptions) validate() error { return nil }

func (o *workspacesGetOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Workspaces.Get(o.ctx, facade.GetWorkspaceRequest{ID: o.Ref}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		return err
	}
	return writeWorkspace(o.f, o.Output, raw, &res.Data)
}

// writeWorkspace prints one workspace: the API's JSON, or its details.
func writeWorkspace(f *factory, format outputFormat, raw []byte, w *facade.Workspace) error {
	if format == formatJSON {
		return writeRawJSON(f.io.Out, raw)
	}
	return writeFields(f.io.Out, [][2]string{
		{"ID", cell(w.ID)},
		{"Slug", cell(w.Slug)},
		{"Name", cell(w.Name)},
		{"Description", str(w.Description)},
		{"Default guardrail", cell(w.DefaultGuardrailID)},
		{"Default text model", str(w.DefaultTextModel)},
		{"BYOK in budgets", boolPtr(w.IncludeByokInBudgets)},
		{"Created", timeStr(&w.CreatedAt)},
		{"Updated", timeStr(w.UpdatedAt)},
	})
}

// workspaceFlags are the settings workspaces create and update share.
type workspaceFlags struct {
	fs          *pflag.FlagSet
	Name        string
	Slug        slugValue
	Description string
}

func (w *workspaceFlags) add(cmd *cobra.Command) {
	w.fs = cmd.Flags()
	w.fs.StringVar(&w.Name, "name", "", "the workspace's name")
	w.fs.Var(&w.Slug, "slug", "the workspace's slug: lowercase letters and digits joined by hyphens, unique")
	w.fs.StringVar(&w.Description, "description", "", "what the workspace is for")
}

// workspacesCreateOptions is workspaces create.
type workspacesCreateOptions struct {
	cmdBase
	planeChange
	workspaceFlags
}

func newWorkspacesCreateCmd(f *factory, conn *clientFlags, runF func(*workspacesCreateOptions) error) *cobra.Command {
	o := &workspacesCreateOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}}
	cmd := &cobra.Command{
		Use:     "create --name NAME --slug SLUG",
		Short:   "Create a workspace",
		Example: "  orkeys workspaces create --name Research --slug research --description 'Model evaluation'",
		Args:    noArgs,
		RunE:    runCommand(o, runF),
	}
	o.workspaceFlags.add(cmd)
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *workspacesCreateOptions) validate() error {
	if strings.TrimSpace(o.Name) == "" || !o.Slug.set {
		return usageErrorf("workspaces create needs --name NAME and --slug SLUG, such as: orkeys workspaces create --name Research --slug research")
	}
	return nil
}

func (o *workspacesCreateOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	body := facade.CreateWorkspaceRequestBody{Name: o.Name, Slug: o.Slug.v}
	if o.fs.Changed("description") {
		body.Description = &o.Description
	}
	var raw []byte
	res, err := c.Workspaces.Create(o.ctx, facade.CreateWorkspaceRequest{RequestBody: body}, facade.WithResponseBodyInto(&raw))
	return o.done(o.f, rec, err, func() error { return writeWorkspace(o.f, o.Output, raw, &res.Data) })
}

// workspacesUpdateOptions is workspaces update: only the flags given are
// sent.
type workspacesUpdateOptions struct {
	cmdBase
	planeChange
	workspaceFlags
	Ref           string
	NoDescription bool
}

func newWorkspacesUpdateCmd(f *factory, conn *clientFlags, runF func(*workspacesUpdateOptions) error) *cobra.Command {
	o := &workspacesUpdateOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}}
	cmd := &cobra.Command{
		Use:     "update WORKSPACE",
		Short:   "Change a workspace; only the flags given are sent",
		Example: "  orkeys workspaces update research --name 'Research and evals' --dry-run",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	o.workspaceFlags.add(cmd)
	cmd.Flags().BoolVar(&o.NoDescription, "no-description", false, "remove the description (sends null)")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *workspacesUpdateOptions) validate() error {
	if err := exclusive(o.fs, "description", "no-description", "one sets, the other clears"); err != nil {
		return err
	}
	if o.fs.Changed("name") && strings.TrimSpace(o.Name) == "" {
		return usageErrorf("--name must not be empty")
	}
	if reflect.ValueOf(o.body()).IsZero() {
		return usageErrorf("workspaces update needs at least one change, such as --name NAME")
	}
	return nil
}

func (o *workspacesUpdateOptions) body() facade.UpdateWorkspaceRequestBody {
	var b facade.UpdateWorkspaceRequestBody
	if o.fs.Changed("name") {
		b.Name = &o.Name
	}
	if o.Slug.set {
		b.Slug = &o.Slug.v
	}
	switch {
	case o.fs.Changed("description"):
		b.Description = facade.Value(o.Description)
	case o.NoDescription:
		b.Description = facade.Null[string]()
	}
	return b
}

func (o *workspacesUpdateOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	var raw []byte
	res, err := c.Workspaces.Update(o.ctx, facade.UpdateWorkspaceRequest{ID: o.Ref, RequestBody: o.body()}, facade.WithResponseBodyInto(&raw))
	return o.done(o.f, rec, err, func() error { return writeWorkspace(o.f, o.Output, raw, &res.Data) })
}

// workspacesDeleteOptions is workspaces delete; the API refuses a workspace
// that still has active keys.
type workspacesDeleteOptions struct {
	cmdBase
	planeDelete
	Ref string
}

func newWorkspacesDeleteCmd(f *factory, conn *clientFlags, runF func(*workspacesDeleteOptions) error) *cobra.Command {
	o := &workspacesDeleteOptions{cmdBase: cmdBase{f: f}, planeDelete: planeDelete{planeChange: planeChange{conn: conn}}}
	cmd := &cobra.Command{
		Use:     "delete WORKSPACE",
		Short:   "Delete a workspace without active keys (asks first on a terminal; --yes otherwise)",
		Example: "  orkeys workspaces delete research --yes",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	o.planeDelete.addFlags(cmd)
	return cmd
}

func (o *workspacesDeleteOptions) validate() error {
	return o.check(o.f, o.DryRun, "workspace "+o.Ref)
}

func (o *workspacesDeleteOptions) run() error {
	return o.planeDelete.run(&o.cmdBase, "workspace "+o.Ref,
		func(c *facade.Client) (string, error) {
			got, err := c.Workspaces.Get(o.ctx, facade.GetWorkspaceRequest{ID: o.Ref})
			if err != nil {
				return "", err
			}
			return fmt.Sprintf("workspace %q (%s, id %s)", cell(got.Data.Name), cell(got.Data.Slug), cell(got.Data.ID)), nil
		},
		func(c *facade.Client, raw *[]byte) error {
			_, err := c.Workspaces.Delete(o.ctx, facade.DeleteWorkspaceRequest{ID: o.Ref}, facade.WithResponseBodyInto(raw))
			return err
		})
}
