package main

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// keys create --if-absent: an existing key of that name (on any page,
// disabled keys included) is printed and nothing is created.
func TestKeysCreateIfAbsent(t *testing.T) {
	srv, e := newFake(t)
	hashes := seedPages(t, srv, e, 120, []string{"old-ci"}, "old-ci")

	t.Run("exists: printed, no POST", func(t *testing.T) {
		srv.ResetRequests()
		r := runCLI(t, e, "", "keys", "create", "--name", "old-ci", "--limit", "5", "--if-absent")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "Hash:             "+hashes["old-ci"]+"\n") || !strings.Contains(r.stdout, "Status:           disabled\n") {
			t.Errorf("stdout should show the existing key:\n%s", r.stdout)
		}
		if plaintextRE.MatchString(r.stdout) || strings.Contains(r.stdout, "New key") {
			t.Errorf("an existing key has no plaintext to show:\n%s", r.stdout)
		}
		if !strings.Contains(r.stderr, "No plaintext is available for an existing key") || !strings.Contains(r.stderr, hashes["old-ci"]) {
			t.Errorf("stderr %q", r.stderr)
		}
		// Two pages hold the keys; read-ahead may ask for up to three more
		// past the last. Nothing but pages is sent: no POST.
		if got := methodsSent(srv); !regexp.MustCompile(`^GET /keys(, GET /keys){1,4}$`).MatchString(got) {
			t.Errorf("requests %s, want the two pages (and read-ahead) only", got)
		}
	})
	t.Run("exists, json", func(t *testing.T) {
		r := runCLI(t, e, "", "keys", "create", "--name", "old-ci", "--if-absent", "-o", "json")
		wantCode(t, r, exitOK)
		var got map[string]json.RawMessage
		decodeOne(t, r.stdout, &got)
		var k gen.APIKey
		if err := json.Unmarshal(got["data"], &k); err != nil || k.Hash != hashes["old-ci"] {
			t.Errorf("data %s: %v", got["data"], err)
		}
		if _, ok := got["key"]; ok {
			t.Errorf("JSON for an existing key has a \"key\": %s", r.stdout)
		}
	})
	t.Run("several: the newest, and a note", func(t *testing.T) {
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "old-ci"}); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, e, "", "keys", "create", "--name", "old-ci", "--if-absent")
		wantCode(t, r, exitOK)
		if strings.Contains(r.stdout, hashes["old-ci"]) || !strings.Contains(r.stderr, "2 keys have this name") {
			t.Errorf("want the newest and a note:\n%s", r)
		}
	})
	t.Run("absent: created", func(t *testing.T) {
		srv.ResetRequests()
		r := runCLI(t, e, "", "keys", "create", "--name", "fresh", "--if-absent")
		wantCode(t, r, exitOK)
		_, hash := printedKey(t, r.stdout)
		if k, ok := keyByHash(t, srv, hash); !ok || k.Name != "fresh" {
			t.Errorf("created %+v", k)
		}
		// Run again: now it exists.
		srv.ResetRequests()
		r = runCLI(t, e, "", "keys", "create", "--name", "fresh", "--if-absent")
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, hash) || slices.Contains(strings.Split(methodsSent(srv), ", "), "POST /keys") {
			t.Errorf("second run should find the key, not create one:\n%s", r)
		}
	})
	t.Run("the name in another workspace does not count", func(t *testing.T) {
		otherWorkspace := addOtherWorkspace(t, srv)
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "elsewhere", WorkspaceID: ptr(otherWorkspace)}); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, e, "", "keys", "create", "--name", "elsewhere", "--if-absent")
		wantCode(t, r, exitOK)
		printedKey(t, r.stdout) // created in the default workspace
		r = runCLI(t, e, "", "keys", "create", "--name", "elsewhere", "--workspace", otherWorkspace, "--if-absent")
		wantCode(t, r, exitOK)
		if plaintextRE.MatchString(r.stdout) {
			t.Errorf("the key exists in that workspace:\n%s", r)
		}
	})
	t.Run("bad flags: usage error, nothing sent", func(t *testing.T) {
		srv.ResetRequests()
		for _, args := range [][]string{
			{"--if-absent"},
			{"--name", "old-ci", "--if-absent", "--limit", "-1"},
			{"--name", "old-ci", "--if-absent", "--workspace", "nope"},
		} {
			r := runCLI(t, e, "", append([]string{"keys", "create"}, args...)...)
			wantCode(t, r, exitUsage)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	})
	t.Run("the lookup fails: nothing created", func(t *testing.T) {
		srv.ResetRequests()
		// Every page read fails: the walk reads ahead, and a fault that
		// hit only a read-ahead request past the end would not count.
		for range 4 {
			srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusServiceUnavailable})
		}
		r := runCLI(t, e, "", "keys", "create", "--name", "x", "--if-absent", "--retries", "0")
		wantCode(t, r, exitUnavailable)
		if got := methodsSent(srv); strings.Contains(got, "POST") {
			t.Errorf("requests %s", got)
		}
	})
}

// keys delete --ignore-missing: the API's 404 exits 0.
func TestKeysDeleteIgnoreMissing(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	missing := strings.Repeat("0", 64)

	r := runCLI(t, e, "", "keys", "delete", missing, "--yes", "--ignore-missing")
	wantCode(t, r, exitOK)
	if r.stdout != "No key has hash "+missing+"; nothing to delete.\n" || r.stderr != "" {
		t.Errorf("%s", r)
	}
	r = runCLI(t, e, "", "keys", "delete", missing, "--yes", "--ignore-missing", "-o", "json")
	wantCode(t, r, exitOK)
	wantJSON(t, []byte(r.stdout), `{"deleted":false}`)

	// Without the flag a 404 is exit 4.
	r = runCLI(t, e, "", "keys", "delete", missing, "--yes")
	wantCode(t, r, exitNotFound)

	// On a terminal the key is read first; its 404 counts too.
	r = runTerminal(t, e, "", "keys", "delete", missing, "--ignore-missing")
	wantCode(t, r, exitOK)

	// An existing key is deleted as usual.
	r = runCLI(t, e, "", "keys", "delete", keys[0].Data.Hash, "--yes", "--ignore-missing")
	wantCode(t, r, exitOK)
	if r.stdout != "Deleted key "+keys[0].Data.Hash+".\n" || len(listed(t, srv)) != 2 {
		t.Errorf("%s", r)
	}

	// A DELETE whose 404 comes from a retry after a lost answer: the API's
	// 404 envelope, exit 0.
	srv.Inject(fake.Fault{Method: http.MethodDelete, Path: "/keys/{hash}", Status: http.StatusNotFound})
	r = runCLI(t, e, "", "keys", "delete", keys[1].Data.Hash, "--yes", "--ignore-missing")
	wantCode(t, r, exitOK)

	// A 404 page that is not the API's (a wrong --server-url path behind a
	// proxy) is not "missing", and other errors stay errors.
	for _, f := range []fake.Fault{
		{Method: http.MethodDelete, Path: "/keys/{hash}", Status: http.StatusNotFound, Body: "<html>404 page not found</html>"},
		{Method: http.MethodDelete, Path: "/keys/{hash}", Status: http.StatusForbidden},
	} {
		srv.Inject(f)
		r = runCLI(t, e, "", "keys", "delete", keys[1].Data.Hash, "--yes", "--ignore-missing")
		if r.code == exitOK {
			t.Errorf("%d %s passed for success:\n%s", f.Status, f.Body, r)
		}
	}
}

// newClockFake is newFake with a clock the test moves: fakeNow is added to
// the real time.
func newClockFake(t *testing.T) (*fake.Server, env, *atomic.Int64) {
	t.Helper()
	var offset atomic.Int64
	srv := fake.NewServer(fake.WithClock(func() time.Time { return time.Now().Add(time.Duration(offset.Load())) }), fake.WithManagementKey(managementKey))
	t.Cleanup(srv.Close)
	return srv, env{"OPENROUTER_API_KEY": srv.ManagementKey, "OPENROUTER_BASE_URL": srv.URL}, &offset
}

// keys list --expiring-within and --name-prefix filter over every page.
func TestKeysListFilters(t *testing.T) {
	srv, e, offset := newClockFake(t)
	now := time.Now()
	add := func(name string, expires time.Duration) string {
		t.Helper()
		body := gen.CreateKeysRequestBody{Name: name}
		if expires != 0 {
			body.ExpiresAt = ptr(now.Add(expires).UTC().Truncate(time.Second))
		}
		res, err := srv.AddKey(body)
		if err != nil {
			t.Fatal(err)
		}
		return res.Data.Hash
	}
	// An already expired key: made while the fake's clock ran 2 hours slow.
	offset.Store(int64(-2 * time.Hour))
	add("svc-expired", -time.Hour)
	offset.Store(0)
	add("svc-3d", 3*24*time.Hour)
	for range 110 {
		add("filler", 0)
	}
	add("svc-30h", 30*time.Hour)
	add("job-5d", 5*24*time.Hour)
	add("svc-10d", 10*24*time.Hour)
	add("svc-never", 0)
	disableKey(t, e, add("svc-paused-2d", 2*24*time.Hour))

	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{"--expiring-within", "7d"}, []string{"job-5d", "svc-30h", "svc-3d", "svc-expired"}},
		{[]string{"--expiring-within", "7d", "--include-disabled"}, []string{"svc-paused-2d", "job-5d", "svc-30h", "svc-3d", "svc-expired"}},
		{[]string{"--expiring-within", "36h"}, []string{"svc-30h", "svc-expired"}},
		{[]string{"--expiring-within", "1d12h"}, []string{"svc-30h", "svc-expired"}},
		{[]string{"--expiring-within", "0"}, []string{"svc-expired"}},
		{[]string{"--expiring-within", "30d"}, []string{"svc-10d", "job-5d", "svc-30h", "svc-3d", "svc-expired"}},
		{[]string{"--name-prefix", "svc-"}, []string{"svc-never", "svc-10d", "svc-30h", "svc-3d", "svc-expired"}},
		{[]string{"--name-prefix", "svc-", "--expiring-within", "4d"}, []string{"svc-30h", "svc-3d", "svc-expired"}},
		{[]string{"--name-prefix", "nobody"}, []string{}},
		{[]string{"--name-prefix", "svc-", "--all"}, []string{"svc-never", "svc-10d", "svc-30h", "svc-3d", "svc-expired"}},
	} {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", append([]string{"keys", "list", "-o", "json"}, c.args...)...)
			wantCode(t, r, exitOK)
			var got []gen.APIKey
			decodeOne(t, r.stdout, &got)
			if n := names(got); !slices.Equal(n, c.want) && (len(n) != 0 || len(c.want) != 0) {
				t.Errorf("listed %v, want %v", n, c.want)
			}
			if got == nil {
				t.Error("-o json printed null, want []")
			}
			wantPages(t, srv, 0, 100)
		})
	}

	r := runCLI(t, e, "", "keys", "list", "--expiring-within", "7d")
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stdout, "HASH ") || strings.Count(r.stdout, "\n") != 5 || strings.Contains(r.stdout, "svc-10d") {
		t.Errorf("table:\n%s", r.stdout)
	}
	r = runCLI(t, e, "", "keys", "list", "--name-prefix", "nobody")
	wantCode(t, r, exitOK)
	if r.stdout != "No enabled keys match (--include-disabled looks at disabled ones too).\n" {
		t.Errorf("stdout %q", r.stdout)
	}
}

func TestKeysListFilterErrors(t *testing.T) {
	srv, e := newFake(t)
	seed(t, srv)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--expiring-within", "7"}, `--expiring-within "7": want a duration such as 7d, 36h or 1d12h`},
		{[]string{"--expiring-within", "1w"}, `--expiring-within "1w"`},
		{[]string{"--expiring-within", "-1d"}, `--expiring-within "-1d"`},
		{[]string{"--expiring-within", "-5h"}, `--expiring-within "-5h"`},
		{[]string{"--expiring-within", "1.5d"}, `--expiring-within "1.5d"`},
		{[]string{"--expiring-within", ""}, `--expiring-within ""`},
		{[]string{"--expiring-within", "d"}, `--expiring-within "d"`},
		{[]string{"--name-prefix", ""}, "--name-prefix must not be empty"},
		{[]string{"--name-prefix", "a", "--offset", "100"}, "--offset cannot be used with --all-workspaces, --expiring-within, --name-prefix"},
		{[]string{"--unused-for", "30d", "--offset", "100"}, "--offset cannot be used with"},
		{[]string{"--sort", "created", "--offset", "100"}, "--offset cannot be used with"},
		{[]string{"--all-workspaces", "--workspace", "default"}, "--workspace and --all-workspaces cannot be used together"},
		{[]string{"--sort", "name"}, `--sort "name": want usage, last-used or created`},
		{[]string{"--unused-for", "soon"}, `--unused-for "soon"`},
		{[]string{"--name-prefix", "a", "--workspace", "No_pe"}, `--workspace "No_pe" is neither a workspace UUID nor a slug`},
	} {
		t.Run(c.want, func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", append([]string{"keys", "list"}, c.args...)...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, c.want) || len(srv.Requests()) != 0 {
				t.Errorf("want %q and nothing sent:\n%s", c.want, r)
			}
		})
	}
}

func TestParseWithin(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"7d": 7 * 24 * time.Hour, "36h": 36 * time.Hour, "1d12h": 36 * time.Hour, "90m": 90 * time.Minute,
		"0": 0, "0d": 0, "2d30m": 48*time.Hour + 30*time.Minute, " 1d ": 24 * time.Hour,
	} {
		if got, err := parseWithin(in); err != nil || got != want {
			t.Errorf("parseWithin(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}
