package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/spf13/pflag"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/gen"
)

// The runF seam: flags land in the options struct, validated, with nothing
// sent (gh's style of command test).
func TestListOptionsFromFlags(t *testing.T) {
	f := newFactory(strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}, env{}.get)
	var got *listOptions
	cmd := newListCmd(f, addClientFlags(pflag.NewFlagSet("keys", pflag.ContinueOnError)), func(o *listOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--include-disabled", "--workspace", "5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10", "--expiring-within", "1d12h", "--name-prefix", "svc-", "-o", "json"})
	cmd.SetContext(context.Background())
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if !got.IncludeDisabled || got.Workspace.v != "5d0f3c2e-8a41-4b7e-9c16-0e2f4a6b8d10" || got.ExpiringWithin.v != 36*time.Hour ||
		got.NamePrefix != "svc-" || !got.filtered() || got.Output != formatJSON || got.Offset.set {
		t.Errorf("%+v", got)
	}
}

// keys update --ignore-missing, as keys delete: a key already gone is
// exit 0, so that step 4 of the rotation recipe runs again under set -e.
func TestKeysUpdateIgnoreMissing(t *testing.T) {
	srv, e := newFake(t)
	seed(t, srv)
	missing := strings.Repeat("0", 64)
	r := runCLI(t, e, "", "keys", "update", missing, "--disable", "--ignore-missing")
	wantCode(t, r, exitOK)
	if r.stdout != "No key has hash "+missing+"; nothing to update.\n" {
		t.Errorf("stdout %q", r.stdout)
	}
	r = runCLI(t, e, "", "keys", "update", missing, "--disable", "--ignore-missing", "-o", "json")
	wantCode(t, r, exitOK)
	wantJSON(t, []byte(r.stdout), `{"updated":false}`)
	wantCode(t, runCLI(t, e, "", "keys", "update", missing, "--disable"), exitNotFound)
}

// keys find --oldest lists the oldest key first: the one a rotation
// replaces, not the successor it made.
func TestKeysFindOldest(t *testing.T) {
	srv, e := newFake(t)
	old, _ := srv.AddKey(gen.CreateKeysRequestBody{Name: "svc"})
	wantCode(t, runCLI(t, e, "", "keys", "rotate", old.Data.Hash, "--old", "keep"), exitOK)
	for _, c := range []struct {
		args  []string
		first bool // old first
	}{{nil, false}, {[]string{"--oldest"}, true}} {
		r := runCLI(t, e, "", append([]string{"keys", "find", "svc", "-o", "json"}, c.args...)...)
		wantCode(t, r, exitOK)
		keys := listedJSON(t, r.stdout)
		if len(keys) != 2 || (keys[0].Hash == old.Data.Hash) != c.first {
			t.Errorf("%v: %v", c.args, names(keys))
		}
	}
}

// --dry-run shows every header the real call sends, the attribution ones
// included, with the key redacted.
func TestDryRunShowsEveryHeader(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "update", keys[0].Data.Hash, "--disable", "--dry-run",
		"--http-referer", "https://example.test", "--app-title", "Acme", "--app-categories", "cli-agent")
	wantCode(t, r, exitOK)
	for _, h := range []string{"Http-Referer: https://example.test", "X-Openrouter-Title: Acme", "X-Title: Acme", "X-Openrouter-Categories: cli-agent", "User-Agent: ", "Authorization: Bearer sk-or-v1-"} {
		if !strings.Contains(r.stdout, h) {
			t.Errorf("dry run lacks %q:\n%s", h, r.stdout)
		}
	}
	if strings.Contains(r.stdout, srv.ManagementKey) {
		t.Error("the key shows")
	}
}

// version reports the version the User-Agent sends.
func TestVersionMatchesUserAgent(t *testing.T) {
	srv, e := newFake(t)
	r := runCLI(t, e, "", "version", "-o", "json")
	wantCode(t, r, exitOK)
	wantCode(t, runCLI(t, e, "", "key"), exitOK)
	ua := srv.Requests()[len(srv.Requests())-1].Header.Get("User-Agent")
	if !strings.Contains(r.stdout, `"version": "`+facade.Version+`"`) || !strings.Contains(ua, facade.Version) {
		t.Errorf("version %s; User-Agent %q", r.stdout, ua)
	}
}

// The demo counts pages, not the read-ahead requests of its walk.
func TestDemoCountsPages(t *testing.T) {
	r := runCLI(t, env{}, "", "demo")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "walked 3 key(s) in 1 page(s)") {
		t.Errorf("stdout:\n%s", r.stdout)
	}
}

// A narrow terminal shortens hashes to a unique prefix once the names are
// as short as they get, and money stays compact whatever the server says.
func TestNarrowTableShortensHashes(t *testing.T) {
	srv, e := newFake(t)
	seed(t, srv)
	e["COLUMNS"] = "80"
	r := runCLI(t, e, "", "keys", "list")
	wantCode(t, r, exitOK)
	if regexp.MustCompile(`[0-9a-f]{64}`).MatchString(r.stdout) || !regexp.MustCompile(`(?m)^[0-9a-f]{8,63}  `).MatchString(r.stdout) {
		t.Errorf("hashes not shortened:\n%s", r.stdout)
	}
	if n := maxLine(r.stdout); n > 80 { // 158 with whole hashes and the label
		t.Errorf("lines of %d characters at COLUMNS=80:\n%s", n, r.stdout)
	}
	for _, v := range []float64{1e308, 1e12, 123456789.123456789} {
		if s := money(v); utf8.RuneCountInString(s) > 20 {
			t.Errorf("money(%v) = %q", v, s)
		}
	}
}

func TestSanitize(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                    "plain",
		"a\tb\nc\x1b[2Jd\u202ee":   "a b c [2Jd e",
		"sk-or-v1-012...cdef":      "sk-or-v1-012...cdef", // a label shows no secret
		"x sk-or-v1-" + hex64 + "": "x sk-or-v1-012…",
	} {
		if got := sanitize(in); !strings.HasPrefix(got, want) || strings.ContainsAny(got, "\x1b\t\n\u202e\u009b") || !utf8.ValidString(got) {
			t.Errorf("sanitize(%q) = %q, want %q", in, got, want)
		}
	}
	if got := showURL("http://h/%73k-or-v1-" + hex64 + "/api/v1?x=%zz"); strings.Contains(got, hex64[:20]) {
		t.Errorf("showURL = %q", got)
	}
}

const hex64 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

// A 403 outside the keys commands names what the command needs.
func TestForbiddenHintNamesTheCommand(t *testing.T) {
	api := &facade.APIError{StatusCode: http.StatusForbidden, Method: http.MethodGet, Path: "/credits"}
	if h := apiHint(api); strings.Contains(h, "keys commands") || !strings.Contains(h, "management key") {
		t.Errorf("hint %q", h)
	}
}

type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, syscall.EIO }

// A prompt whose stdin cannot be read is a local I/O error (exit 1), and
// nothing is deleted.
func TestPromptReadErrorIsLocal(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	var stderr bytes.Buffer
	f := terminalFactory(failingReader{}, io.Discard, &stderr, e)
	code := f.run(context.Background(), []string{"keys", "delete", keys[0].Data.Hash})
	if code != exitError || !strings.Contains(stderr.String(), "cannot read input: ") || !strings.Contains(stderr.String(), "was not deleted") {
		t.Errorf("exit %d; stderr %q", code, stderr.String())
	}
	if len(listed(t, srv)) != 3 {
		t.Error("the key was deleted")
	}
}

// The library's hint shows once, in the CLI's words: not also at the end of
// the library's own message.
func TestAPIHintShownOnce(t *testing.T) {
	api := &facade.APIError{StatusCode: http.StatusNotFound, Method: http.MethodGet, Path: "/keys",
		Hint: "the server URL http://h lacks /api/v1"}
	_, msg := (&factory{}).classify(&facade.RetryError{Attempts: 1, Err: api})
	if strings.Count(msg, "lacks /api/v1") != 1 || !strings.HasSuffix(msg, "lacks /api/v1: check --server-url or OPENROUTER_BASE_URL") {
		t.Errorf("message %q", msg)
	}
}
