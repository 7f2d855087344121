package fake

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/orkeys/orkeys/gen"
)

// DefaultCredits is what a new fake's account has bought, in USD.
const DefaultCredits = 100.0

// activityDays is how far back GET /activity reaches: the last 30
// completed UTC days, today excluded.
const activityDays = 30

// Activity is a day of one key's use of one model, for RecordActivity.
type Activity struct {
	// Day is the UTC day; only its date counts.
	Day time.Time
	// Model is the model slug ("openai/gpt-4.1"); Provider serves it.
	Model, Provider string
	// Usage is OpenRouter credits spent, BYOK bring-your-own-key cost, USD.
	Usage, BYOK float64
	// Requests and tokens.
	Requests, PromptTokens, CompletionTokens, ReasoningTokens int
}

// activityRow is one recorded Activity with what GET /activity filters on.
type activityRow struct {
	Activity
	date      string // YYYY-MM-DD
	keyHash   string
	userID    string
	workspace string
}

// RecordActivity adds a's usage to the key with hash, as if requests had
// been made with it: GET /activity reports it (filters included) and
// GET /credits counts it as used. The key's usage fields are SetUsage's
// business and do not change.
func (s *Server) RecordActivity(hash string, a Activity) error {
	switch {
	case a.Model == "" || a.Provider == "":
		return errors.New("fake: RecordActivity: Model and Provider are required")
	case a.Day.IsZero():
		return errors.New("fake: RecordActivity: Day is required")
	}
	for _, v := range []float64{a.Usage, a.BYOK} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("fake: RecordActivity: %v: want a finite amount of USD, 0 or more", v)
		}
	}
	if a.Requests < 0 || a.PromptTokens < 0 || a.CompletionTokens < 0 || a.ReasoningTokens < 0 {
		return errors.New("fake: RecordActivity: counts must not be negative")
	}
	st := s.keys
	st.mu.Lock()
	defer st.mu.Unlock()
	rec, ok := st.byHash[hash]
	if !ok {
		return fmt.Errorf("fake: RecordActivity: no key has hash %q", hash)
	}
	st.activity = append(st.activity, activityRow{
		Activity: a, date: a.Day.UTC().Format(time.DateOnly),
		keyHash: hash, userID: rec.creatorID, workspace: rec.workspaceID,
	})
	st.used += a.Usage
	return nil
}

// SetCredits sets what the account has bought, in USD (DefaultCredits at
// first).
func (s *Server) SetCredits(total float64) error {
	if total < 0 || math.IsNaN(total) || math.IsInf(total, 0) {
		return fmt.Errorf("fake: SetCredits: %v: want a finite amount of USD, 0 or more", total)
	}
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	s.keys.credits = total
	return nil
}

// credits answers GET /credits: what was bought, and what RecordActivity
// recorded as used.
func (st *store) creditsNow() gen.Credits {
	st.mu.Lock()
	defer st.mu.Unlock()
	return gen.Credits{TotalCredits: st.credits, TotalUsage: st.used}
}

// activityFor answers GET /activity: the rows of the last activityDays
// completed UTC days that pass the filters, summed per day, model and
// endpoint (and workspace when grouped), newest day first.
func (st *store) activityFor(p gen.GetUserActivityParams) ([]gen.ActivityItem, *apiError) {
	today := st.now().UTC().Truncate(24 * time.Hour)
	first := today.AddDate(0, 0, -activityDays)
	if p.Date != nil {
		d, err := time.Parse(time.DateOnly, *p.Date)
		if err != nil || d.Before(first) || !d.Before(today) {
			return nil, badRequest(fmt.Sprintf("date must be a YYYY-MM-DD day of the last %d completed UTC days (%s to %s)",
				activityDays, first.Format(time.DateOnly), today.AddDate(0, 0, -1).Format(time.DateOnly)))
		}
	}
	byWorkspace := p.GroupBy != nil && *p.GroupBy == gen.ActivityGroupByWorkspace

	st.mu.Lock()
	defer st.mu.Unlock()
	type group struct{ date, model, endpoint, workspace string }
	sums := map[group]*gen.ActivityItem{}
	for _, r := range st.activity {
		day, _ := time.Parse(time.DateOnly, r.date)
		switch {
		case day.Before(first) || !day.Before(today),
			p.Date != nil && r.date != *p.Date,
			p.APIKeyHash != nil && r.keyHash != *p.APIKeyHash,
			p.UserID != nil && r.userID != *p.UserID,
			p.WorkspaceID != nil && r.workspace != *p.WorkspaceID:
			continue
		}
		g := group{date: r.date, model: r.Model, endpoint: endpointID(r.Model, r.Provider)}
		if byWorkspace {
			g.workspace = r.workspace
		}
		it := sums[g]
		if it == nil {
			it = &gen.ActivityItem{Date: g.date, Model: r.Model, ModelPermaslug: r.Model + "-fake",
				EndpointID: g.endpoint, ProviderName: r.Provider}
			if byWorkspace {
				it.WorkspaceID = ptr(g.workspace)
			}
			sums[g] = it
		}
		it.Usage += r.Usage
		it.ByokUsageInference += r.BYOK
		it.Requests += r.Requests
		it.PromptTokens += r.PromptTokens
		it.CompletionTokens += r.CompletionTokens
		it.ReasoningTokens += r.ReasoningTokens
	}
	items := make([]gen.ActivityItem, 0, len(sums))
	for _, it := range sums {
		items = append(items, *it)
	}
	slices.SortFunc(items, func(a, b gen.ActivityItem) int {
		return cmp.Or(cmp.Compare(b.Date, a.Date), cmp.Compare(a.Model, b.Model), cmp.Compare(a.EndpointID, b.EndpointID),
			cmp.Compare(deref(a.WorkspaceID), deref(b.WorkspaceID)))
	})
	return items, nil
}

// endpointID names a model's endpoint at a provider, stably.
func endpointID(model, provider string) string {
	return provider + ":" + model
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}
