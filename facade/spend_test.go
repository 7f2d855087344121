package facade_test

import (
	"errors"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// Credits and activity come from the fake's account: what it bought, and
// the activity recorded on its keys, with every filter applied.
func TestCreditsAndActivity(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	srv := fake.NewServer(fake.WithClock(func() time.Time { return now }))
	defer srv.Close()
	c, err := facade.New(facade.WithServerURL(srv.URL), facade.WithAPIKey(srv.ManagementKey), facade.WithEnv(func(string) string { return "" }))
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	team := "7b1c2d3e-4f50-4a6b-8c7d-9e0f1a2b3c4d"
	a, _ := srv.AddKey(facade.CreateKeysRequestBody{Name: "a"})
	b, _ := srv.AddKey(facade.CreateKeysRequestBody{Name: "b", WorkspaceID: &team})
	yesterday, older := now.AddDate(0, 0, -1), now.AddDate(0, 0, -2)
	for _, r := range []struct {
		hash string
		a    fake.Activity
	}{
		{a.Data.Hash, fake.Activity{Day: yesterday, Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 1.5, Requests: 3}},
		{b.Data.Hash, fake.Activity{Day: yesterday, Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 0.5, Requests: 1}},
		{a.Data.Hash, fake.Activity{Day: older, Model: "anthropic/claude", Provider: "Anthropic", Usage: 2, Requests: 4}},
		{a.Data.Hash, fake.Activity{Day: now, Model: "openai/gpt-4.1", Provider: "OpenAI", Usage: 9, Requests: 9}}, // today: not complete
	} {
		if err := srv.RecordActivity(r.hash, r.a); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.SetCredits(50); err != nil {
		t.Fatal(err)
	}

	cr, err := c.Credits.GetCredits(ctx)
	if err != nil || cr.Data.TotalCredits != 50 || cr.Data.TotalUsage != 13 {
		t.Errorf("credits = %+v, %v; want 50 bought, 13 used", cr, err)
	}

	all, err := facade.AnalyticsGetUserActivity(ctx, c, facade.GetUserActivityRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all.Data) != 2 || all.Data[0].Date != yesterday.Format(time.DateOnly) || all.Data[0].Usage != 2 || all.Data[0].Requests != 4 ||
		all.Data[1].Model != "anthropic/claude" || all.Data[0].WorkspaceID != nil {
		t.Errorf("activity = %+v: want yesterday's two keys summed, then the older day, no workspace", all.Data)
	}
	byKey, err := c.Analytics.GetUserActivity(ctx, facade.GetUserActivityRequest{APIKeyHash: &b.Data.Hash})
	if err != nil || len(byKey.Data) != 1 || byKey.Data[0].Usage != 0.5 {
		t.Errorf("activity of b = %+v, %v", byKey, err)
	}
	group := facade.ActivityGroupByWorkspace
	split, err := c.Analytics.GetUserActivity(ctx, facade.GetUserActivityRequest{GroupBy: &group, Date: facade.Ptr(yesterday.Format(time.DateOnly))})
	if err != nil || len(split.Data) != 2 || split.Data[0].WorkspaceID == nil || split.Data[1].WorkspaceID == nil {
		t.Errorf("activity grouped by workspace = %+v, %v", split, err)
	}
	inTeam, err := c.Analytics.GetUserActivity(ctx, facade.GetUserActivityRequest{WorkspaceID: &team})
	if err != nil || len(inTeam.Data) != 1 || inTeam.Data[0].Usage != 0.5 {
		t.Errorf("activity of the team workspace = %+v, %v", inTeam, err)
	}

	// The server refuses a day outside the window with a typed 400.
	var bad *facade.BadRequestResponseError
	if _, err := c.Analytics.GetUserActivity(ctx, facade.GetUserActivityRequest{Date: facade.Ptr("2020-01-01")}); !errors.As(err, &bad) {
		t.Errorf("date out of range: %v, want a 400", err)
	}
	// Bad input is refused before sending.
	requests := len(srv.Requests())
	for _, req := range []facade.GetUserActivityRequest{
		{Date: facade.Ptr("yesterday")},
		{WorkspaceID: facade.Ptr("team")},
		{GroupBy: facade.Ptr(facade.ActivityGroupBy("model"))},
		{APIKeyHash: facade.Ptr("..")},
	} {
		if _, err := c.Analytics.GetUserActivity(ctx, req); !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("%+v: err = %v, want ErrInvalidInput", req, err)
		}
	}
	if n := len(srv.Requests()); n != requests {
		t.Errorf("bad input sent %d requests", n-requests)
	}

	// Management key only, as upstream.
	var forbidden *facade.ForbiddenResponseError
	if _, err := c.Credits.GetCredits(ctx, facade.WithAPIKey(a.Key.Reveal())); !errors.As(err, &forbidden) {
		t.Errorf("credits with a regular key: %v, want 403", err)
	}
	if _, err := c.Analytics.GetUserActivity(ctx, facade.GetUserActivityRequest{}, facade.WithAPIKey(a.Key.Reveal())); !errors.As(err, &forbidden) {
		t.Errorf("activity with a regular key: %v, want 403", err)
	}
}
