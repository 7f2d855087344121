package facade

import (
	"context"
	"iter"
)

// APIKeysListAllWorkspaces walks the keys of every workspace: the
// workspaces through WorkspacesListAll, then each one's keys through
// APIKeysListAll with req (its WorkspaceID set to each, in the order GET
// /workspaces lists them). Each key carries its WorkspaceID. It
// stops at the first error, which it yields once, as its last value, and
// when the loop breaks. GET /keys alone lists only one workspace's keys.
//
// Each workspace is walked once (WorkspacesListAll yields each id once)
// and each key, by hash, is yielded once, the first time a workspace lists
// it: a server that lists a key in two workspaces, or twice in one as
// offsets shift, does not make the caller count it twice. For that the walk
// keeps the hash of every key it yields (about 100 bytes a key).
func APIKeysListAllWorkspaces(ctx context.Context, c *Client, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return func(yield func(APIKey, error) bool) {
		if req.WorkspaceID != nil {
			yield(APIKey{}, refuse("ListRequest.WorkspaceID", "ListRequest.WorkspaceID is set: APIKeysListAllWorkspaces walks every workspace; use APIKeysListAll for one"))
			return
		}
		seen := map[string]bool{} // the hashes yielded
		for w, err := range WorkspacesListAll(ctx, c, ListWorkspacesRequest{}, opts...) {
			if err != nil {
				yield(APIKey{}, err)
				return
			}
			page := req
			page.WorkspaceID = &w.ID
			for k, err := range APIKeysListAll(ctx, c, page, opts...) {
				if err == nil && seen[k.Hash] {
					continue
				}
				if !yield(k, err) || err != nil {
					return
				}
				seen[k.Hash] = true
			}
		}
	}
}

// AllWorkspaces is APIKeysListAllWorkspaces as a method.
func (a *APIKeys) AllWorkspaces(ctx context.Context, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return APIKeysListAllWorkspaces(ctx, a.c, req, opts...)
}
