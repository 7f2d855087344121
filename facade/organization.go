package facade

import (
	"context"
	"iter"
	"net/http"

	"github.com/orkeys/orkeys/gen"
)

var opOrganizationMembers = &operation{http.MethodGet, "/organization/members", true, http.StatusOK}

// OrganizationListMembers returns one page of the organization's members
// (GET /organization/members). The API cannot create members.
func OrganizationListMembers(ctx context.Context, c *Client, req ListOrganizationMembersRequest, opts ...Option) (*ListOrganizationMembersResponse, error) {
	if err := checkPage("ListOrganizationMembersRequest", req.Offset, req.Limit); err != nil {
		return nil, err
	}
	return call(ctx, c, opts, opOrganizationMembers, organizationPage(req), lacksOrganization)
}

// OrganizationListMembersAll walks every page of the organization's
// members from req.Offset.
func OrganizationListMembersAll(ctx context.Context, c *Client, req ListOrganizationMembersRequest, opts ...Option) iter.Seq2[OrganizationMember, error] {
	return walkPages(ctx, c, opts, opOrganizationMembers, checkPage("ListOrganizationMembersRequest", req.Offset, nil), req.Offset,
		pages(opOrganizationMembers, func(o int) builder {
			p := req
			p.Offset, p.Limit = at(o)
			return organizationPage(p)
		}, lacksOrganization, func(v *ListOrganizationMembersResponse) ([]OrganizationMember, int) { return v.Data, v.TotalCount }),
		func(m *OrganizationMember) string { return m.ID })
}

func organizationPage(req ListOrganizationMembersRequest) builder {
	return func(s string) (*http.Request, error) { return gen.NewListOrganizationMembersRequest(s, &req) }
}

func lacksOrganization(v *ListOrganizationMembersResponse) string { return lacksData(v.Data) }
