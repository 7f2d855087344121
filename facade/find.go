package facade

import (
	"context"
	"fmt"
	"strings"

	"github.com/orkeys/orkeys/internal/rules"
)

// FindKeysRequest is the input of APIKeysFind.
type FindKeysRequest struct {
	// Name is the name to look for, compared byte for byte (case counts).
	Name string
	// Prefix matches every name that starts with Name instead of Name
	// alone.
	Prefix bool
	// WorkspaceID is the workspace to search; nil searches the default
	// workspace, as GET /keys does.
	WorkspaceID *string
}

// APIKeysFind returns the keys whose name is req.Name, or starts with it when
// req.Prefix is set, newest first. It walks every page of GET /keys with
// disabled keys included, since a script asking "does this key exist?" must
// not miss a disabled one. The API cannot filter by name, so the filtering
// happens here. A key seen twice, because a create or delete during the walk
// shifted the offsets, is returned once. No match is an empty result, not an
// error; a failed page is an error with no keys, and so is a walk that
// matches more than 100,000 keys (a server that keeps answering new keys
// of the name), so that Find's memory is bounded as APIKeysListAll's is.
func APIKeysFind(ctx context.Context, c *Client, req FindKeysRequest, opts ...Option) ([]APIKey, error) {
	if err := rules.Name(req.Name); err != nil {
		return nil, refusef("FindKeysRequest.Name", "FindKeysRequest.Name %v (use APIKeysListAll to walk every key)", err)
	}
	if req.WorkspaceID != nil {
		if err := rules.UUID(*req.WorkspaceID); err != nil {
			return nil, refusef("FindKeysRequest.WorkspaceID", "FindKeysRequest.WorkspaceID %v", err)
		}
	}
	list := ListRequest{IncludeDisabled: true, WorkspaceID: req.WorkspaceID}
	var found []APIKey
	seen := map[string]bool{}
	for k, err := range APIKeysListAll(ctx, c, list, opts...) {
		if err != nil {
			return nil, err
		}
		if seen[k.Hash] || !nameMatches(k.Name, req) {
			continue
		}
		if len(found) == maxFindMatches {
			return nil, fmt.Errorf("openrouter: find %q: more than %d keys match, so the walk stopped (a server answering new keys without end, or a name too broad to look up)", req.Name, maxFindMatches)
		}
		seen[k.Hash] = true
		found = append(found, k)
	}
	return found, nil
}

// maxFindMatches caps what one Find holds: about 60 MB of keys. A variable
// only so that a test can lower it.
var maxFindMatches = 100_000

func nameMatches(name string, req FindKeysRequest) bool {
	if req.Prefix {
		return strings.HasPrefix(name, req.Name)
	}
	return name == req.Name
}

// Find is APIKeysFind as a method.
func (a *APIKeys) Find(ctx context.Context, req FindKeysRequest, opts ...Option) ([]APIKey, error) {
	return APIKeysFind(ctx, a.c, req, opts...)
}
