package main

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/gen"
)

// Hostile checks of the real binary: stdout on a full disk, stdout a pipe
// whose reader is gone, a server URL with a key in it, a server that
// sends escape sequences. Each holds what the CLI promises: a plaintext is
// delivered before anything irreversible, a local write failure is not a
// network one, no key and no escape sequence reaches the terminal.

// runBinaryTo runs the binary with stdout going to out (a file or a
// pipe's write end) and returns its exit code and stderr.
func runBinaryTo(t *testing.T, environ []string, out *os.File, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, orkeysBinary(t), args...)
	cmd.Env = environ
	var stderr strings.Builder
	cmd.Stdout, cmd.Stderr = out, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		if exit.ExitCode() < 0 {
			t.Fatalf("orkeys %v died of a signal (%v); stderr %q", args, exit, stderr.String())
		}
		return exit.ExitCode(), stderr.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, stderr.String()
}

// devFull opens /dev/full, where every write fails with ENOSPC.
func devFull(t *testing.T) *os.File {
	t.Helper()
	f, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// closedPipe is the write end of a pipe whose reader has already gone: a
// consumer that exits early (head -c0).
func closedPipe(t *testing.T) *os.File {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	t.Cleanup(func() { w.Close() })
	return w
}

func TestHostileCreateOutputFails(t *testing.T) {
	srv, _ := newFake(t)
	environ := fakeEnv(t, srv)
	for _, c := range []struct {
		name string
		out  func(*testing.T) *os.File
	}{{"/dev/full", devFull}, {"closed pipe", closedPipe}} {
		t.Run(c.name, func(t *testing.T) {
			before := len(listed(t, srv))
			code, stderr := runBinaryTo(t, environ, c.out(t), "keys", "create", "--name", "lost")
			if code != exitError || !strings.HasPrefix(stderr, "orkeys: cannot write output: ") ||
				strings.Contains(stderr, "cannot reach") || !strings.Contains(stderr, "plaintext was not delivered") {
				t.Fatalf("exit %d; stderr %q", code, stderr)
			}
			// The line names the key that now exists, so that it can be deleted.
			keys := listed(t, srv)
			if len(keys) != before+1 || !strings.Contains(stderr, keys[0].Hash) ||
				!strings.Contains(stderr, "orkeys keys delete "+keys[0].Hash+" --yes") {
				t.Errorf("keys %v; stderr %q", names(keys), stderr)
			}
		})
	}
}

// A read-only command whose stdout fails is a local error (exit 1), with
// no "--help" hint: its command line was fine.
func TestHostileReadOutputFailsWithoutUsageHint(t *testing.T) {
	srv, _ := newFake(t)
	environ := fakeEnv(t, srv)
	for _, args := range [][]string{{"version"}, {"keys", "list"}} {
		code, stderr := runBinaryTo(t, environ, devFull(t), args...)
		if code != exitError || !strings.HasPrefix(stderr, "orkeys: cannot write output: ") || strings.Contains(stderr, "--help") {
			t.Errorf("%v: exit %d; stderr %q", args, code, stderr)
		}
	}
}

// keys rotate delivers the new plaintext before it touches the old key:
// when stdout fails, the old key is left as it was, the exit is 5 and
// stderr names the new key.
func TestHostileRotateOutputFails(t *testing.T) {
	srv, _ := newFake(t)
	environ := fakeEnv(t, srv)
	for _, c := range []struct {
		name string
		out  func(*testing.T) *os.File
		args []string
	}{
		{"/dev/full, delete", devFull, []string{"--old", "delete"}},
		{"/dev/full, disable, json", devFull, []string{"-o", "json"}},
		{"closed pipe, delete", closedPipe, []string{"--old", "delete"}},
		{"closed pipe, disable, json", closedPipe, []string{"-o", "json"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			name := "prod " + c.name
			old, err := srv.AddKey(gen.CreateKeysRequestBody{Name: name})
			if err != nil {
				t.Fatal(err)
			}
			code, stderr := runBinaryTo(t, environ, c.out(t), append([]string{"keys", "rotate", old.Data.Hash}, c.args...)...)
			if code != exitAmbiguous || !strings.HasPrefix(stderr, "orkeys: cannot write output: ") ||
				!strings.Contains(stderr, "the old key "+old.Data.Hash+" is untouched") {
				t.Fatalf("exit %d; stderr %q", code, stderr)
			}
			k, ok := keyByHash(t, srv, old.Data.Hash)
			if !ok || k.Disabled {
				t.Fatalf("the old key was touched: present %v, %+v", ok, k)
			}
			var successor string
			for _, k := range listed(t, srv) {
				if k.Name == name && k.Hash != old.Data.Hash {
					successor = k.Hash
				}
			}
			if successor == "" || !strings.Contains(stderr, "orkeys keys delete "+successor+" --yes") {
				t.Errorf("stderr should name the new key %q: %q", successor, stderr)
			}
		})
	}
}

// The JSON of a rotation, written in two parts, is one object.
func TestRotateJSONIsOneObject(t *testing.T) {
	srv, _ := newFake(t)
	keys := seed(t, srv)
	r := runBinary(t, fakeEnv(t, srv), "keys", "rotate", keys[0].Data.Hash, "--old", "delete", "-o", "json")
	wantCode(t, r, exitOK)
	var got rotationJSON
	decodeOne(t, r.stdout, &got)
	if !plaintextRE.MatchString(got.Key) || got.OldState != "deleted" || !got.Complete || got.Old == nil || got.Old.Hash != keys[0].Data.Hash {
		t.Errorf("%+v", got)
	}
}

// A management key in the server URL's path, raw or percent-encoded,
// appears in no message: cannot reach, --timeout, dry-run, the exporter's
// banner.
func TestHostileURLKeyNeverPrinted(t *testing.T) {
	const pathKey = "sk-or-mgmt-" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	srv, _ := newFake(t)
	// A proxy that serves the fake under a path holding the key.
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		i := strings.Index(p, "/api/v1")
		if i < 0 {
			http.NotFound(w, r)
			return
		}
		target, _ := url.Parse(srv.URL)
		r.URL.Path, r.URL.RawPath = "/api/v1"+strings.TrimPrefix(p[i:], "/api/v1"), ""
		target.Path = ""
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	defer proxy.Close()
	encoded := "%73" + pathKey[1:]
	closed := "http://" + closedPort(t)
	for _, c := range []struct {
		name string
		base string
		args []string
	}{
		{"cannot reach, raw", closed + "/" + pathKey + "/api/v1", []string{"keys", "list", "--retries", "0"}},
		{"cannot reach, encoded", closed + "/" + encoded + "/api/v1", []string{"keys", "list", "--retries", "0"}},
		{"cannot reach, encoded with a bad escape", closed + "/" + encoded + "/%zz/api/v1", []string{"keys", "list", "--retries", "0"}},
		{"dry run, encoded", proxy.URL + "/" + encoded + "/api/v1", []string{"keys", "update", strings.Repeat("0", 64), "--disable", "--dry-run"}},
		{"dry run, raw", proxy.URL + "/" + pathKey + "/api/v1", []string{"keys", "delete", strings.Repeat("0", 64), "--dry-run"}},
		{"timeout", proxy.URL + "/" + pathKey + "/api/v1", []string{"keys", "list", "--timeout", "1ns"}},
		{"exporter banner", proxy.URL + "/" + encoded + "/api/v1", []string{"exporter", "--listen", "127.0.0.1:0", "--timeout", "300ms"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			environ := binEnv(t, "OPENROUTER_API_KEY="+srv.ManagementKey, "OPENROUTER_BASE_URL="+c.base)
			r := runBinary(t, environ, c.args...)
			all := r.stdout + r.stderr
			for _, leak := range []string{pathKey[11:40], encoded[:30], srv.ManagementKey[15:]} {
				if strings.Contains(all, leak) {
					t.Errorf("%q shows:\n%s", leak, r)
				}
			}
			if r.stderr == "" {
				t.Errorf("nothing on stderr:\n%s", r)
			}
		})
	}
}

// hostileKeysServer answers GET /keys with a key whose name, hash and
// label carry escape sequences, and fails every PATCH with a message that
// quotes the name.
func hostileKeysServer(t *testing.T) *httptest.Server {
	const esc = `\u001b[2J\u001b]0;pwned\u0007`
	body := `{"data":[{"hash":"` + esc + `abc","name":"` + esc + `evil","label":"` + esc + `","disabled":false,` +
		`"limit":1,"limit_remaining":0,"limit_reset":"daily","usage":5,"usage_daily":5,"usage_weekly":5,"usage_monthly":5,` +
		`"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,"include_byok_in_limit":false,` +
		`"created_at":"2026-03-14T15:09:26Z","updated_at":null,"workspace_id":"` + esc + `"}]}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch {
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/keys") && (r.URL.Query().Get("offset") == "0" || r.URL.Query().Get("offset") == ""):
			io.WriteString(w, body)
		case r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/keys"):
			io.WriteString(w, `{"data":[]}`)
		default:
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"error":{"code":400,"message":"`+esc+`no"}}`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestHostileEscapesNeverPrinted(t *testing.T) {
	srv := hostileKeysServer(t)
	environ := binEnv(t, "OPENROUTER_API_KEY=sk-or-mgmt-"+strings.Repeat("1", 64), "OPENROUTER_BASE_URL="+srv.URL+"/api/v1")
	for _, args := range [][]string{
		{"keys", "list"},
		{"keys", "usage"},
		{"keys", "list", "--all"},
		{"budget", "check", "--over", "50%"},
		{"budget", "check", "--over", "50%", "--disable"},
		{"exporter", "--listen", "127.0.0.1:0", "--timeout", "2s"}, // its refresh fails with the server's message
	} {
		r := runBinary(t, environ, args...)
		if strings.ContainsAny(r.stdout+r.stderr, "\x1b\x07") {
			t.Errorf("%v: an escape sequence got through:\n%q\n%q", args, r.stdout, r.stderr)
		}
		// The hostile key was read and shown, escapes made harmless.
		if args[0] != "exporter" && !strings.Contains(r.stdout+r.stderr, "evil") {
			t.Errorf("%v: the key is not shown:\n%s", args, r)
		}
	}
}

// A create answered 2XX without a plaintext says which key exists, by its
// hash, so that it can be deleted.
func TestCreateWithoutPlaintextNamesTheHash(t *testing.T) {
	const hash = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
	const oldHash = "0000000000000000000000000000000000000000000000000000000000000001"
	data := func(h string) string {
		return `{"data":{"hash":"` + h + `","name":"x","label":"","disabled":false,"limit":null,"limit_remaining":null,"limit_reset":null,` +
			`"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,` +
			`"include_byok_in_limit":false,"created_at":"2026-03-14T15:09:26Z","updated_at":null,"workspace_id":"5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10"}}`
	}
	var changed atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.Method {
		case http.MethodGet: // the old key, for rotate
			io.WriteString(w, data(oldHash))
		case http.MethodPost:
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, data(hash)) // no "key"
		default:
			changed.Store(true)
			io.WriteString(w, data(oldHash))
		}
	}))
	defer srv.Close()
	e := env{"OPENROUTER_API_KEY": "sk-or-mgmt-" + strings.Repeat("1", 64), "OPENROUTER_BASE_URL": srv.URL + "/api/v1"}
	for _, args := range [][]string{{"keys", "create", "--name", "x"}, {"keys", "rotate", oldHash, "--old", "delete"}} {
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitAmbiguous)
		if !strings.Contains(r.stderr, "orkeys keys delete "+hash+" --yes") {
			t.Errorf("%v: stderr %q", args, r.stderr)
		}
	}
	if changed.Load() {
		t.Error("the rotation touched the old key after a create without a plaintext")
	}
}

// Two --if-absent runs that race both create: the second look finds both
// keys, and the run exits 5 naming them, after delivering its plaintext.
func TestIfAbsentRaceIsReported(t *testing.T) {
	srv, e := newFake(t)
	var rival atomic.Value // string; set by the proxy's goroutine
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// Another run creates the same name between our look and our create.
			k, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "racy"})
			if err != nil {
				t.Error(err)
			}
			rival.Store(k.Data.Hash)
		}
		target, _ := url.Parse(srv.URL)
		target.Path = ""
		httputil.NewSingleHostReverseProxy(target).ServeHTTP(w, r)
	}))
	defer proxy.Close()
	e["OPENROUTER_BASE_URL"] = proxy.URL + "/api/v1"
	r := runCLI(t, e, "", "keys", "create", "--name", "racy", "--if-absent")
	wantCode(t, r, exitAmbiguous)
	_, mine := printedKey(t, r.stdout)
	other, _ := rival.Load().(string)
	if other == "" || !strings.Contains(r.stderr, other) || !strings.Contains(r.stderr, mine) || !strings.Contains(r.stderr, "2 keys named") {
		t.Errorf("stderr %q (rival %s, mine %s)", r.stderr, other, mine)
	}
}

// A rotation whose old key holds a setting the create would refuse (here a
// workspace that is no UUID, as a broken server sent it) says so, naming
// no flag the user did not give, and sends no create.
func TestRotateRefusedCopyNamesTheOldKey(t *testing.T) {
	const oldHash = "0000000000000000000000000000000000000000000000000000000000000002"
	var posted atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if r.Method != http.MethodGet {
			posted.Store(true)
		}
		io.WriteString(w, `{"data":{"hash":"`+oldHash+`","name":"x","label":"","disabled":false,"limit":null,"limit_remaining":null,"limit_reset":null,`+
			`"usage":0,"usage_daily":0,"usage_weekly":0,"usage_monthly":0,"byok_usage":0,"byok_usage_daily":0,"byok_usage_weekly":0,"byok_usage_monthly":0,`+
			`"include_byok_in_limit":false,"created_at":"2026-03-14T15:09:26Z","updated_at":null,"workspace_id":"not-a-uuid"}}`)
	}))
	defer srv.Close()
	r := runCLI(t, env{"OPENROUTER_API_KEY": "sk-or-mgmt-" + strings.Repeat("1", 64), "OPENROUTER_BASE_URL": srv.URL + "/api/v1"}, "", "keys", "rotate", oldHash)
	wantCode(t, r, exitError)
	if strings.Contains(r.stderr, "--workspace") || strings.Contains(r.stderr, "CreateKeysRequestBody") ||
		!strings.Contains(r.stderr, `the old key's settings cannot be copied to a new key: WorkspaceID "not-a-uuid" is not a UUID`) || posted.Load() {
		t.Errorf("stderr %q (a create was sent: %v)", r.stderr, posted.Load())
	}
}
