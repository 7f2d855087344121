package facade_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

// Every management-plane operation succeeds against the fake and decodes
// its answer.
func TestPlaneSuccess(t *testing.T) {
	clearEnv(t)
	for _, op := range planeOps {
		t.Run(op.name, func(t *testing.T) {
			f := newPlaneFixture(t)
			if err := op.call(t.Context(), f.client(t), f); err != nil {
				t.Fatal(err)
			}
			reqs := f.srv.Requests()
			if len(reqs) == 0 || reqs[0].Method != op.method {
				t.Errorf("first request %+v, want %s", reqs, op.method)
			}
		})
	}
}

// Each documented failure comes back as its typed error, with the
// operation named; a dropped connection is an error too, and for a create
// a *MaybeCreatedError.
func TestPlaneFailures(t *testing.T) {
	clearEnv(t)
	statuses := []struct {
		status int
		is     func(error) bool
	}{
		{400, func(err error) bool { _, ok := errors.AsType[*facade.BadRequestResponseError](err); return ok }},
		{401, func(err error) bool { _, ok := errors.AsType[*facade.UnauthorizedResponseError](err); return ok }},
		{403, func(err error) bool { _, ok := errors.AsType[*facade.ForbiddenResponseError](err); return ok }},
		{404, func(err error) bool { _, ok := errors.AsType[*facade.NotFoundResponseError](err); return ok }},
		{429, func(err error) bool { _, ok := errors.AsType[*facade.TooManyRequestsResponseError](err); return ok }},
		{500, func(err error) bool { _, ok := errors.AsType[*facade.InternalServerResponseError](err); return ok }},
		{503, func(err error) bool { e, ok := errors.AsType[*facade.APIError](err); return ok && e.StatusCode == 503 }},
	}
	for _, op := range planeOps {
		t.Run(op.name, func(t *testing.T) {
			f := newPlaneFixture(t)
			c := f.client(t)
			for _, s := range statuses {
				f.srv.Inject(fake.Fault{Method: op.method, Path: op.path, Status: s.status})
				err := op.call(t.Context(), c, f)
				if !s.is(err) {
					t.Errorf("%d: err = %v (%T), want its typed error", s.status, err, err)
					continue
				}
				if e, _ := errors.AsType[*facade.APIError](err); e.Method != op.method || !strings.Contains(op.path, strings.Split(strings.TrimPrefix(e.Path, "/"), "/")[0]) {
					t.Errorf("%d: error names %s %s", s.status, e.Method, e.Path)
				}
				_, maybe := errors.AsType[*facade.MaybeCreatedError](err)
				if want := op.create && s.status >= 500; maybe != want {
					t.Errorf("%d: MaybeCreatedError %v, want %v: %v", s.status, maybe, want, err)
				}
			}
			// On a connection of its own: net/http re-sends a GET whose
			// reused connection drops, which would hide the failure.
			f.srv.Inject(fake.Fault{Method: op.method, Path: op.path, Drop: true})
			err := op.call(t.Context(), f.client(t, facade.WithHTTPClient(&http.Client{Transport: &http.Transport{}})), f)
			if err == nil {
				t.Fatal("dropped connection: no error")
			}
			if _, isAPI := errors.AsType[*facade.APIError](err); isAPI {
				t.Errorf("dropped connection: %v, want a transport error", err)
			}
			if _, maybe := errors.AsType[*facade.MaybeCreatedError](err); maybe != op.create {
				t.Errorf("dropped connection: MaybeCreatedError %v, want %v", maybe, op.create)
			}
			if n := f.srv.PendingFaults(); n != 0 {
				t.Errorf("%d faults left unplayed", n)
			}
		})
	}
}

// Every operation but the creates is retried: a 503 and a dropped
// connection, then the real answer. A create is sent once and its doubt
// reported, naming what and by what name to look for it.
func TestPlaneRetries(t *testing.T) {
	clearEnv(t)
	for _, op := range planeOps {
		t.Run(op.name, func(t *testing.T) {
			f := newPlaneFixture(t)
			c := f.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
			f.srv.Inject(fake.Fault{Method: op.method, Path: op.path, Status: 503}, fake.Fault{Method: op.method, Path: op.path, Drop: true})
			err := op.call(t.Context(), c, f)
			if !op.create {
				if err != nil {
					t.Fatalf("after a 503 and a drop: %v", err)
				}
				return
			}
			mc, ok := errors.AsType[*facade.MaybeCreatedError](err)
			if !ok {
				t.Fatalf("create after a 503: %v, want a MaybeCreatedError", err)
			}
			what := map[string]string{"GuardrailsCreate": "guardrail", "WorkspacesCreate": "workspace", "BYOKCreate": "byok"}[op.name]
			words := map[string]string{"byok": "provider key"}[what]
			if words == "" {
				words = what
			}
			if mc.Kind != what || !strings.Contains(err.Error(), "the "+words+" may have been created; list "+words+"s named") {
				t.Errorf("MaybeCreatedError names %q: %v", mc.Kind, err)
			}
			if n := len(f.srv.Requests()); n != 1 {
				t.Errorf("create sent %d times, want once", n)
			}
		})
	}
}

// Bad input is refused before anything is sent, with ErrInvalidInput.
func TestPlaneInputChecks(t *testing.T) {
	clearEnv(t)
	for _, op := range planeOps {
		if len(op.bad) == 0 {
			t.Errorf("%s: no input checks in the table", op.name)
		}
		t.Run(op.name, func(t *testing.T) {
			f := newPlaneFixture(t)
			c := f.client(t)
			for name, bad := range op.bad {
				err := bad(t.Context(), c, f)
				if !errors.Is(err, facade.ErrInvalidInput) {
					t.Errorf("%s: err = %v, want ErrInvalidInput", name, err)
				}
			}
			if n := len(f.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent for refused input", n)
			}
		})
	}
}

// The management key is needed: a regular key's 403 is a typed error.
func TestPlaneNeedsManagementKey(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	k, err := f.srv.AddKey(facade.CreateKeysRequestBody{Name: "inference"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.client(t, facade.WithAPIKey(k.Key.Reveal()))
	_, err = c.Guardrails.List(t.Context(), facade.ListGuardrailsRequest{})
	if e, ok := errors.AsType[*facade.ForbiddenResponseError](err); !ok || !strings.Contains(e.Error(), "management") {
		t.Fatalf("err = %v, want a 403 that names the management key", err)
	}
}

// A 403 from a met workspace budget keeps the API's message, so the error
// says why.
func TestPlaneBudgetForbiddenSaysSo(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	f.srv.Inject(fake.Fault{Method: "GET", Path: "/workspaces", Status: 403,
		Body: `{"error":{"code":403,"message":"Workspace budget exceeded: the monthly budget of 100 USD is spent"}}`})
	_, err := f.client(t).Workspaces.List(t.Context(), facade.ListWorkspacesRequest{})
	if e, ok := errors.AsType[*facade.ForbiddenResponseError](err); !ok || !strings.Contains(e.Error(), "budget") {
		t.Fatalf("err = %v, want a ForbiddenResponseError that says a budget is met", err)
	}
}

// The walks: every record once across pages, total_count ends them, a
// break stops them, and a server that does not progress is refused.
func TestPlaneListAll(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	for i := range 230 {
		if err := f.srv.AddMember(facade.OrganizationMember{ID: "user_" + string(rune('a'+i%26)) + strings.Repeat("x", i/26), Email: "m@example.com"}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.client(t)
	f.srv.ResetRequests()
	seen := map[string]bool{}
	for m, err := range c.Organization.ListMembersAll(t.Context(), facade.ListOrganizationMembersRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen[m.ID] {
			t.Fatalf("%s twice", m.ID)
		}
		seen[m.ID] = true
	}
	if len(seen) != 232 {
		t.Errorf("walked %d members, want 232", len(seen))
	}
	if n := len(f.srv.Requests()); n != 3 {
		t.Errorf("walk sent %d requests, want 3 pages of 100", n)
	}

	f.srv.ResetRequests()
	for range c.Organization.ListMembersAll(t.Context(), facade.ListOrganizationMembersRequest{Offset: facade.Ptr(150)}) {
		break
	}
	if n := len(f.srv.Requests()); n != 1 {
		t.Errorf("a break after the first record: %d requests", n)
	}

	for _, tc := range []struct{ name, body, want string }{
		{"repeated page", `{"data":[{"id":"a","first_name":null,"last_name":null,"email":"e","role":"org:member"}],"total_count":5}`, "repeats"},
		{"empty page short of the total", `{"data":[],"total_count":5}`, "empty"},
		{"reshuffled repeats", "", "repeats"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := 0
			srv := newRecorder(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				body := tc.body
				if body == "" { // two records, then the same two the other way round
					m := func(id string) string {
						return `{"id":"` + id + `","first_name":null,"last_name":null,"email":"e","role":"org:member"}`
					}
					body = `{"data":[` + m("a") + `,` + m("b") + `],"total_count":9}`
					if page++; page > 1 {
						body = `{"data":[` + m("b") + `,` + m("a") + `],"total_count":9}`
					}
				}
				_, _ = w.Write([]byte(body))
			})
			var err error
			n := 0
			for _, e := range srv.client(t).Organization.ListMembersAll(t.Context(), facade.ListOrganizationMembersRequest{}) {
				if e != nil {
					err = e
				} else {
					n++
				}
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v after %d records, want one saying %q", err, n, tc.want)
			}
			if srv.count() > 2 {
				t.Errorf("%d requests, want the walk stopped", srv.count())
			}
		})
	}
	// Read-ahead: with total_count known after the first page, the walk
	// asks for the rest at once and for nothing past the end, also when a
	// page is throttled (429, then one request at a time).
	for _, n := range []int{1, 4} {
		f.srv.ResetRequests()
		f.srv.Inject(fake.Fault{Method: "GET", Path: "/organization/members", Status: 429, Header: http.Header{"Retry-After": {"0"}}})
		cr := f.client(t, facade.WithRetryConfig(facade.RetryConfig{}), facade.WithTestClock(&facade.TestClock{}))
		got := map[string]bool{}
		for m, err := range cr.Organization.ListMembersAll(t.Context(), facade.ListOrganizationMembersRequest{}, facade.WithPageConcurrency(n)) {
			if err != nil {
				t.Fatal(err)
			}
			got[m.ID] = true
		}
		if len(got) != 232 {
			t.Errorf("concurrency %d: walked %d members, want 232", n, len(got))
		}
		offsets := map[string]int{}
		for _, r := range f.srv.Requests() {
			offsets[r.Query.Get("offset")]++
		}
		if len(offsets) != 3 || offsets["300"] != 0 {
			t.Errorf("concurrency %d: offsets asked %v, want 0, 100 and 200 (one retried)", n, offsets)
		}
	}
	// Input checks and nil contexts end a walk before anything is sent.
	for _, err := range c.Guardrails.All(t.Context(), facade.ListGuardrailsRequest{Offset: facade.Ptr(-1)}) {
		if !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("negative offset: %v", err)
		}
	}
	//lint:ignore SA1012 a nil context is what is tested
	for _, err := range facade.WorkspacesListAll(nil, c, facade.ListWorkspacesRequest{}) { //nolint:staticcheck
		if !errors.Is(err, facade.ErrInvalidInput) {
			t.Errorf("nil context: %v", err)
		}
	}
}

// Each list has its walk, and each walk reaches every record.
func TestPlaneEveryListWalks(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	c := f.client(t)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	count := func(seq func(func(any, error) bool)) int {
		n := 0
		for _, err := range seq {
			if err != nil {
				t.Fatal(err)
			}
			n++
		}
		return n
	}
	for name, tc := range map[string]struct {
		n    int
		want int
	}{
		"guardrails":                {count(anySeq(c.Guardrails.All(ctx, facade.ListGuardrailsRequest{}))), 2},
		"guardrail key assignments": {count(anySeq(c.Guardrails.ListGuardrailKeyAssignmentsAll(ctx, facade.ListGuardrailKeyAssignmentsRequest{ID: f.guardrail.ID}))), 1},
		"guardrail member assigns":  {count(anySeq(c.Guardrails.ListGuardrailMemberAssignmentsAll(ctx, facade.ListGuardrailMemberAssignmentsRequest{ID: f.guardrail.ID}))), 0},
		"key assignments":           {count(anySeq(c.Guardrails.ListKeyAssignmentsAll(ctx, facade.ListKeyAssignmentsRequest{}))), 1},
		"member assignments":        {count(anySeq(c.Guardrails.ListMemberAssignmentsAll(ctx, facade.ListMemberAssignmentsRequest{}))), 1},
		"workspaces":                {count(anySeq(c.Workspaces.All(ctx, facade.ListWorkspacesRequest{}))), 2},
		"workspace members":         {count(anySeq(c.Workspaces.ListMembersAll(ctx, facade.ListWorkspaceMembersRequest{ID: "team"}))), 1},
		"organization members":      {count(anySeq(c.Organization.ListMembersAll(ctx, facade.ListOrganizationMembersRequest{}))), 2},
	} {
		if tc.n != tc.want {
			t.Errorf("%s: walked %d, want %d", name, tc.n, tc.want)
		}
	}
}

// anySeq erases a walk's record type, for counting.
func anySeq[T any](seq func(func(T, error) bool)) func(func(any, error) bool) {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// A workspace that still has an active key cannot be deleted: a typed 400
// that says why.
func TestWorkspacesDeleteWithActiveKeys(t *testing.T) {
	clearEnv(t)
	f := newPlaneFixture(t)
	c := f.client(t)
	k, err := f.srv.AddKey(facade.CreateKeysRequestBody{Name: "busy", WorkspaceID: &f.workspace.ID})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Workspaces.Delete(t.Context(), facade.DeleteWorkspaceRequest{ID: "team"})
	if e, ok := errors.AsType[*facade.BadRequestResponseError](err); !ok || !strings.Contains(e.Message, "active API keys") {
		t.Fatalf("err = %v, want a 400 naming the active keys", err)
	}
	if _, err := c.APIKeys.Delete(t.Context(), facade.DeleteKeysRequest{Hash: k.Data.Hash}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Workspaces.Delete(t.Context(), facade.DeleteWorkspaceRequest{ID: "team"}); err != nil {
		t.Fatalf("delete once the key is gone: %v", err)
	}
}

// After the first page the walk has WithPageConcurrency(n) requests in
// flight: the server holds every later page until it has n at once (a walk
// without read-ahead would never get there, and fail on the deadline).
func TestPlaneWalkReadsAhead(t *testing.T) {
	clearEnv(t)
	const n = 3
	var mu sync.Mutex
	inflight, most := 0, 0
	release := make(chan struct{})
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		if offset > 0 {
			mu.Lock()
			inflight++
			most = max(most, inflight)
			if inflight == n {
				close(release)
			}
			mu.Unlock()
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		var data []string
		for i := offset; i < min(offset+100, 400); i++ {
			data = append(data, fmt.Sprintf(`{"id":"u%d","first_name":null,"last_name":null,"email":"e","role":"org:member"}`, i))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[%s],"total_count":400}`, strings.Join(data, ","))
	})
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	count := 0
	for _, err := range srv.client(t).Organization.ListMembersAll(ctx, facade.ListOrganizationMembersRequest{}, facade.WithPageConcurrency(n)) {
		if err != nil {
			t.Fatalf("after %d members: %v (most in flight: %d)", count, err, most)
		}
		count++
	}
	mu.Lock()
	defer mu.Unlock()
	if count != 400 || most != n || srv.count() != 4 {
		t.Errorf("%d members, %d requests, at most %d in flight; want 400, 4 and %d", count, srv.count(), most, n)
	}
}
