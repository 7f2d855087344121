package facade

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
)

// newRequest builds the request for op exactly as gen's New*Request builders
// would (tests/perf_requests_test.go compares the two for every operation),
// but without their per-call work: they parse the server URL, format and
// resolve the operation path, print the result and parse it again, about a
// dozen allocations per call. Here the server part is resolved once per
// config (resolveOpBase) and a call costs one concatenation and the one
// parse inside http.NewRequestWithContext.
//
// hash fills op's {hash} segment, escaped as one path segment; query is
// already encoded. A non-nil body is sent as JSON and can be replayed.
func newRequest(ctx context.Context, cfg *config, op *operation, hash, query string, body []byte) (*http.Request, error) {
	rel := op.path[1:] // op.path is absolute; gen resolves it as "./…"
	sep := ""
	if query != "" {
		sep = "?"
	}
	var u string // one concatenation, one allocation
	if before, after, ok := strings.Cut(rel, "{hash}"); ok {
		u = cfg.opBase + before + url.PathEscape(hash) + after + sep + query
	} else {
		u = cfg.opBase + rel + sep + query
	}
	if body == nil {
		return http.NewRequestWithContext(ctx, op.method, u, nil)
	}
	req, err := http.NewRequestWithContext(ctx, op.method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header["Content-Type"] = []string{"application/json"}
	return req, nil
}

// resolveOpBase returns the server URL as gen's builders resolve operation
// paths against it: dot segments removed, escaped, ending in "/".
func resolveOpBase(server *url.URL) string {
	return server.ResolveReference(&url.URL{Path: "./"}).String()
}
