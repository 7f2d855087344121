package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// TestMain keeps the developer's own OpenRouter settings (and COLUMNS, which
// narrows tables) out of the tests (the facade also reads these variables
// from the process environment), removes the binary the binary tests built,
// and fails the run if a command leaves goroutines behind: the fake-server
// and demo commands start servers that must stop with the command.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "OPENROUTER_") || name == "COLUMNS" {
			os.Unsetenv(name)
		}
	}
	code := m.Run()
	if bin.dir != "" {
		os.RemoveAll(bin.dir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: %v\n", err)
			code = 1
		}
	}
	os.Exit(code)
}

func TestKeysListTable(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	disableKey(t, e, keys[1].Data.Hash)

	r := runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	golden(t, "keys_list.golden", normalize(r.stdout, keys))

	r = runCLI(t, e, "", "keys", "list", "--include-disabled")
	wantCode(t, r, exitOK)
	golden(t, "keys_list_include_disabled.golden", normalize(r.stdout, keys))
	if r.stderr != "" {
		t.Errorf("stderr: %q", r.stderr)
	}
}

func TestKeysListJSON(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "list", "-o", "json")
	wantCode(t, r, exitOK)
	golden(t, "keys_list.json.golden", normalize(r.stdout, keys))

	// The JSON is the API's: it decodes into the generated model.
	var page gen.ListResponse
	if err := json.Unmarshal([]byte(r.stdout), &page); err != nil {
		t.Fatal(err)
	}
	if len(page.Data) != 3 || page.Data[0].Name != "gamma" {
		t.Errorf("decoded %+v", page.Data)
	}
}

func TestKeysListEmpty(t *testing.T) {
	_, e := newFake(t)
	r := runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "No enabled keys") {
		t.Errorf("stdout: %q", r.stdout)
	}
	r = runCLI(t, e, "", "keys", "list", "-o", "json")
	wantCode(t, r, exitOK)
	if strings.TrimSpace(r.stdout) != `{
  "data": []
}` {
		t.Errorf("stdout: %q", r.stdout)
	}
}

// --offset and --workspace reach the query; --all follows every page.
func TestKeysListPaging(t *testing.T) {
	srv, e := newFake(t)
	for i := range 130 {
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("k%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}

	r := runCLI(t, e, "", "keys", "list", "-o", "json")
	wantCode(t, r, exitOK)
	if n := countKeys(t, r.stdout); n != 100 {
		t.Errorf("one page: %d keys, want 100", n)
	}
	r = runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "there may be more: use --offset 100 for the next page, or --all for every key") {
		t.Errorf("a full page should say there may be more; stderr %q", r.stderr)
	}
	// The hint is on stderr with -o json too, where it cannot spoil the JSON.
	r = runCLI(t, e, "", "keys", "list", "-o", "json", "--offset", "20")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "from offset 20; there may be more: use --offset 120") {
		t.Errorf("-o json: a full page should say there may be more; stderr %q", r.stderr)
	}
	// A page that is not full says nothing.
	r = runCLI(t, e, "", "keys", "list", "--offset", "100")
	wantCode(t, r, exitOK)
	if r.stderr != "" {
		t.Errorf("a short page: stderr %q", r.stderr)
	}

	srv.ResetRequests()
	r = runCLI(t, e, "", "keys", "list", "--all", "-o", "json")
	wantCode(t, r, exitOK)
	if n := len(listedJSON(t, r.stdout)); n != 130 {
		t.Errorf("--all: %d keys, want 130", n)
	}
	if r.stderr != "" {
		t.Errorf("--all: stderr %q", r.stderr)
	}
	wantPages(t, srv, 0, 100)

	srv.ResetRequests()
	w, err := srv.AddWorkspace(gen.CreateWorkspaceRequest{Name: "Empty", Slug: "empty"})
	if err != nil {
		t.Fatal(err)
	}
	ws := w.ID
	r = runCLI(t, e, "", "keys", "list", "--offset", "120", "--workspace", ws, "--include-disabled", "-o", "json")
	wantCode(t, r, exitOK)
	// The request asking offset 120 (a late read-ahead request of the
	// walk before may be recorded too).
	var q url.Values
	for _, req := range srv.Requests() {
		if req.Query.Get("offset") == "120" {
			q = req.Query
		}
	}
	if q.Get("workspace_id") != ws || q.Get("include_disabled") != "true" {
		t.Errorf("query %v", q)
	}
}

// listedJSON decodes the one JSON array keys list --all -o json prints.
func listedJSON(t *testing.T, out string) []gen.APIKey {
	t.Helper()
	var keys []gen.APIKey
	if err := json.Unmarshal([]byte(out), &keys); err != nil {
		t.Fatalf("want one JSON array: %v in %.300q", err, out)
	}
	return keys
}

func countKeys(t *testing.T, out string) int {
	t.Helper()
	var page gen.ListResponse
	if err := json.Unmarshal([]byte(out), &page); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	return len(page.Data)
}

func TestKeysGet(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "get", keys[2].Data.Hash)
	wantCode(t, r, exitOK)
	golden(t, "keys_get.golden", normalize(r.stdout, keys))

	r = runCLI(t, e, "", "keys", "get", keys[2].Data.Hash, "-o", "json")
	wantCode(t, r, exitOK)
	golden(t, "keys_get.json.golden", normalize(r.stdout, keys))
}

func TestCurrentKey(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "key")
	wantCode(t, r, exitOK)
	golden(t, "key.golden", r.stdout)

	r = runCLI(t, e, "", "key", "-o", "json")
	wantCode(t, r, exitOK)
	golden(t, "key.json.golden", r.stdout)

	// Any key may call /key; a regular key is not a management key.
	regular := env{"OPENROUTER_API_KEY": keys[0].Key.Reveal(), "OPENROUTER_BASE_URL": srv.URL}
	r = runCLI(t, regular, "", "key")
	wantCode(t, r, exitOK)
	if !regexp.MustCompile(`Management key:\s+no`).MatchString(r.stdout) || !strings.Contains(r.stdout, "$10.00") {
		t.Errorf("regular key:\n%s", r)
	}
}

// The plaintext key comes out of create exactly once, clearly marked, in
// table mode; in JSON mode it is the API's "key" field, once.
func TestKeysCreate(t *testing.T) {
	srv, e := newFake(t)
	r := runCLI(t, e, "", "keys", "create", "--name", "ci", "--limit", "12.5", "--limit-reset", "weekly",
		"--expires-at", "2099-01-01T01:00:00+01:00", "--include-byok-in-limit")
	wantCode(t, r, exitOK)

	plain := regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`).FindAllString(r.stdout+r.stderr, -1)
	if len(plain) != 1 {
		t.Fatalf("want the plaintext exactly once, found %d:\n%s", len(plain), r)
	}
	wantLine := "New key (shown once, store it now): " + plain[0] + "\n"
	if !strings.HasSuffix(r.stdout, wantLine) {
		t.Errorf("stdout should end with %q:\n%s", wantLine, r.stdout)
	}
	created := listed(t, srv)
	if len(created) != 1 {
		t.Fatalf("fake holds %d keys", len(created))
	}
	keys := []seeded{{gen.CreateKeysResponse{Data: created[0], Key: secret.New(plain[0])}}}
	golden(t, "keys_create.golden", normalize(r.stdout, keys))

	// The body holds what the flags said, expires_at converted to UTC.
	body := lastBody(t, srv, http.MethodPost)
	wantJSON(t, body, `{"name":"ci","limit":12.5,"limit_reset":"weekly","expires_at":"2099-01-01T00:00:00Z","include_byok_in_limit":true}`)

	r = runCLI(t, e, "", "keys", "create", "--name", "json-one", "-o", "json")
	wantCode(t, r, exitOK)
	if n := len(regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`).FindAllString(r.stdout+r.stderr, -1)); n != 1 {
		t.Errorf("JSON create shows the plaintext %d times:\n%s", n, r)
	}
	var res gen.CreateKeysResponse
	if err := json.Unmarshal([]byte(r.stdout), &res); err != nil {
		t.Fatal(err)
	}
	if res.Data.Name != "json-one" || !strings.HasPrefix(res.Key.Reveal(), "sk-or-v1-") {
		t.Errorf("decoded %+v", res)
	}
	wantJSON(t, lastBody(t, srv, http.MethodPost), `{"name":"json-one"}`)

	// --external-user sends external.user, and the key reports it.
	r = runCLI(t, e, "", "keys", "create", "--name", "for-customer", "--external-user", "customer-42")
	wantCode(t, r, exitOK)
	wantJSON(t, lastBody(t, srv, http.MethodPost), `{"name":"for-customer","external":{"user":"customer-42"}}`)
	if !regexp.MustCompile(`External user:\s+customer-42`).MatchString(r.stdout) {
		t.Errorf("create output lacks the external user:\n%s", r.stdout)
	}
	r = runCLI(t, e, "", "keys", "create", "--name", "x", "--external-user", " ")
	wantCode(t, r, exitUsage)

	ws := "8f14e45f-ceea-467f-a8f5-1b2c3d4e5f60"
	r = runCLI(t, e, "", "keys", "create", "--name", "w", "--workspace", ws, "--include-byok-in-limit=false", "--limit", "0")
	wantCode(t, r, exitOK)
	wantJSON(t, lastBody(t, srv, http.MethodPost), `{"name":"w","workspace_id":"`+ws+`","include_byok_in_limit":false,"limit":0}`)
}

func listed(t *testing.T, srv *fake.Server) []gen.APIKey {
	t.Helper()
	r := runCLI(t, env{"OPENROUTER_API_KEY": srv.ManagementKey, "OPENROUTER_BASE_URL": srv.URL}, "", "keys", "list", "--include-disabled", "--all", "-o", "json")
	wantCode(t, r, exitOK)
	var keys []gen.APIKey // --all -o json is one array of every key
	if err := json.Unmarshal([]byte(r.stdout), &keys); err != nil {
		t.Fatal(err)
	}
	return keys
}

// lastBody is the body of the last request with this method the fake saw.
func lastBody(t *testing.T, srv *fake.Server, method string) []byte {
	t.Helper()
	reqs := srv.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if reqs[i].Method == method {
			return reqs[i].Body
		}
	}
	t.Fatalf("no %s request among %d", method, len(reqs))
	return nil
}

// wantJSON compares two JSON documents by value.
func wantJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("body %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatal(err)
	}
	gb, _ := json.Marshal(g)
	wb, _ := json.Marshal(w)
	if string(gb) != string(wb) {
		t.Errorf("body sent: %s\nwant:      %s", gb, wb)
	}
}

// update sends exactly the flags given: absent fields stay out of the body,
// --no-limit and --no-limit-reset send null.
func TestKeysUpdateSendsOnlyChangedFields(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	hash := keys[0].Data.Hash
	cases := []struct {
		args []string
		body string
	}{
		{[]string{"--disable"}, `{"disabled":true}`},
		{[]string{"--enable"}, `{"disabled":false}`},
		{[]string{"--disable=false"}, `{"disabled":false}`},
		{[]string{"--no-limit"}, `{"limit":null}`},
		{[]string{"--no-limit-reset"}, `{"limit_reset":null}`},
		{[]string{"--no-limit", "--no-limit-reset"}, `{"limit":null,"limit_reset":null}`},
		{[]string{"--name", "renamed", "--limit", "3.5", "--limit-reset", "weekly"}, `{"name":"renamed","limit":3.5,"limit_reset":"weekly"}`},
		{[]string{"--limit", "0"}, `{"limit":0}`},
		{[]string{"--include-byok-in-limit"}, `{"include_byok_in_limit":true}`},
		{[]string{"--include-byok-in-limit=false"}, `{"include_byok_in_limit":false}`},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", append([]string{"keys", "update", hash, "-o", "json"}, c.args...)...)
			wantCode(t, r, exitOK)
			wantJSON(t, lastBody(t, srv, http.MethodPatch), c.body)
		})
	}

	// The effect shows in the key: limit cleared, reset cleared.
	r := runCLI(t, e, "", "keys", "update", hash, "--no-limit", "--no-limit-reset")
	wantCode(t, r, exitOK)
	for _, re := range []string{`Limit:\s+-\n`, `Limit reset:\s+-\n`, `Updated:\s+2026-03-14T15:09:26`} {
		if !regexp.MustCompile(re).MatchString(r.stdout) {
			t.Errorf("output lacks %s:\n%s", re, r.stdout)
		}
	}
}

func TestKeysUpdateTable(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "update", keys[0].Data.Hash, "--disable", "--no-limit")
	wantCode(t, r, exitOK)
	golden(t, "keys_update.golden", normalize(r.stdout, keys))
}

func TestKeysDelete(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)

	t.Run("no terminal, no --yes: refused, nothing sent", func(t *testing.T) {
		srv.ResetRequests()
		r := runCLI(t, e, "y\n", "keys", "delete", keys[0].Data.Hash)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "pass --yes") {
			t.Errorf("stderr: %q", r.stderr)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
	t.Run("terminal, answer no: kept", func(t *testing.T) {
		r := runTerminal(t, e, "n\n", "keys", "delete", keys[0].Data.Hash)
		wantCode(t, r, exitDeclined)
		if !strings.Contains(r.stderr, `Delete key "alpha"`) || !strings.Contains(r.stderr, "was not deleted") {
			t.Errorf("stderr: %q", r.stderr)
		}
		if len(listed(t, srv)) != 3 {
			t.Error("key deleted despite no")
		}
	})
	t.Run("terminal, end of input: kept", func(t *testing.T) {
		r := runTerminal(t, e, "", "keys", "delete", keys[0].Data.Hash)
		wantCode(t, r, exitDeclined)
		if len(listed(t, srv)) != 3 {
			t.Error("key deleted without an answer")
		}
	})
	t.Run("terminal, answer yes: deleted", func(t *testing.T) {
		r := runTerminal(t, e, "Yes\n", "keys", "delete", keys[0].Data.Hash)
		wantCode(t, r, exitOK)
		if r.stdout != "Deleted key "+keys[0].Data.Hash+".\n" {
			t.Errorf("stdout: %q", r.stdout)
		}
		if len(listed(t, srv)) != 2 {
			t.Error("key not deleted")
		}
	})
	t.Run("--yes without terminal: deleted", func(t *testing.T) {
		r := runCLI(t, e, "", "keys", "delete", keys[1].Data.Hash, "--yes", "-o", "json")
		wantCode(t, r, exitOK)
		wantJSON(t, []byte(r.stdout), `{"deleted":true}`)
		if len(listed(t, srv)) != 1 {
			t.Error("key not deleted")
		}
	})
}

// attribution flags become headers; unset flags fall back to the
// environment variables.
func TestAttributionFlagsAndEnv(t *testing.T) {
	srv, e := newFake(t)
	r := runCLI(t, e, "", "keys", "list", "--http-referer", "https://example.test/app", "--app-title", "Acme", "--app-categories", "cli-agent,testing")
	wantCode(t, r, exitOK)
	h := srv.Requests()[0].Header
	if h.Get("HTTP-Referer") != "https://example.test/app" || h.Get("X-OpenRouter-Title") != "Acme" || h.Get("X-OpenRouter-Categories") != "cli-agent,testing" {
		t.Errorf("headers %v", h)
	}

	srv.ResetRequests()
	e["OPENROUTER_APP_TITLE"] = "FromEnv"
	e["OPENROUTER_HTTP_REFERER"] = "https://env.test"
	r = runCLI(t, e, "", "key")
	wantCode(t, r, exitOK)
	h = srv.Requests()[0].Header
	if h.Get("X-OpenRouter-Title") != "FromEnv" || h.Get("HTTP-Referer") != "https://env.test" {
		t.Errorf("headers %v", h)
	}

	srv.ResetRequests()
	r = runCLI(t, e, "", "key", "--app-title", "Flag")
	wantCode(t, r, exitOK)
	if got := srv.Requests()[0].Header.Get("X-OpenRouter-Title"); got != "Flag" {
		t.Errorf("flag should win over env: %q", got)
	}
}

// --server-url wins over OPENROUTER_BASE_URL.
func TestServerURLFlagOverridesEnv(t *testing.T) {
	srv, e := newFake(t)
	// Used, this URL would fail at once: plain http to a remote host.
	e["OPENROUTER_BASE_URL"] = "http://example.test/api/v1"
	r := runCLI(t, e, "", "key", "--server-url", srv.URL)
	wantCode(t, r, exitOK)
}

// A 503 is retried; the retry shows on stderr, the output stays clean.
func TestRetryShownOnStderr(t *testing.T) {
	srv, e := newFake(t)
	seed(t, srv)
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusServiceUnavailable})
	r := runCLI(t, e, "", "keys", "list", "-o", "json")
	wantCode(t, r, exitOK)
	if !regexp.MustCompile(`^retrying GET /keys after 503 Service Unavailable \(attempt 1\), waiting \d`).MatchString(r.stderr) {
		t.Errorf("stderr: %q", r.stderr)
	}
	if countKeys(t, r.stdout) != 3 {
		t.Errorf("stdout: %q", r.stdout)
	}
}

func disableKey(t *testing.T, e env, hash string) {
	t.Helper()
	wantCode(t, runCLI(t, e, "", "keys", "update", hash, "--disable"), exitOK)
}
