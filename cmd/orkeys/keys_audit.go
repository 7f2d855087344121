package main

import (
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// auditOptions is keys audit: facade.Audit over every workspace, printed.
type auditOptions struct {
	cmdBase
	conn           *clientFlags
	UnusedFor      withinValue
	ExpiringWithin withinValue
	NearLimit      countValue
	Output         outputFormat
	now            func() time.Time
}

const auditLong = `Report what an operator should look at, in every workspace: each finding
with the key (its hash, or a provider key's id) and the reason.

  no_limit                 an enabled key without a spending limit
  unused                   an enabled key not used for --unused-for (30d), or
                           never used and created that long ago; a key
                           created since and never used is not a finding
  expiring                 an enabled key that expires within
                           --expiring-within (7d)
  near_limit               an enabled key that has spent --near-limit (80)
                           percent or more of its limit in the current window
  disabled_with_guardrail  a disabled key still holding a guardrail
  byok_unusable            an enabled provider key restricted to API keys none
                           of which is enabled, so no API key may use it

It exits 0 when nothing is found and 8 when something is, so that CI can
run it as a check.`

func newAuditCmd(f *factory, conn *clientFlags, runF func(*auditOptions) error) *cobra.Command {
	o := &auditOptions{cmdBase: cmdBase{f: f}, conn: conn, now: time.Now}
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Report keys to look at: no limit, unused, expiring, near their limit, …; exit 8 when any",
		Long:  auditLong,
		Example: `  orkeys keys audit
  orkeys keys audit --unused-for 90d -o json   # in CI: exit 8 on findings`,
		Args: noArgs,
		RunE: runCommand(o, runF),
	}
	addOutputFlag(cmd, &o.Output, "json prints one array of findings: kind, hash or byok_id, name, reason")
	fs := cmd.Flags()
	fs.Var(&o.UnusedFor, "unused-for", "how long without use makes a key a finding, such as 30d or 90d (default 30d)")
	fs.Var(&o.ExpiringWithin, "expiring-within", "how soon an expiry is a finding, such as 7d or 36h (default 7d)")
	fs.Var(&o.NearLimit, "near-limit", "the percent of a key's limit spent in the current window that is a finding, 1 to 100 (default 80)")
	return cmd
}

func (o *auditOptions) validate() error {
	switch {
	case o.UnusedFor.set && o.UnusedFor.v == 0:
		return usageErrorf("--unused-for must be more than 0, such as 30d")
	case o.ExpiringWithin.set && o.ExpiringWithin.v == 0:
		return usageErrorf("--expiring-within must be more than 0, such as 7d")
	case o.NearLimit.set && (o.NearLimit.n < 1 || o.NearLimit.n > 100):
		return usageErrorf("--near-limit %d: want a percent from 1 to 100", o.NearLimit.n)
	}
	return nil
}

func (o *auditOptions) run() error {
	c, err := o.f.newClient(o.conn, clientSpec{})
	if err != nil {
		return err
	}
	opts := facade.AuditOptions{UnusedFor: o.UnusedFor.v, ExpiringWithin: o.ExpiringWithin.v, NearLimit: float64(o.NearLimit.n) / 100}
	found, err := facade.Audit(o.ctx, c, o.now(), opts)
	if err != nil {
		return err
	}
	out := o.f.io.Out
	switch {
	case o.Output == formatJSON:
		if found == nil {
			found = []facade.AuditFinding{}
		}
		err = writeJSON(out, found)
	case len(found) == 0:
		_, err = fmt.Fprintln(out, "Nothing found: every enabled key has a limit, is in use, is not about to expire and is under its limit.")
	default:
		err = writeAuditTable(out, found)
	}
	if err != nil || len(found) == 0 {
		return err
	}
	return &exitErr{code: exitFound, err: fmt.Errorf("keys audit: %s", plural(len(found), "finding", "findings"))}
}

func writeAuditTable(w io.Writer, found []facade.AuditFinding) error {
	rows := [][]string{{"KIND", "KEY", "NAME", "REASON"}}
	for _, a := range found {
		key := a.Hash
		if a.BYOKID != "" {
			key = "byok " + a.BYOKID
		}
		rows = append(rows, []string{cell(string(a.Kind)), cell(key), cell(a.Name), cell(a.Reason)})
	}
	return writeRows(w, rows)
}
