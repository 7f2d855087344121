package facade_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/secret"
)

// A plane walk yields each record once: repeats within a page and across
// pages are dropped, and the walk still reaches total_count.
func TestPlaneWalkDropsRepeats(t *testing.T) {
	clearEnv(t)
	m := func(id string) string {
		return `{"id":"` + id + `","first_name":null,"last_name":null,"email":"e","role":"org:member"}`
	}
	srv := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		page := []string{m("a"), m("b"), m("a"), m("c")} // a twice in the page
		if r.URL.Query().Get("offset") == "4" {
			page = []string{m("c"), m("d")} // c again, across pages
		}
		fmt.Fprintf(w, `{"data":[%s],"total_count":6}`, strings.Join(page, ","))
	})
	var got []string
	for m, err := range srv.client(t).Organization.ListMembersAll(t.Context(), facade.ListOrganizationMembersRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, m.ID)
	}
	if want := []string{"a", "b", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("members = %v, want %v", got, want)
	}
}

// twiceProxy stands before a fake as a buggy server: GET /workspaces lists
// every workspace twice (and doubles total_count), and the keys and
// provider keys of every workspace but the default one also list the
// default workspace's first key and provider key.
func twiceProxy(t *testing.T, srv *fake.Server) string {
	t.Helper()
	first := func(path string) json.RawMessage {
		t.Helper()
		var page struct{ Data []json.RawMessage }
		if code := getJSON(t, srv, path, &page); code != 200 || len(page.Data) == 0 {
			t.Fatalf("GET %s: %d, %d records", path, code, len(page.Data))
		}
		return page.Data[0]
	}
	key, byok := first("/keys?include_disabled=true"), first("/byok")
	p := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, srv.URL+r.URL.RequestURI(), r.Body)
		req.Header = r.Header.Clone()
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		var doc struct {
			Data       []json.RawMessage `json:"data"`
			TotalCount *int              `json:"total_count,omitempty"`
		}
		other := r.URL.Query().Get("workspace_id") != fake.DefaultWorkspaceID
		path := r.URL.Path
		if res.StatusCode == 200 && r.Method == "GET" && json.Unmarshal(body, &doc) == nil {
			switch {
			case path == "/workspaces":
				doc.Data = append(doc.Data, doc.Data...)
				*doc.TotalCount *= 2
			case path == "/keys" && other:
				doc.Data = append(doc.Data, key)
			case path == "/byok" && other:
				doc.Data = append(doc.Data, byok)
				*doc.TotalCount++
			}
			body, _ = json.Marshal(doc)
		}
		w.Header().Set("Content-Type", res.Header.Get("Content-Type"))
		w.WriteHeader(res.StatusCode)
		_, _ = w.Write(body)
	}))
	t.Cleanup(p.Close)
	return p.URL
}

// getJSON asks the fake for path (below its base URL) with its management
// key.
func getJSON(t *testing.T, srv *fake.Server, path string, v any) int {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), "GET", srv.URL+path, nil)
	req.Header.Set("Authorization", "Bearer "+srv.ManagementKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(v); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, body)
	}
	return res.StatusCode
}

// twiceFixture is a fake behind twiceProxy, with a client for each: an
// unlimited key in the default workspace; in "ops" an unlimited key and a
// disabled one, to which the default workspace's provider key is
// restricted. Its audit finds both unlimited keys and the provider key.
func twiceFixture(t *testing.T) (direct, twice *facade.Client) {
	t.Helper()
	srv := fake.NewServer()
	t.Cleanup(srv.Close)
	client := func(url string) *facade.Client {
		c, err := facade.New(facade.WithServerURL(url), facade.WithAPIKey(srv.ManagementKey),
			facade.WithRetryConfig(facade.RetryConfig{Strategy: facade.StrategyNone}))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	direct = client(srv.URL)
	if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "default-key"}); err != nil {
		t.Fatal(err)
	}
	ops, err := srv.AddWorkspace(facade.CreateWorkspaceRequestBody{Name: "Ops", Slug: "ops"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ops-1", WorkspaceID: &ops.ID}); err != nil {
		t.Fatal(err)
	}
	off, err := srv.AddKey(facade.CreateKeysRequestBody{Name: "ops-2", WorkspaceID: &ops.ID, Limit: facade.Ptr(5.0)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := direct.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: off.Data.Hash,
		RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	if _, err := srv.AddBYOKKey(facade.CreateBYOKKeyRequestBody{Provider: "openai", Key: secret.New("sk-proj-0123456789abcdefXYZ"),
		AllowedAPIKeyHashes: &[]string{off.Data.Hash}}); err != nil {
		t.Fatal(err)
	}
	return direct, client(twiceProxy(t, srv))
}

// Every workspace is walked once and every key yielded once, however often
// the server lists them.
func TestAllWorkspacesListedTwice(t *testing.T) {
	clearEnv(t)
	direct, twice := twiceFixture(t)
	names := func(c *facade.Client) []string {
		var out []string
		for k, err := range c.APIKeys.AllWorkspaces(t.Context(), facade.ListRequest{IncludeDisabled: true}) {
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, k.Name)
		}
		return out
	}
	want := names(direct)
	if len(want) != 3 {
		t.Fatalf("the fake lists %v, want three keys", want)
	}
	if got := names(twice); !slices.Equal(got, want) {
		t.Errorf("through a server listing twice: %v, want %v", got, want)
	}
	var ws []string
	for w, err := range twice.Workspaces.All(t.Context(), facade.ListWorkspacesRequest{}) {
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w.Slug)
	}
	if len(ws) != 2 {
		t.Errorf("workspaces = %v, want each of the two once", ws)
	}
}

// The audit counts each key and provider key once, however often the
// server lists them.
func TestAuditListedTwice(t *testing.T) {
	clearEnv(t)
	direct, twice := twiceFixture(t)
	now := time.Now()
	want, err := facade.Audit(t.Context(), direct, now, facade.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// default-key and ops-1 have no limit; the provider key's only key is
	// disabled.
	if len(want) != 3 {
		t.Fatalf("direct audit: %+v, want three findings", want)
	}
	got, err := facade.Audit(t.Context(), twice, now, facade.AuditOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("through a server listing twice:\n%+v\nwant\n%+v", got, want)
	}
}

// A workspace list whose total_count stays a page ahead of every page,
// with fresh workspaces each time, ends with an error within a few pages,
// not at maxPages.
func TestPlaneWalkEndlessList(t *testing.T) {
	clearEnv(t)
	facade.SetMaxPages(t, 50) // without the growth check, the walk reaches this
	var requests atomic.Int64
	srv := freshWorkspaces(t, &requests, func(off int) int { return off + facade.PlanePageSize + 1 })
	n, last := walkWorkspaces(t, srv)
	if last == nil || !strings.Contains(last.Error(), "total_count grew from 101 to 301") {
		t.Errorf("err = %v after %d workspaces, want one saying total_count grew", last, n)
	}
	if n != 2*facade.PlanePageSize {
		t.Errorf("%d workspaces before the error, want the two pages within the first total", n)
	}
	if r := requests.Load(); r > 3+facade.DefaultPageConcurrency {
		t.Errorf("%d requests, want the walk stopped within a few pages", r)
	}
}

// A list that claims a huge total_count from the start, with fresh records
// on every page, ends at maxPlaneRecords, the records up to it yielded.
func TestPlaneWalkRecordCap(t *testing.T) {
	clearEnv(t)
	facade.SetMaxPlaneRecords(t, 250)
	facade.SetMaxPages(t, 10) // so that, without the cap, the walk ends soon
	srv := freshWorkspaces(t, new(atomic.Int64), func(int) int { return 10_000_000 })
	n, last := walkWorkspaces(t, srv)
	if last == nil || !strings.Contains(last.Error(), "stopped after 250 records") {
		t.Errorf("err = %v, want one saying the walk stopped after 250 records", last)
	}
	if n != 250 {
		t.Errorf("%d workspaces, want 250", n)
	}
}

// freshWorkspaces answers every page of GET /workspaces with new
// workspaces and the total_count total gives for its offset, counting the
// requests.
func freshWorkspaces(t *testing.T, requests *atomic.Int64, total func(offset int) int) *recorder {
	return newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
		var data []string
		for i := range facade.PlanePageSize {
			data = append(data, workspaceJSON(off+i))
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"data":[%s],"total_count":%d}`, strings.Join(data, ","), total(off))
	})
}

// walkWorkspaces counts the workspaces a walk yields and returns its last
// error.
func walkWorkspaces(t *testing.T, srv *recorder) (n int, last error) {
	for _, err := range srv.client(t).Workspaces.All(t.Context(), facade.ListWorkspacesRequest{}) {
		if err != nil {
			last = err
			continue
		}
		n++
	}
	return n, last
}

// workspaceJSON is a workspace with every field, its id made of i.
func workspaceJSON(i int) string {
	return fmt.Sprintf(`{"id":"00000000-0000-4000-8000-%012d","slug":"w%d","name":"w","created_at":"2026-01-01T00:00:00Z",`+
		`"created_by":null,"default_guardrail_id":null,"default_image_model":null,"default_provider_sort":null,`+
		`"default_text_model":null,"description":null,"io_logging_api_key_ids":null,"io_logging_sampling_rate":1,`+
		`"is_data_discount_logging_enabled":false,"is_observability_broadcast_enabled":false,`+
		`"is_observability_io_logging_enabled":false,"updated_at":null}`, i, i)
}
