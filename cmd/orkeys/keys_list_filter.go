package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
)

// withListFilters adds --expiring-within and --name-prefix to keys list.
// The API filters by neither, so with either flag the command reads every
// page (as --all does) and filters here.
func (a *app) withListFilters(cmd *cobra.Command, cf *clientFlags) *cobra.Command {
	var within, prefix string
	fs := cmd.Flags()
	fs.StringVar(&within, "expiring-within", "", "only keys that expire within this long, such as 7d, 36h or 1d12h (expired ones too); reads every page")
	fs.StringVar(&prefix, "name-prefix", "", "only keys whose name starts with this; reads every page")
	inner := cmd.RunE
	cmd.RunE = runE(func(cmd *cobra.Command, args []string) error {
		if !fs.Changed("expiring-within") && !fs.Changed("name-prefix") {
			return inner(cmd, args)
		}
		keep, err := listFilter(fs.Changed("expiring-within"), within, fs.Changed("name-prefix"), prefix, time.Now())
		if err != nil {
			return err
		}
		if fs.Changed("offset") {
			return usageErrorf("--offset cannot be used with --expiring-within or --name-prefix: they read every page from the first")
		}
		var req facade.ListRequest
		req.IncludeDisabled, _ = fs.GetBool("include-disabled")
		if fs.Changed("workspace") {
			ws, _ := fs.GetString("workspace")
			if err := checkUUID("--workspace", ws); err != nil {
				return err
			}
			req.WorkspaceID = &ws
		}
		c, err := a.newClient(fs, cf, a.stderr)
		if err != nil {
			return err
		}
		keys, _, err := listAll(cmd.Context(), c, req)
		if err != nil {
			return err
		}
		matched := []facade.APIKey{}
		for i := range keys {
			if keep(&keys[i]) {
				matched = append(matched, keys[i])
			}
		}
		if fs.Lookup("output").Value.String() == string(formatJSON) {
			// As with --all: one array of the matching keys.
			return writeJSON(a.stdout, matched)
		}
		if len(matched) == 0 {
			msg := "No keys match."
			if !req.IncludeDisabled {
				msg = "No enabled keys match (--include-disabled looks at disabled ones too)."
			}
			_, err := fmt.Fprintln(a.stdout, msg)
			return err
		}
		return writeKeyTable(a.stdout, matched, a.tableWidth())
	})
	return cmd
}

// listFilter checks the filter flags and returns the test a key must pass.
func listFilter(byExpiry bool, within string, byName bool, prefix string, now time.Time) (func(*facade.APIKey) bool, error) {
	var until time.Time
	if byExpiry {
		d, err := parseWithin(within)
		if err != nil {
			return nil, err
		}
		until = now.Add(d)
	}
	if byName && prefix == "" {
		return nil, usageErrorf("--name-prefix must not be empty (leave it out to list every key)")
	}
	return func(k *facade.APIKey) bool {
		if byExpiry && (k.ExpiresAt.Instant() == nil || k.ExpiresAt.After(until)) {
			return false
		}
		return !byName || strings.HasPrefix(k.Name, prefix)
	}, nil
}

// parseWithin reads a duration that may count days, which Go's durations
// lack: 7d, 36h, 1d12h, 90m. 0 selects keys that have already expired.
func parseWithin(s string) (time.Duration, error) {
	bad := usageErrorf("--expiring-within %q: want a duration such as 7d, 36h or 1d12h", s)
	var d time.Duration
	rest := strings.TrimSpace(s)
	if days, after, ok := strings.Cut(rest, "d"); ok {
		n, err := strconv.ParseUint(days, 10, 16)
		if err != nil {
			return 0, bad
		}
		d, rest = time.Duration(n)*24*time.Hour, after
	}
	if rest != "" {
		more, err := time.ParseDuration(rest)
		if err != nil || more < 0 {
			return 0, bad
		}
		d += more
	}
	if rest == "" && d == 0 && strings.TrimSpace(s) != "0d" {
		return 0, bad // "" or "d"
	}
	return d, nil
}
