package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// workspaceMembersOptions is workspaces members.
type workspaceMembersOptions struct {
	cmdBase
	conn   *clientFlags
	Ref    string
	Output outputFormat
}

func newWorkspaceMembersCmd(f *factory, conn *clientFlags, runF func(*workspaceMembersOptions) error) *cobra.Command {
	o := &workspaceMembersOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:     "members WORKSPACE",
		Short:   "List a workspace's members",
		Example: "  orkeys workspaces members research",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of every member")
	return cmd
}

func (o *workspaceMembersOptions) validate() error { return nil }

func (o *workspaceMembersOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	all, err := collect(c.Workspaces.ListMembersAll(o.ctx, facade.ListWorkspaceMembersRequest{ID: o.Ref}))
	if err != nil {
		return err
	}
	return writeList(o.f, o.Output, all, "No members.", []string{"USER", "ROLE", "SINCE"},
		func(m *facade.WorkspaceMember) []string {
			return []string{cell(m.UserID), cell(string(m.Role)), timeStr(&m.CreatedAt)}
		})
}

// workspaceMembersChangeOptions is workspaces add-members and
// remove-members.
type workspaceMembersChangeOptions struct {
	cmdBase
	planeChange
	add   bool
	Ref   string
	Users idsValue
}

func newWorkspaceMembersChangeCmd(f *factory, conn *clientFlags, add bool, runF func(*workspaceMembersChangeOptions) error) *cobra.Command {
	o := &workspaceMembersChangeOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}, add: add,
		Users: idsValue{check: userID, kind: "user-id"}}
	use, short := "add-members", "Add organization members to a workspace"
	if !add {
		use, short = "remove-members", "Remove members from a workspace"
	}
	cmd := &cobra.Command{
		Use:     use + " WORKSPACE --user USER...",
		Short:   short,
		Example: "  orkeys workspaces " + use + " research --user user_bob,user_carol",
		Args:    refArgs(workspaceArg(&o.Ref)),
		RunE:    runCommand(o, runF),
	}
	cmd.Flags().Var(&o.Users, "user", "a member's user id (repeatable, or comma-separated; 'orkeys members' lists them)")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *workspaceMembersChangeOptions) validate() error {
	if err := rules.IDList(o.Users.v, 0); err != nil {
		return usageErrorf("--user: %v, such as --user user_bob", err)
	}
	return nil
}

func (o *workspaceMembersChangeOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	var raw []byte
	n, verb := 0, "Added"
	if o.add {
		var res *facade.BulkAddWorkspaceMembersResponse
		res, err = c.Workspaces.BulkAddMembers(o.ctx, facade.BulkAddWorkspaceMembersRequest{ID: o.Ref,
			RequestBody: facade.BulkAddWorkspaceMembersRequestBody{UserIds: o.Users.v}}, facade.WithResponseBodyInto(&raw))
		if err == nil {
			n = res.AddedCount
		}
	} else {
		var res *facade.BulkRemoveWorkspaceMembersResponse
		res, err = c.Workspaces.BulkRemoveMembers(o.ctx, facade.BulkRemoveWorkspaceMembersRequest{ID: o.Ref,
			RequestBody: facade.BulkRemoveWorkspaceMembersRequestBody{UserIds: o.Users.v}}, facade.WithResponseBodyInto(&raw))
		if err == nil {
			n, verb = res.RemovedCount, "Removed"
		}
	}
	return o.done(o.f, rec, err, func() error {
		if o.Output == formatJSON {
			return writeRawJSON(o.f.io.Out, raw)
		}
		_, err := fmt.Fprintf(o.f.io.Out, "%s %s (workspace %s).\n", verb, plural(n, "member", "members"), o.Ref)
		return err
	})
}

// membersOptions is orkeys members: the organization's members.
type membersOptions struct {
	cmdBase
	conn   *clientFlags
	Output outputFormat
}

func (f *factory) membersCmd() *cobra.Command { return newMembersCmd(f, nil) }

func newMembersCmd(f *factory, runF func(*membersOptions) error) *cobra.Command {
	o := &membersOptions{cmdBase: cmdBase{f: f}}
	cmd := &cobra.Command{
		Use:     "members",
		Short:   "List the organization's members (needs a management key)",
		Example: "  orkeys members -o json",
		Args:    noArgs,
		RunE:    runCommand(o, runF),
	}
	o.conn = addClientFlags(cmd.Flags())
	addOutputFlag(cmd, &o.Output, "json prints one array of every member")
	return cmd
}

func (o *membersOptions) validate() error { return nil }

func (o *membersOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	all, err := collect(c.Organization.ListMembersAll(o.ctx, facade.ListOrganizationMembersRequest{}))
	if err != nil {
		return err
	}
	return writeList(o.f, o.Output, all, "No members.", []string{"USER", "EMAIL", "NAME", "ROLE"},
		func(m *facade.OrganizationMember) []string {
			name := ""
			for _, p := range []*string{m.FirstName, m.LastName} {
				if p != nil && *p != "" {
					name += " " + *p
				}
			}
			if name == "" {
				return []string{cell(m.ID), cell(m.Email), none, cell(string(m.Role))}
			}
			return []string{cell(m.ID), cell(m.Email), cell(name[1:]), cell(string(m.Role))}
		})
}
