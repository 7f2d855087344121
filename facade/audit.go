package facade

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"time"
)

// The inventory: what an operator of an account should look at, from the
// keys, their guardrails and the provider keys (issue 22's keys audit).
// AuditOf decides from data already fetched and sends nothing; Audit fetches
// it, from every workspace, and calls AuditOf.

// AuditKind names a finding.
type AuditKind string

// The findings, in the order Audit reports them.
const (
	// AuditNoLimit: an enabled key without a spending limit.
	AuditNoLimit AuditKind = "no_limit"
	// AuditUnused: an enabled key not used for AuditOptions.UnusedFor, or
	// never used and created longer ago than that. A key created since and
	// never used is not a finding: it has not had the time.
	AuditUnused AuditKind = "unused"
	// AuditExpiring: an enabled key that expires within
	// AuditOptions.ExpiringWithin (and has not yet).
	AuditExpiring AuditKind = "expiring"
	// AuditNearLimit: an enabled key that has spent AuditOptions.NearLimit
	// or more of its limit in the current window.
	AuditNearLimit AuditKind = "near_limit"
	// AuditDisabledWithGuardrail: a disabled key still holding a guardrail.
	AuditDisabledWithGuardrail AuditKind = "disabled_with_guardrail"
	// AuditBYOKUnusable: an enabled provider key restricted to API keys of
	// which none exists enabled any more, so no API key may use it.
	AuditBYOKUnusable AuditKind = "byok_unusable"
)

var auditOrder = []AuditKind{AuditNoLimit, AuditUnused, AuditExpiring, AuditNearLimit, AuditDisabledWithGuardrail, AuditBYOKUnusable}

// AuditFinding is one thing to look at: the key (by hash and name, or the
// provider key by id) and the reason, for people.
type AuditFinding struct {
	Kind   AuditKind `json:"kind"`
	Hash   string    `json:"hash,omitempty"`
	Name   string    `json:"name,omitempty"`
	BYOKID string    `json:"byok_id,omitempty"`
	Reason string    `json:"reason"`
}

// AuditOptions tunes the findings; zero fields take the defaults.
type AuditOptions struct {
	// UnusedFor is how long without use makes a key dormant (30 days).
	UnusedFor time.Duration
	// ExpiringWithin is how soon an expiry is worth a finding (7 days).
	ExpiringWithin time.Duration
	// NearLimit is the share of the limit spent that is worth a finding
	// (0.8).
	NearLimit float64
}

func (o AuditOptions) withDefaults() AuditOptions {
	if o.UnusedFor <= 0 {
		o.UnusedFor = 30 * 24 * time.Hour
	}
	if o.ExpiringWithin <= 0 {
		o.ExpiringWithin = 7 * 24 * time.Hour
	}
	if o.NearLimit <= 0 {
		o.NearLimit = 0.8
	}
	return o
}

// AuditOf returns the findings about keys (of any workspaces, disabled ones
// included), the guardrail assignments of keys and the provider keys, at
// now: sorted by kind, then name. It sends no request.
func AuditOf(keys []APIKey, assigned []KeyAssignment, byok []BYOKKey, now time.Time, o AuditOptions) []AuditFinding {
	o, now = o.withDefaults(), now.UTC()
	var out []AuditFinding
	add := func(kind AuditKind, k *APIKey, format string, args ...any) {
		out = append(out, AuditFinding{Kind: kind, Hash: k.Hash, Name: k.Name, Reason: fmt.Sprintf(format, args...)})
	}
	day := func(t time.Time) string { return t.UTC().Format(time.DateOnly) }
	enabled := map[string]bool{}
	guardrailOf := map[string]string{}
	for _, a := range assigned {
		guardrailOf[a.KeyHash] = a.GuardrailID
	}
	for i := range keys {
		k := &keys[i]
		if k.Disabled {
			if g, ok := guardrailOf[k.Hash]; ok {
				add(AuditDisabledWithGuardrail, k, "disabled, but still holds guardrail %s", g)
			}
			continue
		}
		expires := k.ExpiresAt.Instant()
		if expires != nil && !expires.After(now) {
			continue // expired: it can do nothing either
		}
		enabled[k.Hash] = true
		if k.Limit == nil {
			add(AuditNoLimit, k, "no spending limit")
		}
		if Dormant(*k, now, o.UnusedFor) {
			if last := k.LastUsedAt.Instant(); last != nil {
				add(AuditUnused, k, "not used for %d days (last used %s)", int(now.Sub(*last).Hours()/24), day(*last))
			} else {
				add(AuditUnused, k, "never used, created %s", day(k.CreatedAt.Time))
			}
		}
		if expires != nil && expires.Sub(now) <= o.ExpiringWithin {
			add(AuditExpiring, k, "expires %s, in %s", expires.UTC().Format(time.RFC3339), expires.Sub(now).Round(time.Minute))
		}
		if b := BudgetOf(*k, now); b.Fraction != nil && *b.Fraction >= o.NearLimit {
			add(AuditNearLimit, k, "spent %s of %s USD (%s) this window", usd(b.Spent), usd(*b.Limit), percent(*b.Fraction))
		}
	}
	for _, p := range byok {
		if p.Disabled || p.AllowedAPIKeyHashes == nil {
			continue
		}
		if !slices.ContainsFunc(*p.AllowedAPIKeyHashes, func(h string) bool { return enabled[h] }) {
			name := p.Label
			if p.Name != nil {
				name = *p.Name
			}
			out = append(out, AuditFinding{Kind: AuditBYOKUnusable, BYOKID: p.ID, Name: name,
				Reason: string(p.Provider) + " provider key " + restrictedTo(len(*p.AllowedAPIKeyHashes))})
		}
	}
	slices.SortStableFunc(out, func(a, b AuditFinding) int {
		return cmp.Or(cmp.Compare(slices.Index(auditOrder, a.Kind), slices.Index(auditOrder, b.Kind)), cmp.Compare(a.Name, b.Name))
	})
	return out
}

// Dormant reports whether key has gone unused for d at now: its last use
// (last_used_at) is d or more ago, or it was never used and was created d
// or more ago. A key created since and never used is not dormant: it has
// not had the time. keys list --unused-for and Audit both go by this.
func Dormant(key APIKey, now time.Time, d time.Duration) bool {
	if last := key.LastUsedAt.Instant(); last != nil {
		return now.Sub(*last) >= d
	}
	created := key.CreatedAt.Instant()
	return created != nil && now.Sub(*created) >= d
}

// Audit fetches every workspace's keys (disabled ones included) and
// provider keys, and every key's guardrail assignment, and returns AuditOf
// at now. The first error ends it.
func Audit(ctx context.Context, c *Client, now time.Time, o AuditOptions, opts ...Option) ([]AuditFinding, error) {
	var keys []APIKey
	var byok []BYOKKey
	// Each key (by hash) and provider key (by id) counts once, however
	// often the server lists it: a finding twice is a wrong count.
	seenKey, seenBYOK := map[string]bool{}, map[string]bool{}
	for w, err := range WorkspacesListAll(ctx, c, ListWorkspacesRequest{}, opts...) {
		if err != nil {
			return nil, err
		}
		for k, err := range APIKeysListAll(ctx, c, ListRequest{IncludeDisabled: true, WorkspaceID: &w.ID}, opts...) {
			if err != nil {
				return nil, err
			}
			if !seenKey[k.Hash] {
				seenKey[k.Hash] = true
				keys = append(keys, k)
			}
		}
		for p, err := range BYOKListAll(ctx, c, ListBYOKKeysRequest{WorkspaceID: &w.ID}, opts...) {
			if err != nil {
				return nil, err
			}
			if !seenBYOK[p.ID] {
				seenBYOK[p.ID] = true
				byok = append(byok, p)
			}
		}
	}
	var assigned []KeyAssignment
	for a, err := range GuardrailsListKeyAssignmentsAll(ctx, c, ListKeyAssignmentsRequest{}, opts...) {
		if err != nil {
			return nil, err
		}
		assigned = append(assigned, a)
	}
	return AuditOf(keys, assigned, byok, now, o), nil
}

// restrictedTo says that none of a provider key's n allowed API keys is
// enabled, in words that fit n.
func restrictedTo(n int) string {
	if n == 1 {
		return "restricted to 1 API key, which is not enabled now"
	}
	return fmt.Sprintf("restricted to %d API keys, none of them enabled now", n)
}

// percent is a share of a limit for a reason, capped at ">999%": a limit
// of 1e-300 against a spend of 5 would otherwise print 300 digits.
func percent(f float64) string {
	if p := f * 100; p < 999.5 {
		return fmt.Sprintf("%.0f%%", p)
	}
	return ">999%"
}

// usd is an amount for a reason: cents, or three significant digits for an
// amount too large for any real account (a hostile limit of 1e300 would
// otherwise print 300 digits).
func usd(x float64) string {
	if math.Abs(x) < 1e12 {
		return fmt.Sprintf("%.2f", x)
	}
	return fmt.Sprintf("%.3g", x)
}
