package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

// createOptions is keys create.
type createOptions struct {
	cmdBase
	conn         *clientFlags
	Name         string
	nameSet      bool
	Limit        limitValue
	LimitReset   resetValue
	ExpiresAt    timeValue
	IncludeBYOK  bool
	byokSet      bool
	Workspace    workspaceValue
	ExternalUser string
	externalSet  bool
	// IfAbsent makes the create re-runnable: an existing key of that name
	// is printed instead, and a duplicate made by a concurrent run is
	// reported (exit 5).
	IfAbsent bool
	Output   outputFormat
	now      func() time.Time
}

const createLong = `Create a key. Its plaintext is printed once, after its details, and is
delivered (written and flushed) before the command ends.

--if-absent makes the command safe to re-run: when a key with exactly this
name exists (disabled keys included) it prints that key, without a
plaintext, and creates nothing. The API has no "create if absent", so two
runs at the same moment can both create: after creating, the command looks
again, and if another key with this name appeared meanwhile it prints the
new key all the same and exits 5, naming every key with the name, so that
you delete the extra ones.`

func newCreateCmd(f *factory, conn *clientFlags, runF func(*createOptions) error) *cobra.Command {
	o := &createOptions{cmdBase: cmdBase{f: f}, conn: conn, now: time.Now}
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a key; its plaintext is printed once",
		Long:  createLong,
		Example: `  orkeys keys create --name ci --limit 25 --limit-reset monthly
  orkeys keys create --name tmp --expires-at 2030-01-01T00:00:00Z -o json
  orkeys keys create --name ci --if-absent   # re-runnable`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints the API's JSON, the new key's plaintext under \"key\"")
	fs := cmd.Flags()
	fs.StringVar(&o.Name, "name", "", "name of the new key (required)")
	fs.Var(&o.Limit, "limit", "spending cap in USD (default: no cap)")
	addLimitResetFlag(cmd, &o.LimitReset, "when the cap starts over: daily, weekly or monthly (needs --limit; default: never)")
	fs.Var(&o.ExpiresAt, "expires-at", "when the key stops working, RFC 3339 (e.g. 2030-01-01T00:00:00Z; default: never)")
	fs.BoolVar(&o.IncludeBYOK, "include-byok-in-limit", false, "count bring-your-own-key spend against the cap")
	addWorkspaceFlag(fs, &o.Workspace, "workspace for the key")
	fs.StringVar(&o.ExternalUser, "external-user", "", "your end user's ID for attribution (keys report it as external_user)")
	fs.BoolVar(&o.IfAbsent, "if-absent", false, "if a key with exactly this name exists (disabled keys included), print it and create nothing; a duplicate made by a concurrent run exits 5")
	cmd.PreRun = func(*cobra.Command, []string) {
		o.nameSet, o.byokSet, o.externalSet = fs.Changed("name"), fs.Changed("include-byok-in-limit"), fs.Changed("external-user")
	}
	return cmd
}

func (o *createOptions) validate() error {
	switch {
	case !o.nameSet:
		return usageErrorf("keys create needs --name NAME, such as: orkeys keys create --name ci-runner")
	case strings.TrimSpace(o.Name) == "":
		return usageErrorf("--name must not be empty")
	case o.externalSet && strings.TrimSpace(o.ExternalUser) == "":
		return usageErrorf("--external-user must not be empty")
	}
	if err := rules.ResetNeedsLimit(o.LimitReset.set, o.Limit.set); err != nil {
		return usageErrorf("--limit-reset needs --limit: %v; give the cap it resets, such as --limit 25 --limit-reset %s", err, o.LimitReset.v)
	}
	if o.ExpiresAt.set {
		return o.ExpiresAt.future("expires-at", o.now())
	}
	return nil
}

func (o *createOptions) body() facade.CreateKeysRequestBody {
	body := facade.CreateKeysRequestBody{Name: o.Name, WorkspaceID: o.Workspace.ptr()}
	if o.Limit.set {
		body.Limit = &o.Limit.v
	}
	if o.LimitReset.set {
		body.LimitReset = facade.Ptr(facade.LimitReset(o.LimitReset.v))
	}
	if o.ExpiresAt.set {
		body.ExpiresAt = &o.ExpiresAt.v
	}
	if o.byokSet {
		body.IncludeByokInLimit = &o.IncludeBYOK
	}
	if o.externalSet {
		body.External = &facade.ExternalIdentity{User: o.ExternalUser}
	}
	return body
}

func (o *createOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	find := facade.FindKeysRequest{Name: o.Name, WorkspaceID: o.Workspace.ptr()}
	if o.IfAbsent {
		found, err := c.APIKeys.Find(o.ctx, find)
		if err != nil {
			return err
		}
		if len(found) > 0 {
			return o.writeExisting(found)
		}
	}
	var raw []byte
	res, err := c.APIKeys.Create(o.ctx, facade.CreateKeysRequest{RequestBody: o.body()}, facade.WithResponseBodyInto(&raw))
	if err != nil {
		if res != nil && res.Data.Hash != "" {
			// A 2XX without a plaintext: say which key now exists.
			return ambiguous(err, fmt.Sprintf("'orkeys keys get %s'; the key %s was created without a usable plaintext: delete it with 'orkeys keys delete %s --yes'",
				res.Data.Hash, res.Data.Hash, res.Data.Hash))
		}
		return err
	}
	if err := writeCreated(o.f.io.Out, o.Output, raw, res); err != nil {
		return err
	}
	if err := o.f.deliver(res.Data.Hash, res.Data.Name, exitError, ""); err != nil {
		return err
	}
	if o.IfAbsent {
		return o.checkRace(c, find, res.Data.Hash)
	}
	return nil
}

// writeCreated prints a new key: the API's JSON (plaintext under "key"),
// or its details and the plaintext.
func writeCreated(w io.Writer, format outputFormat, raw []byte, res *facade.CreateKeysResponse) error {
	if format == formatJSON {
		return writeRawJSON(w, raw)
	}
	if err := writeKeyDetail(w, &res.Data); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nNew key (shown once, store it now): %s\n", res.Key.Reveal())
	return err
}

// checkRace looks for other keys with the name after an --if-absent create:
// a run at the same moment may have created one too.
func (o *createOptions) checkRace(c *facade.Client, find facade.FindKeysRequest, made string) error {
	found, err := c.APIKeys.Find(o.ctx, find)
	if err != nil {
		return ambiguous(fmt.Errorf("key %s was created, but looking for duplicates failed: %w", made, err),
			fmt.Sprintf("'orkeys keys find %s'", shellQuote(o.Name)))
	}
	if len(found) <= 1 {
		return nil
	}
	hashes := make([]string, len(found))
	for i, k := range found {
		hashes[i] = k.Hash
	}
	return ambiguous(fmt.Errorf("--if-absent: %d keys named %q exist after this create (another run created at the same moment): %s; this run made %s",
		len(found), o.Name, strings.Join(hashes, ", "), made),
		fmt.Sprintf("'orkeys keys find %s --oldest' and delete all but one", shellQuote(o.Name)))
}

// writeExisting prints the newest key of found, as keys create would print
// a new one but without a plaintext, and says why on stderr.
func (o *createOptions) writeExisting(found []facade.APIKey) error {
	k := found[0] // newest first
	errOut := o.f.io.ErrOut
	fmt.Fprintf(errOut, "Key %q already exists (hash %s), so nothing was created (--if-absent).\n"+
		"No plaintext is available for an existing key; 'orkeys keys rotate %s' makes a new one.\n", cell(k.Name), cell(k.Hash), cell(k.Hash))
	if len(found) > 1 {
		fmt.Fprintf(errOut, "%d keys have this name; showing the newest ('orkeys keys find' lists them all).\n", len(found))
	}
	if o.Output == formatJSON {
		// The shape of keys create -o json, without "key".
		return writeJSON(o.f.io.Out, struct {
			Data facade.APIKey `json:"data"`
		}{k})
	}
	return writeKeyDetail(o.f.io.Out, &k)
}
