package facade

import (
	"context"
	"net/http"

	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/internal/rules"
)

// Credits and analytics: what the account has bought and spent. Both need a
// management key.

type (
	// GetCreditsResponse is the answer of GET /credits.
	GetCreditsResponse = gen.GetCreditsResponse
	// Credits is what the account has bought and used, in USD.
	Credits = gen.Credits
	// GetUserActivityRequest filters GET /activity: gen's parameters, so a
	// filter added to the spec is usable here after `make generate`.
	GetUserActivityRequest = gen.GetUserActivityParams
	// ActivityResponse is the answer of GET /activity.
	ActivityResponse = gen.ActivityResponse
	// ActivityItem is one day's use of one model endpoint.
	ActivityItem = gen.ActivityItem
	// ActivityGroupBy splits activity rows; ActivityGroupByWorkspace is the
	// only value.
	ActivityGroupBy = gen.ActivityGroupBy
)

// ActivityGroupByWorkspace splits each activity row per workspace.
const ActivityGroupByWorkspace = gen.ActivityGroupByWorkspace

var (
	opCredits  = &operation{http.MethodGet, "/credits", true, http.StatusOK}
	opActivity = &operation{http.MethodGet, "/activity", true, http.StatusOK}
)

// CreditsService is the /credits area of the API (c.Credits).
type CreditsService struct{ c *Client }

// AnalyticsService is the /activity area of the API (c.Analytics).
type AnalyticsService struct{ c *Client }

// CreditsGetCredits returns the credits the account has bought and used,
// with GET /credits.
func CreditsGetCredits(ctx context.Context, c *Client, opts ...Option) (*GetCreditsResponse, error) {
	return call[GetCreditsResponse](ctx, c, opts, opCredits, gen.NewGetCreditsRequest, nil)
}

// AnalyticsGetUserActivity returns spend per day, model and endpoint over
// the last 30 completed UTC days, with GET /activity, filtered by req.
func AnalyticsGetUserActivity(ctx context.Context, c *Client, req GetUserActivityRequest, opts ...Option) (*ActivityResponse, error) {
	if err := checkActivity(req); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opActivity, func(s string) (*http.Request, error) {
		return gen.NewGetUserActivityRequest(s, &req)
	}, func(v *ActivityResponse) string { return missing(v.Data == nil, "data") })
}

// GetCredits is CreditsGetCredits as a method.
func (s *CreditsService) GetCredits(ctx context.Context, opts ...Option) (*GetCreditsResponse, error) {
	return CreditsGetCredits(ctx, s.c, opts...)
}

// GetUserActivity is AnalyticsGetUserActivity as a method.
func (s *AnalyticsService) GetUserActivity(ctx context.Context, req GetUserActivityRequest, opts ...Option) (*ActivityResponse, error) {
	return AnalyticsGetUserActivity(ctx, s.c, req, opts...)
}

func checkActivity(r GetUserActivityRequest) error {
	if r.Date != nil {
		if err := rules.Date(*r.Date); err != nil {
			return refusef("GetUserActivityRequest.Date", "GetUserActivityRequest.Date %v", err)
		}
	}
	if r.APIKeyHash != nil {
		if err := rules.Hash(*r.APIKeyHash); err != nil {
			return refusef("GetUserActivityRequest.APIKeyHash", "GetUserActivityRequest.APIKeyHash: %v", err)
		}
	}
	if r.WorkspaceID != nil {
		if err := rules.UUID(*r.WorkspaceID); err != nil {
			return refusef("GetUserActivityRequest.WorkspaceID", "GetUserActivityRequest.WorkspaceID %v", err)
		}
	}
	if r.GroupBy != nil && *r.GroupBy != ActivityGroupByWorkspace {
		return refusef("GetUserActivityRequest.GroupBy", "GetUserActivityRequest.GroupBy %q: want %q or nil", *r.GroupBy, ActivityGroupByWorkspace)
	}
	return nil
}
