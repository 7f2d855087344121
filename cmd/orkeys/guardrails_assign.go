package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// guardrailsAssignOptions is guardrails assign and unassign: keys by hash
// and members by user id. A key holds at most one guardrail, so assigning
// moves it from the one it had.
type guardrailsAssignOptions struct {
	cmdBase
	planeChange
	assign  bool
	ID      string
	Keys    idsValue
	Members idsValue
}

func newGuardrailsAssignCmd(f *factory, conn *clientFlags, assign bool, runF func(*guardrailsAssignOptions) error) *cobra.Command {
	o := &guardrailsAssignOptions{cmdBase: cmdBase{f: f}, planeChange: planeChange{conn: conn}, assign: assign,
		Keys: idsValue{check: rules.KeyHash, kind: "hash"}, Members: idsValue{check: userID, kind: "user-id"}}
	use, short, example := "assign", "Assign a guardrail to keys and members (a key's previous guardrail is replaced)",
		"  orkeys guardrails assign 4b0c…e1 --key 3f9a…c1d2 --member user_carol"
	if !assign {
		use, short, example = "unassign", "Take a guardrail off keys and members",
			"  orkeys guardrails unassign 4b0c…e1 --key 3f9a…c1d2 --dry-run"
	}
	cmd := &cobra.Command{
		Use:     use + " ID [--key HASH]... [--member USER]...",
		Short:   short,
		Example: example,
		Args:    refArgs(guardrailArg(&o.ID)),
		RunE:    runCommand(o, runF),
	}
	fs := cmd.Flags()
	fs.Var(&o.Keys, "key", "a key's hash (repeatable, or comma-separated)")
	fs.Var(&o.Members, "member", "a member's user id (repeatable, or comma-separated; 'orkeys members' lists them)")
	o.planeChange.addFlags(cmd)
	return cmd
}

func (o *guardrailsAssignOptions) validate() error {
	if len(o.Keys.v) == 0 && len(o.Members.v) == 0 {
		return usageErrorf("%s needs --key HASH or --member USER", "guardrails "+o.verb())
	}
	for _, l := range []struct {
		flag string
		ids  []string
	}{{"--key", o.Keys.v}, {"--member", o.Members.v}} {
		if len(l.ids) > 0 {
			if err := rules.IDList(l.ids, 0); err != nil {
				return usageErrorf("%s: %v", l.flag, err)
			}
		}
	}
	return nil
}

func (o *guardrailsAssignOptions) verb() string {
	if o.assign {
		return "assign"
	}
	return "unassign"
}

// counts is what an assign or unassign did, as -o json prints it.
type counts struct {
	Keys    int `json:"keys"`
	Members int `json:"members"`
}

func (o *guardrailsAssignOptions) run() error {
	c, rec, err := o.client(o.f)
	if err != nil {
		return err
	}
	n, err := o.send(c)
	return o.done(o.f, rec, err, func() error {
		if o.Output == formatJSON {
			return writeJSON(o.f.io.Out, n)
		}
		var did []string
		if len(o.Keys.v) > 0 {
			did = append(did, plural(n.Keys, "key", "keys"))
		}
		if len(o.Members.v) > 0 {
			did = append(did, plural(n.Members, "member", "members"))
		}
		_, err := fmt.Fprintf(o.f.io.Out, "Guardrail %s: %sed %s.\n", o.ID, o.verb(), strings.Join(did, " and "))
		return err
	})
}

func (o *guardrailsAssignOptions) send(c *facade.Client) (counts, error) {
	var n counts
	g := c.Guardrails
	if keys := o.Keys.v; len(keys) > 0 {
		if o.assign {
			res, err := g.BulkAssignKeys(o.ctx, facade.BulkAssignKeysToGuardrailRequest{ID: o.ID, RequestBody: facade.BulkAssignKeysRequestBody{KeyHashes: keys}})
			if err != nil {
				return n, err
			}
			n.Keys = res.AssignedCount
		} else {
			res, err := g.BulkUnassignKeys(o.ctx, facade.BulkUnassignKeysFromGuardrailRequest{ID: o.ID, RequestBody: facade.BulkUnassignKeysRequestBody{KeyHashes: keys}})
			if err != nil {
				return n, err
			}
			n.Keys = res.UnassignedCount
		}
	}
	if users := o.Members.v; len(users) > 0 {
		if o.assign {
			res, err := g.BulkAssignMembers(o.ctx, facade.BulkAssignMembersToGuardrailRequest{ID: o.ID, RequestBody: facade.BulkAssignMembersRequestBody{MemberUserIds: users}})
			if err != nil {
				return n, err
			}
			n.Members = res.AssignedCount
		} else {
			res, err := g.BulkUnassignMembers(o.ctx, facade.BulkUnassignMembersFromGuardrailRequest{ID: o.ID, RequestBody: facade.BulkUnassignMembersRequestBody{MemberUserIds: users}})
			if err != nil {
				return n, err
			}
			n.Members = res.UnassignedCount
		}
	}
	return n, nil
}

// guardrailsAssignmentsOptions is guardrails assignments: one guardrail's,
// or every guardrail's, key (or --members: member) assignments.
type guardrailsAssignmentsOptions struct {
	cmdBase
	conn    *clientFlags
	ID      string
	Members bool
	Output  outputFormat
}

func newGuardrailsAssignmentsCmd(f *factory, conn *clientFlags, runF func(*guardrailsAssignmentsOptions) error) *cobra.Command {
	o := &guardrailsAssignmentsOptions{cmdBase: cmdBase{f: f}, conn: conn}
	cmd := &cobra.Command{
		Use:   "assignments [ID]",
		Short: "List the keys (or --members) a guardrail is assigned to; every guardrail's without ID",
		Example: `  orkeys guardrails assignments
  orkeys guardrails assignments 4b0c…e1 --members -o json`,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return nil
			}
			return refArgs(guardrailArg(&o.ID))(cmd, args)
		},
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of every assignment")
	cmd.Flags().BoolVar(&o.Members, "members", false, "list member assignments instead of key assignments")
	return cmd
}

func (o *guardrailsAssignmentsOptions) validate() error { return nil }

func (o *guardrailsAssignmentsOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	g := c.Guardrails
	if o.Members {
		seq := g.ListMemberAssignmentsAll(o.ctx, facade.ListMemberAssignmentsRequest{})
		if o.ID != "" {
			seq = g.ListGuardrailMemberAssignmentsAll(o.ctx, facade.ListGuardrailMemberAssignmentsRequest{ID: o.ID})
		}
		all, err := collect(seq)
		if err != nil {
			return err
		}
		return writeList(o.f, o.Output, all, "No member assignments.", []string{"GUARDRAIL", "USER", "ASSIGNED BY", "CREATED"},
			func(a *facade.MemberAssignment) []string {
				return []string{cell(a.GuardrailID), cell(a.UserID), str(a.AssignedBy), timeStr(&a.CreatedAt)}
			})
	}
	seq := g.ListKeyAssignmentsAll(o.ctx, facade.ListKeyAssignmentsRequest{})
	if o.ID != "" {
		seq = g.ListGuardrailKeyAssignmentsAll(o.ctx, facade.ListGuardrailKeyAssignmentsRequest{ID: o.ID})
	}
	all, err := collect(seq)
	if err != nil {
		return err
	}
	return writeList(o.f, o.Output, all, "No key assignments.", []string{"GUARDRAIL", "KEY", "NAME", "LABEL", "CREATED"},
		func(a *facade.KeyAssignment) []string {
			return []string{cell(a.GuardrailID), cell(a.KeyHash), cell(a.KeyName), cell(a.KeyLabel), timeStr(&a.CreatedAt)}
		})
}
