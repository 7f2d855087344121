package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

var oldKeyActions = map[string]facade.OldKeyAction{
	"disable": facade.RotateDisableOld,
	"delete":  facade.RotateDeleteOld,
	"keep":    facade.RotateKeepOld,
}

const rotateLong = `Replace a key with a new one that has the same settings (name, limit,
limit reset, BYOK setting, workspace, creator, external user and, while it
lies ahead, the expiry), then disable the old key (the default), delete it,
or keep it for a grace period (--old keep).

The new key's plaintext is printed once, and delivered (written and
flushed) before anything happens to the old key. If it cannot be written
(a full disk, a closed pipe), the old key is left untouched, the exit code
is 5 and stderr names the new key, to delete before running again. Its
spend starts from zero: its remaining limit is the whole limit again.

If the new key was created but the old one could not be disabled or
deleted, the new key is printed all the same, then the error, and the exit
code is 5: both keys may be live.`

// rotateOptions is keys rotate.
type rotateOptions struct {
	cmdBase
	conn      *clientFlags
	Hash      string
	Old       string
	Name      string
	nameSet   bool
	ExpiresAt timeValue
	// DryRun prints the requests instead of sending those that change
	// anything.
	DryRun bool
	Output outputFormat
	now    func() time.Time
}

func newRotateCmd(f *factory, conn *clientFlags, runF func(*rotateOptions) error) *cobra.Command {
	o := &rotateOptions{cmdBase: cmdBase{f: f}, conn: conn, now: time.Now}
	cmd := &cobra.Command{
		Use:   "rotate HASH",
		Short: "Replace a key with a new one with the same settings; disable, delete or keep the old one",
		Long:  rotateLong,
		Example: `  orkeys keys rotate 3f9a…c1d2
  orkeys keys rotate 3f9a…c1d2 --old keep -o json | jq -r .key   # the new plaintext
  orkeys keys rotate 3f9a…c1d2 --old delete --name ci-2027 --dry-run`,
		Args: f.hashArg(&o.Hash),
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, `json prints {"data": the new key, "key": its plaintext, "old": the old key, "old_action", "old_state", "complete"}`)
	fs := cmd.Flags()
	fs.StringVar(&o.Old, "old", "disable", "what to do with the old key once the new one exists: disable, delete or keep")
	fs.StringVar(&o.Name, "name", "", "name of the new key (default: the old key's name)")
	fs.Var(&o.ExpiresAt, "expires-at", "when the new key stops working, RFC 3339 (default: the old key's expiry, if still ahead)")
	addDryRunFlag(fs, &o.DryRun)
	_ = cmd.RegisterFlagCompletionFunc("old", cobra.FixedCompletions([]string{"disable", "delete", "keep"}, cobra.ShellCompDirectiveNoFileComp))
	cmd.PreRun = func(*cobra.Command, []string) { o.nameSet = fs.Changed("name") }
	return cmd
}

func (o *rotateOptions) validate() error {
	if _, ok := oldKeyActions[o.Old]; !ok {
		return usageErrorf("--old %q: want disable, delete or keep", o.Old)
	}
	if o.nameSet && strings.TrimSpace(o.Name) == "" {
		return usageErrorf("--name must not be empty")
	}
	if o.ExpiresAt.set {
		return o.ExpiresAt.future("expires-at", o.now())
	}
	return nil
}

// run creates the successor (the facade's rotation, with the old key
// kept), delivers its plaintext, and only then disables or deletes the
// old key itself: a plaintext nobody received must not cost the only
// working key.
func (o *rotateOptions) run() error {
	action := oldKeyActions[o.Old]
	c, rec, err := o.f.clientFor(o.conn, o.DryRun)
	if err != nil {
		return err
	}
	req := facade.RotateKeyRequest{Hash: o.Hash, Old: facade.RotateKeepOld}
	if o.nameSet {
		req.Name = &o.Name
	}
	if o.ExpiresAt.set {
		req.ExpiresAt = &o.ExpiresAt.v
	}
	res, err := c.APIKeys.Rotate(o.ctx, req)
	var in *facade.InputError
	switch {
	case err != nil && res != nil && res.New != nil && res.New.Data.Hash != "":
		// A 2XX without a plaintext: say which key now exists.
		h := res.New.Data.Hash
		return ambiguous(err, fmt.Sprintf("'orkeys keys get %s'; the new key %s was created without a usable plaintext and the old key %s is untouched: delete the new one with 'orkeys keys delete %s --yes'",
			h, h, o.Hash, h))
	case errors.As(err, &in) && strings.HasPrefix(in.Setting, "CreateKeysRequestBody."):
		// Not the command line: a setting copied from the old key, as the
		// server sent it, that the create would refuse. Nothing was sent.
		return fmt.Errorf("rotate %s: the old key's settings cannot be copied to a new key: %s; nothing was created",
			o.Hash, strings.TrimPrefix(in.Problem, "CreateKeysRequestBody."))
	case err != nil:
		return err // nothing was created, or it is unknown (exit 5)
	}
	if rec != nil {
		if err := o.oldStep(c, action, res); err != nil {
			return err
		}
		return o.f.writeDryRun(rec, o.Output)
	}

	// 1. The plaintext, delivered.
	w := &rotationWriter{out: o.f.io.Out, format: o.Output}
	if err := w.head(res); err != nil {
		return err
	}
	newHash := res.New.Data.Hash
	if err := o.f.deliver(newHash, res.New.Data.Name, exitAmbiguous, fmt.Sprintf(
		"the old key %s is untouched: delete the new one with 'orkeys keys delete %s --yes', then run the rotation again", o.Hash, newHash)); err != nil {
		return err
	}
	// 2. The old key.
	stepErr := o.oldStep(c, action, res)
	var partial *facade.RotateOldKeyError
	errors.As(stepErr, &partial)
	if err := w.tail(res, action, partial == nil); err != nil {
		return errors.Join(err, stepErr)
	}
	if partial != nil {
		fix := "orkeys keys update " + o.Hash + " --disable"
		if action == facade.RotateDeleteOld {
			fix = "orkeys keys delete " + o.Hash + " --yes"
		}
		return ambiguous(partial, fmt.Sprintf("'orkeys keys get %s' (then '%s' finishes the rotation)", o.Hash, fix))
	}
	return nil
}

// oldStep disables or deletes the old key, as --old says.
func (o *rotateOptions) oldStep(c *facade.Client, action facade.OldKeyAction, res *facade.RotateKeyResponse) error {
	var err error
	switch action {
	case facade.RotateDisableOld:
		var upd *facade.UpdateKeysResponse
		upd, err = c.APIKeys.Update(o.ctx, facade.UpdateKeysRequest{
			Hash: o.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)},
		})
		if err == nil {
			res.Old = &upd.Data
		}
	case facade.RotateDeleteOld:
		_, err = c.APIKeys.Delete(o.ctx, facade.DeleteKeysRequest{Hash: o.Hash})
	}
	if err != nil {
		return &facade.RotateOldKeyError{Action: action, OldHash: o.Hash, NewHash: res.New.Data.Hash, Err: err}
	}
	return nil
}

// rotationJSON is -o json of keys rotate: the new key in the shape of
// keys create -o json, so that scripts read .key and .data.hash alike.
// It is written in two parts, the new key first (rotationWriter), and reads
// as one object.
type rotationJSON struct {
	rotationHead
	rotationTail
}

type rotationHead struct {
	Data facade.APIKey `json:"data"`
	Key  string        `json:"key"`
}

type rotationTail struct {
	Old       *facade.APIKey `json:"old"`
	OldAction string         `json:"old_action"`
	// OldState is disabled, deleted, enabled (kept) or unknown (the step
	// on the old key failed).
	OldState string `json:"old_state"`
	// Complete is false when the step on the old key failed.
	Complete bool `json:"complete"`
}

func oldState(res *facade.RotateKeyResponse, action facade.OldKeyAction, complete bool) string {
	switch {
	case !complete:
		return "unknown"
	case action == facade.RotateDeleteOld:
		return "deleted"
	case res.Old != nil && res.Old.Disabled:
		return "disabled"
	}
	return "enabled"
}

// rotationWriter prints a rotation in two parts: head, the new key with
// its plaintext, which is delivered before the old key is touched; tail,
// what became of the old key.
type rotationWriter struct {
	out    *output
	format outputFormat
}

func (w *rotationWriter) head(res *facade.RotateKeyResponse) error {
	if w.format == formatJSON {
		b, err := json.MarshalIndent(rotationHead{Data: res.New.Data, Key: res.New.Key.Reveal()}, "", "  ")
		if err != nil {
			return err
		}
		// Leave the object open: the tail's members follow.
		b = append(bytes.TrimSuffix(b, []byte("\n}")), ",\n"...)
		_, err = w.out.Write(b)
		return err
	}
	return writeCreated(w.out, formatTable, nil, res.New)
}

func (w *rotationWriter) tail(res *facade.RotateKeyResponse, action facade.OldKeyAction, complete bool) error {
	state := oldState(res, action, complete)
	if w.format == formatJSON {
		b, err := json.MarshalIndent(rotationTail{Old: res.Old, OldAction: action.String(), OldState: state, Complete: complete}, "", "  ")
		if err != nil {
			return err
		}
		_, err = w.out.Write(append(bytes.TrimPrefix(b, []byte("{\n")), '\n'))
		return err
	}
	hash := cell(res.Old.Hash)
	line := fmt.Sprintf("Old key %s: %s", hash, state)
	switch {
	case !complete:
		line = fmt.Sprintf("Old key %s: could not be %sd; it may still work (see the error below)", hash, action)
	case action == facade.RotateKeepOld:
		line += " (kept: disable or delete it after the grace period)"
	}
	_, err := fmt.Fprintln(w.out, line)
	return err
}
