package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/internal/rules"
)

func (a *app) keysCreateCmd(cf *clientFlags) *cobra.Command {
	var (
		name         string
		limit        float64
		limitReset   string
		expiresAt    string
		includeBYOK  bool
		workspace    string
		externalUser string
	)
	cmd := &cobra.Command{
		Use:   "create --name NAME",
		Short: "Create a key; its plaintext is printed once",
		Example: `  orkeys keys create --name ci --limit 25 --limit-reset monthly
  orkeys keys create --name tmp --expires-at 2030-01-01T00:00:00Z -o json`,
		Args: a.noArgs,
	}
	out := addOutputFlag(cmd, "json prints the API's JSON, the new key's plaintext under \"key\"")
	fs := cmd.Flags()
	fs.StringVar(&name, "name", "", "name of the new key (required)")
	fs.Float64Var(&limit, "limit", 0, "spending cap in USD (default: no cap)")
	fs.StringVar(&limitReset, "limit-reset", "", "when the cap starts over: daily, weekly or monthly (default: never)")
	fs.StringVar(&expiresAt, "expires-at", "", "when the key stops working, RFC 3339 (e.g. 2030-01-01T00:00:00Z; default: never)")
	fs.BoolVar(&includeBYOK, "include-byok-in-limit", false, "count bring-your-own-key spend against the cap")
	fs.StringVar(&workspace, "workspace", "", "workspace UUID for the key (default: the default workspace)")
	fs.StringVar(&externalUser, "external-user", "", "your end user's ID for attribution (keys report it as external_user)")
	registerLimitResetCompletion(cmd)

	cmd.RunE = runE(func(cmd *cobra.Command, _ []string) error {
		body := facade.CreateKeysRequestBody{Name: name}
		if !fs.Changed("name") {
			return usageErrorf("keys create needs --name NAME, such as: orkeys keys create --name ci-runner")
		}
		if strings.TrimSpace(name) == "" {
			return usageErrorf("--name must not be empty")
		}
		if fs.Changed("limit-reset") && !fs.Changed("limit") {
			// A reset period without a cap resets nothing.
			return usageErrorf("--limit-reset needs --limit: give the cap it resets, such as --limit 25 --limit-reset %s", limitReset)
		}
		if fs.Changed("limit") {
			if err := checkLimit(limit); err != nil {
				return err
			}
			body.Limit = &limit
		}
		if fs.Changed("limit-reset") {
			r, err := parseLimitReset(limitReset)
			if err != nil {
				return err
			}
			body.LimitReset = &r
		}
		if fs.Changed("expires-at") {
			t, err := parseExpiry(expiresAt, time.Now())
			if err != nil {
				return err
			}
			body.ExpiresAt = &t
		}
		if fs.Changed("include-byok-in-limit") {
			body.IncludeByokInLimit = &includeBYOK
		}
		if fs.Changed("external-user") {
			if strings.TrimSpace(externalUser) == "" {
				return usageErrorf("--external-user must not be empty")
			}
			body.External = &facade.ExternalIdentity{User: externalUser}
		}
		if fs.Changed("workspace") {
			if err := checkUUID("--workspace", workspace); err != nil {
				return err
			}
			body.WorkspaceID = &workspace
		}

		c, err := a.newClient(cmd.Flags(), cf, a.stderr)
		if err != nil {
			return err
		}
		var raw []byte
		res, err := c.APIKeys.Create(cmd.Context(), facade.CreateKeysRequest{RequestBody: body}, facade.WithResponseBodyInto(&raw))
		if err != nil {
			return err
		}
		if *out == formatJSON {
			// The API's JSON: it holds the plaintext under "key", once.
			return writeRawJSON(a.stdout, raw)
		}
		if err := writeKeyDetail(a.stdout, &res.Data); err != nil {
			return err
		}
		_, err = fmt.Fprintf(a.stdout, "\nNew key (shown once, store it now): %s\n", res.Key.Reveal())
		return err
	})
	return cmd
}

// checkLimit rejects caps the API would refuse, naming the flag.
// checkLimit, parseLimitReset and parseExpiry apply the rules the facade and
// the fake apply too (internal/rules), in flag terms.
func checkLimit(v float64) error {
	if err := rules.Limit(v); err != nil {
		return usageErrorf("--limit %v", err)
	}
	return nil
}

func parseLimitReset(s string) (facade.LimitReset, error) {
	if err := rules.LimitReset(s); err != nil {
		return "", usageErrorf("--limit-reset %v", err)
	}
	return facade.LimitReset(s), nil
}

func registerLimitResetCompletion(cmd *cobra.Command) {
	_ = cmd.RegisterFlagCompletionFunc("limit-reset", cobra.FixedCompletions(rules.LimitResets, cobra.ShellCompDirectiveNoFileComp))
}

// parseExpiry reads an RFC 3339 time that must lie in the future; the API
// wants UTC, so it is converted (the same instant).
func parseExpiry(s string, now time.Time) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usageErrorf("--expires-at %q: want an RFC 3339 time such as 2030-01-01T00:00:00Z", s)
	}
	if err := rules.ExpiresAt(t, now); err != nil {
		return time.Time{}, usageErrorf("--expires-at %v", err)
	}
	return t.UTC(), nil
}
