package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// These tests run the real binary, built once per test run, so that they
// see what a script sees: the exit status main hands to the OS, the two
// streams, the signals.

var bin struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// orkeysBinary builds cmd/orkeys once and returns its path; TestMain
// removes it.
func orkeysBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin.once.Do(func() {
		bin.dir, bin.err = os.MkdirTemp("", "orkeys-test-bin-")
		if bin.err != nil {
			return
		}
		bin.path = filepath.Join(bin.dir, "orkeys")
		if out, err := exec.Command("go", "build", "-o", bin.path, ".").CombinedOutput(); err != nil {
			bin.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if bin.err != nil {
		t.Fatal(bin.err)
	}
	return bin.path
}

// binEnv is a clean environment for the binary, plus extra NAME=value
// pairs: nothing of the developer's OpenRouter settings leaks in.
func binEnv(t *testing.T, extra ...string) []string {
	return append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}, extra...)
}

// fakeEnv points the binary at srv with its management key.
func fakeEnv(t *testing.T, srv *fake.Server) []string {
	return binEnv(t, "OPENROUTER_API_KEY="+srv.ManagementKey, "OPENROUTER_BASE_URL="+srv.URL)
}

// runBinary runs the binary with stdin from /dev/null. A minute bounds it,
// so that a regression to the old two minutes of retries fails rather
// than hangs.
func runBinary(t *testing.T, environ []string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, orkeysBinary(t), args...)
	cmd.Env = environ
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("orkeys %s still running after a minute; stderr %q", strings.Join(args, " "), stderr.String())
	}
	var exit *exec.ExitError
	code := 0
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{stdout.String(), stderr.String(), code}
}

// closedPort returns a loopback address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// Every exit code a script can get from the binary, each from the
// situation the table in --help names.
func TestBinaryExitCodes(t *testing.T) {
	srv, _ := newFake(t)
	keys := seed(t, srv)
	withKey := fakeEnv(t, srv)
	regular := binEnv(t, "OPENROUTER_API_KEY="+keys[0].Key.Reveal(), "OPENROUTER_BASE_URL="+srv.URL)
	unknown := binEnv(t, "OPENROUTER_API_KEY=sk-or-v1-"+strings.Repeat("9", 64), "OPENROUTER_BASE_URL="+srv.URL)
	missing := strings.Repeat("0", 64)

	cases := []struct {
		name   string
		fault  *fake.Fault // injected before the run
		env    []string
		args   []string
		code   int
		stderr string
	}{
		{"0 success", nil, withKey, []string{"keys", "get", keys[0].Data.Hash}, exitOK, ""},
		{"0 demo", nil, binEnv(t), []string{"demo"}, exitOK, ""},
		{"1 a 400 from the server", &fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusBadRequest},
			withKey, []string{"keys", "update", keys[0].Data.Hash, "--limit", "500"}, exitError, "orkeys: openrouter: 400 Bad Request"},
		{"2 bad flag", nil, withKey, []string{"keys", "list", "--nope"}, exitUsage, "unknown flag: --nope"},
		{"2 bad value", nil, withKey, []string{"keys", "list", "--offset", "ten"}, exitUsage, `--offset "ten": want a whole number`},
		{"2 missing key", nil, binEnv(t), []string{"keys", "list"}, exitUsage, "export OPENROUTER_API_KEY="},
		{"2 delete needs --yes", nil, withKey, []string{"keys", "delete", keys[0].Data.Hash}, exitUsage, "pass --yes"},
		{"2 plain http to a remote host", nil, withKey, []string{"keys", "list", "--server-url", "http://example.test/api/v1"}, exitUsage, "pass --insecure-http"},
		{"3 401 unknown key", nil, unknown, []string{"key"}, exitAuth, "orkeys: openrouter: 401 Unauthorized"},
		{"3 403 regular key", nil, regular, []string{"keys", "list"}, exitAuth, "orkeys: openrouter: 403 Forbidden"},
		{"4 404", nil, withKey, []string{"keys", "get", missing}, exitNotFound, "orkeys: openrouter: 404 Not Found"},
		{"5 create may have happened", &fake.Fault{Method: http.MethodPost, Path: "/keys", Status: http.StatusInternalServerError},
			withKey, []string{"keys", "create", "--name", "maybe"}, exitAmbiguous, `the key "maybe" may have been created`},
		// A Retry-After beyond what the CLI waits ends the call at once.
		{"6 429", &fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"3600"}}},
			withKey, []string{"keys", "list"}, exitRateLimited, "rate limited: the server asks to wait 1h0m0s"},
		{"7 5XX after the retries", &fake.Fault{Method: http.MethodGet, Path: "/keys/{hash}", Status: http.StatusServiceUnavailable},
			withKey, []string{"keys", "get", keys[0].Data.Hash, "--retries", "0"}, exitUnavailable, "503 Service Unavailable"},
		{"7 closed port, one attempt", nil, withKey, []string{"key", "--retries", "0", "--server-url", "http://" + closedPort(t) + "/api/v1"}, exitUnavailable, "connection refused"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.fault != nil {
				srv.Inject(*c.fault)
			}
			r := runBinary(t, c.env, c.args...)
			if r.code != c.code || !strings.Contains(r.stderr, c.stderr) {
				t.Errorf("exit %d, want %d; stderr %q (want %q)", r.code, c.code, r.stderr, c.stderr)
			}
			if strings.Contains(r.stderr, srv.ManagementKey) || strings.Contains(r.stderr, keys[0].Key.Reveal()) {
				t.Errorf("a key leaked into stderr: %q", r.stderr)
			}
		})
	}
	if n := srv.PendingFaults(); n != 0 {
		t.Errorf("%d injected faults were never hit", n)
	}
}

// The default retry budget is short: a stopped server (a closed port) ends
// the command in seconds with exit 7 and a message naming the URL, not after
// the library's two minutes.
func TestBinaryFailsFastOnClosedPort(t *testing.T) {
	t.Parallel()
	url := "http://" + closedPort(t) + "/api/v1"
	key := "sk-or-v1-" + strings.Repeat("7", 64)
	start := time.Now()
	r := runBinary(t, binEnv(t, "OPENROUTER_API_KEY="+key, "OPENROUTER_BASE_URL="+url), "keys", "list")
	t.Logf("closed port: exit %d after %v", r.code, time.Since(start).Round(100*time.Millisecond))
	wantCode(t, r, exitUnavailable)
	if !strings.Contains(r.stderr, "orkeys: cannot reach "+url+": connection refused") {
		t.Errorf("stderr %q", r.stderr)
	}
	if strings.Contains(r.stderr, key) || strings.Contains(r.stderr, "7777777") {
		t.Errorf("the key leaked: %q", r.stderr)
	}
	if !strings.Contains(r.stderr, "retrying GET /keys after connection refused (attempt 1)") {
		t.Errorf("retries should show on stderr: %q", r.stderr)
	}
}

// --timeout bounds the whole command: a server that never answers ends it
// with exit 7 and a message naming the flag.
func TestBinaryTimeout(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys", Hang: true})
	start := time.Now()
	r := runBinary(t, fakeEnv(t, srv), "keys", "list", "--timeout", "1s")
	took := time.Since(start)
	wantCode(t, r, exitUnavailable)
	if !strings.Contains(r.stderr, "orkeys: --timeout 1s ran out before "+srv.URL+" answered") {
		t.Errorf("stderr %q", r.stderr)
	}
	// Loose: only that the flag, not the 30 s attempt timeout, ended it.
	if took > 20*time.Second {
		t.Errorf("took %v with --timeout 1s", took)
	}
}

// --retries N makes exactly N+1 attempts; 0 a single one.
func TestBinaryRetries(t *testing.T) {
	t.Parallel()
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		http.Error(w, `{"error":{"code":503,"message":"down for maintenance"}}`, http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	environ := binEnv(t, "OPENROUTER_API_KEY=sk-or-v1-"+strings.Repeat("5", 64), "OPENROUTER_BASE_URL="+srv.URL+"/api/v1")

	for _, c := range []struct {
		retries  string
		attempts int64
		stderr   string
	}{
		{"0", 1, "orkeys: openrouter: 503 Service Unavailable: down for maintenance (GET /keys); the server is failing"},
		{"2", 3, "orkeys: giving up after 3 attempts: openrouter: 503 Service Unavailable"},
	} {
		hits.Store(0)
		r := runBinary(t, environ, "keys", "list", "--retries", c.retries)
		wantCode(t, r, exitUnavailable)
		if n := hits.Load(); n != c.attempts {
			t.Errorf("--retries %s: %d attempts, want %d", c.retries, n, c.attempts)
		}
		if !strings.Contains(r.stderr, c.stderr) || strings.Count(r.stderr, "retrying") != int(c.attempts-1) {
			t.Errorf("--retries %s: stderr %q", c.retries, r.stderr)
		}
	}
}

// decodeOne decodes stdout as exactly one JSON value.
func decodeOne(t *testing.T, stdout string, v any) {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(stdout))
	if err := dec.Decode(v); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%.500s", err, stdout)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stdout holds more than one JSON value:\n%.500s", stdout)
	}
}

// Every command's -o json is one JSON document on stdout, nothing else,
// from the real binary.
func TestBinaryJSONOutput(t *testing.T) {
	srv, _ := newFake(t)
	keys := seed(t, srv)
	environ := fakeEnv(t, srv)
	hash := keys[0].Data.Hash

	json1 := func(args ...string) string {
		t.Helper()
		r := runBinary(t, environ, append(args, "-o", "json")...)
		wantCode(t, r, exitOK)
		return r.stdout
	}

	var page gen.ListResponse
	decodeOne(t, json1("keys", "list"), &page)
	if len(page.Data) != 3 {
		t.Errorf("keys list: %d keys", len(page.Data))
	}

	var got gen.GetKeyResponse
	decodeOne(t, json1("keys", "get", hash), &got)
	if got.Data.Hash != hash {
		t.Errorf("keys get: %+v", got.Data)
	}

	var cur gen.GetCurrentKeyResponse
	decodeOne(t, json1("key"), &cur)
	if !cur.Data.IsManagementKey {
		t.Errorf("key: %+v", cur.Data)
	}

	var created gen.CreateKeysResponse
	decodeOne(t, json1("keys", "create", "--name", "from-json"), &created)
	if created.Data.Name != "from-json" || !strings.HasPrefix(created.Key.Reveal(), "sk-or-v1-") {
		t.Errorf("keys create: %+v", created.Data)
	}

	var updated gen.UpdateKeysResponse
	decodeOne(t, json1("keys", "update", hash, "--disable"), &updated)
	if !updated.Data.Disabled {
		t.Errorf("keys update: %+v", updated.Data)
	}

	var deleted map[string]any
	decodeOne(t, json1("keys", "delete", created.Data.Hash, "--yes"), &deleted)
	if deleted["deleted"] != true {
		t.Errorf("keys delete: %v", deleted)
	}

	var v versionInfo
	decodeOne(t, json1("version"), &v)
	if v.Version == "" || !strings.HasPrefix(v.GoVersion, "go") || !strings.Contains(v.Platform, "/") {
		t.Errorf("version: %+v", v)
	}

	r := runBinary(t, binEnv(t), "demo", "-o", "json")
	wantCode(t, r, exitOK)
	var sum demoSummary
	decodeOne(t, r.stdout, &sum)
	if !sum.Fake || sum.Created != 3 || sum.Deleted != 3 || sum.Retried != 1 || sum.Requests < 10 {
		t.Errorf("demo: %+v", sum)
	}
	if !strings.Contains(r.stderr, "== 8. List again") {
		t.Errorf("demo -o json: the narrative belongs on stderr: %.300q", r.stderr)
	}
}

// keys list --all -o json prints one JSON array of every key, across pages.
func TestBinaryListAllJSONIsOneArray(t *testing.T) {
	srv, _ := newFake(t)
	for i := range 101 { // two pages
		if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: fmt.Sprintf("k%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	r := runBinary(t, fakeEnv(t, srv), "keys", "list", "--all", "-o", "json")
	wantCode(t, r, exitOK)
	var all []gen.APIKey
	decodeOne(t, r.stdout, &all)
	seen := map[string]bool{}
	for _, k := range all {
		seen[k.Name] = true
	}
	if len(all) != 101 || len(seen) != 101 {
		t.Errorf("%d keys, %d distinct names; want 101", len(all), len(seen))
	}
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}

	// Without --all, a full page says on stderr that more may exist.
	r = runBinary(t, fakeEnv(t, srv), "keys", "list", "-o", "json")
	wantCode(t, r, exitOK)
	var page gen.ListResponse
	decodeOne(t, r.stdout, &page)
	if len(page.Data) != 100 || !strings.Contains(r.stderr, "or --all for every key") {
		t.Errorf("%d keys; stderr %q", len(page.Data), r.stderr)
	}
}

// fake-server --port 0 picks a free port, prints exports a shell can
// paste (or one JSON line), serves, and stops with exit 0 on SIGTERM.
func TestBinaryFakeServer(t *testing.T) {
	for _, format := range []string{"table", "json"} {
		t.Run(format, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, orkeysBinary(t), "fake-server", "--port", "0", "-o", format)
			cmd.Env = binEnv(t)
			var stderr syncBuffer
			cmd.Stderr = &stderr
			stdout, err := cmd.StdoutPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			lines := bufio.NewScanner(stdout)
			next := func() string {
				if !lines.Scan() {
					t.Fatalf("output ended: %v; stderr %q", lines.Err(), stderr.String())
				}
				return lines.Text()
			}
			vars := map[string]string{}
			if format == "json" {
				if err := json.Unmarshal([]byte(next()), &vars); err != nil {
					t.Fatal(err)
				}
			} else {
				for range 2 {
					m := regexp.MustCompile(`^export (OPENROUTER_[A-Z_]+)=(\S+)$`).FindStringSubmatch(next())
					if m == nil {
						t.Fatal("not an export line")
					}
					vars[m[1]] = m[2]
				}
			}
			if !regexp.MustCompile(`^http://127\.0\.0\.1:[1-9]\d*/api/v1$`).MatchString(vars["OPENROUTER_BASE_URL"]) {
				t.Errorf("base URL %q: want 127.0.0.1 with the port picked", vars["OPENROUTER_BASE_URL"])
			}
			// What it printed is all a client needs.
			r := runBinary(t, binEnv(t, "OPENROUTER_BASE_URL="+vars["OPENROUTER_BASE_URL"], "OPENROUTER_API_KEY="+vars["OPENROUTER_API_KEY"]), "key")
			wantCode(t, r, exitOK)

			if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			if err := cmd.Wait(); err != nil {
				t.Errorf("after SIGTERM: %v; stderr %q", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "orkeys fake-server: stopped") {
				t.Errorf("stderr %q", stderr.String())
			}
		})
	}
}
