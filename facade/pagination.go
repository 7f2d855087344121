package facade

import (
	"context"
	"iter"
)

// APIKeysListAll walks every page of GET /keys from req.Offset (or 0),
// yielding one key at a time. It holds one page in memory, stops when a page
// comes back short or empty, stops early when the loop breaks, and yields an
// error at most once, as its last value. req is not changed.
//
// Keys created or deleted while the walk runs can shift the offsets, so a key
// may be seen twice or missed; the API offers no cursor.
func APIKeysListAll(ctx context.Context, c *Client, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return func(yield func(APIKey, error) bool) {
		page := req // a copy: only its Offset pointer changes below
		offset := 0
		if req.Offset != nil {
			offset = *req.Offset
		}
		for {
			page.Offset = &offset
			res, err := APIKeysList(ctx, c, page, opts...)
			if err != nil {
				yield(APIKey{}, err)
				return
			}
			for i := range res.Data {
				if !yield(res.Data[i], nil) {
					return
				}
			}
			if len(res.Data) < PageSize {
				return
			}
			offset += len(res.Data)
		}
	}
}

// All is APIKeysListAll as a method.
func (a *APIKeys) All(ctx context.Context, req ListRequest, opts ...Option) iter.Seq2[APIKey, error] {
	return APIKeysListAll(ctx, a.c, req, opts...)
}
