package exporter

import (
	"context"
	"fmt"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/orkeys/orkeys/facade"
)

// The management plane's metrics (Config.Plane): each workspace's keys,
// budgets and the spend of its keys, and each guardrail's limit. They are
// fetched by the same background refresh as the keys' metrics, and a
// scrape reads them from the same snapshot.

var (
	descWorkspaceKeys = prometheus.NewDesc("openrouter_workspace_keys",
		"Keys in the workspace, by state (enabled or disabled).",
		[]string{"workspace", "state"}, nil)
	descWorkspaceBudget = prometheus.NewDesc("openrouter_workspace_budget_limit_dollars",
		"The workspace's budget per interval (daily, weekly, monthly, lifetime), in USD; absent for intervals without one.",
		[]string{"workspace", "interval"}, nil)
	descWorkspaceUsage = prometheus.NewDesc("openrouter_workspace_usage_dollars",
		"Spend of the workspace's current keys in USD, summed: all time (window=total) or in the current UTC day, week or month. The API reports no spend per budget; keys deleted since are not counted.",
		[]string{"workspace", "window"}, nil)
	descGuardrailLimit = prometheus.NewDesc("openrouter_guardrail_limit_dollars",
		"The guardrail's spending limit per reset interval, in USD; absent for guardrails without a limit.",
		[]string{"guardrail", "name", "workspace", "interval"}, nil)
)

var planeDescs = []*prometheus.Desc{descWorkspaceKeys, descWorkspaceBudget, descWorkspaceUsage, descGuardrailLimit}

// workspaceSample is one workspace's figures; slug labels it.
type workspaceSample struct {
	slug              string
	enabled, disabled int
	usage             [4]float64 // in the order of windows
	budgets           []facade.WorkspaceBudget
}

// guardrailSample is one guardrail with a limit.
type guardrailSample struct {
	id, name, workspace, interval string
	limit                         float64
}

// fetchPlane reads every workspace, with its keys (disabled included), its
// budgets and its guardrails.
func (e *Exporter) fetchPlane(ctx context.Context, d *data) error {
	for w, err := range e.client.Workspaces.All(ctx, facade.ListWorkspacesRequest{}) {
		if err != nil {
			return fmt.Errorf("list workspaces: %w", err)
		}
		s := workspaceSample{slug: label(w.Slug)}
		seen := map[string]bool{}
		for k, err := range e.client.APIKeys.All(ctx, facade.ListRequest{IncludeDisabled: true, WorkspaceID: &w.ID}) {
			if err != nil {
				return fmt.Errorf("list keys of workspace %s: %w", w.Slug, err)
			}
			if seen[k.Hash] { // offsets can shift while paging
				continue
			}
			seen[k.Hash] = true
			if k.Disabled {
				s.disabled++
			} else {
				s.enabled++
			}
			for i, u := range [4]float64{k.Usage, k.UsageDaily, k.UsageWeekly, k.UsageMonthly} {
				s.usage[i] += u
			}
		}
		b, err := e.client.Workspaces.ListBudgets(ctx, facade.ListWorkspaceBudgetsRequest{ID: w.ID})
		if err != nil {
			return fmt.Errorf("list budgets of workspace %s: %w", w.Slug, err)
		}
		s.budgets = b.Data
		d.workspaces = append(d.workspaces, s)
		for g, err := range e.client.Guardrails.All(ctx, facade.ListGuardrailsRequest{WorkspaceID: &w.ID}) {
			if err != nil {
				return fmt.Errorf("list guardrails of workspace %s: %w", w.Slug, err)
			}
			if g.LimitUsd == nil {
				continue
			}
			interval := ""
			if g.ResetInterval != nil {
				interval = label(string(*g.ResetInterval))
			}
			d.guardrails = append(d.guardrails, guardrailSample{id: label(g.ID), name: label(g.Name), workspace: s.slug, interval: interval, limit: *g.LimitUsd})
		}
	}
	return nil
}

// collectPlane reports the plane's part of a snapshot.
func collectPlane(d *data, gauge func(*prometheus.Desc, float64, ...string)) {
	seenBudget := map[[2]string]bool{}
	for _, w := range d.workspaces {
		gauge(descWorkspaceKeys, float64(w.enabled), w.slug, "enabled")
		gauge(descWorkspaceKeys, float64(w.disabled), w.slug, "disabled")
		for i, win := range windows {
			gauge(descWorkspaceUsage, w.usage[i], w.slug, win)
		}
		for _, b := range w.budgets {
			interval := string(facade.BudgetLifetime)
			if b.ResetInterval != nil {
				interval = label(string(*b.ResetInterval))
			}
			// One series per label set, or the registry refuses the scrape.
			if k := [2]string{w.slug, interval}; !seenBudget[k] {
				seenBudget[k] = true
				gauge(descWorkspaceBudget, b.LimitUsd, w.slug, interval)
			}
		}
	}
	seenGuardrail := map[string]bool{}
	for _, g := range d.guardrails {
		if !seenGuardrail[g.id] {
			seenGuardrail[g.id] = true
			gauge(descGuardrailLimit, g.limit, g.id, g.name, g.workspace, g.interval)
		}
	}
}

// label is a server's text fit for a label value: valid UTF-8, or the
// registry refuses the whole scrape.
func label(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
