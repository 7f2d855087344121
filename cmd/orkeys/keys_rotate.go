package main

import (
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

The new key's plaintext is printed once. Its spend starts from zero: its
remaining limit is the whole limit again.

If the new key was created but the old one could not be disabled or
deleted, the new key is printed all the same, then the error, and the exit
code is 5: both keys may be live.`

func (a *app) keysRotateCmd(cf *clientFlags) *cobra.Command {
	var old, name, expiresAt string
	cmd := &cobra.Command{
		Use:   "rotate HASH",
		Short: "Replace a key with a new one with the same settings; disable, delete or keep the old one",
		Long:  rotateLong,
		Example: `  orkeys keys rotate 3f9a…c1d2
  orkeys keys rotate 3f9a…c1d2 --old keep -o json | jq -r .key   # the new plaintext
  orkeys keys rotate 3f9a…c1d2 --old delete --name ci-2027 --dry-run`,
		Args: a.hashArg,
	}
	out := addOutputFlag(cmd, `json prints {"data": the new key, "key": its plaintext, "old": the old key, "old_action", "old_state", "complete"}`)
	fs := cmd.Flags()
	fs.StringVar(&old, "old", "disable", "what to do with the old key once the new one exists: disable, delete or keep")
	fs.StringVar(&name, "name", "", "name of the new key (default: the old key's name)")
	fs.StringVar(&expiresAt, "expires-at", "", "when the new key stops working, RFC 3339 (default: the old key's expiry, if still ahead)")
	_ = cmd.RegisterFlagCompletionFunc("old", cobra.FixedCompletions([]string{"disable", "delete", "keep"}, cobra.ShellCompDirectiveNoFileComp))

	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		action, ok := oldKeyActions[old]
		if !ok {
			return usageErrorf("--old %q: want disable, delete or keep", old)
		}
		req := facade.RotateKeyRequest{Hash: args[0], Old: action}
		if fs.Changed("name") {
			if strings.TrimSpace(name) == "" {
				return usageErrorf("--name must not be empty")
			}
			req.Name = &name
		}
		if fs.Changed("expires-at") {
			t, err := parseExpiry(expiresAt, time.Now())
			if err != nil {
				return err
			}
			req.ExpiresAt = &t
		}
		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		res, err := c.APIKeys.Rotate(cmd.Context(), req)
		var partial *facade.RotateOldKeyError
		if err != nil && !errors.As(err, &partial) {
			return err // nothing was created, or it is unknown (exit 5)
		}
		// The plaintext goes out before any error: it exists nowhere else.
		if werr := writeRotation(a, *out, res, action, partial == nil); werr != nil {
			return errors.Join(werr, err)
		}
		if partial != nil {
			fix := "orkeys keys update " + partial.OldHash + " --disable"
			if action == facade.RotateDeleteOld {
				fix = "orkeys keys delete " + partial.OldHash + " --yes"
			}
			return ambiguous(err, fmt.Sprintf("'orkeys keys get %s' (then '%s' finishes the rotation)", partial.OldHash, fix))
		}
		return nil
	})
	return cmd
}

// rotationJSON is -o json of keys rotate: the new key in the shape of
// keys create -o json, so that scripts read .key and .data.hash alike.
type rotationJSON struct {
	Data      facade.APIKey  `json:"data"`
	Key       string         `json:"key"`
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

func writeRotation(a *app, format outputFormat, res *facade.RotateKeyResponse, action facade.OldKeyAction, complete bool) error {
	state := oldState(res, action, complete)
	if format == formatJSON {
		return writeJSON(a.stdout, rotationJSON{
			Data: res.New.Data, Key: res.New.Key.Reveal(), Old: res.Old,
			OldAction: action.String(), OldState: state, Complete: complete,
		})
	}
	if err := writeKeyDetail(a.stdout, &res.New.Data); err != nil {
		return err
	}
	line := fmt.Sprintf("Old key %s: %s", res.Old.Hash, state)
	switch {
	case !complete:
		line = fmt.Sprintf("Old key %s: could not be %sd; it may still work (see the error below)", res.Old.Hash, action)
	case action == facade.RotateKeepOld:
		line += " (kept: disable or delete it after the grace period)"
	}
	_, err := fmt.Fprintf(a.stdout, "\nNew key (shown once, store it now): %s\n%s\n", res.New.Key.Reveal(), line)
	return err
}
