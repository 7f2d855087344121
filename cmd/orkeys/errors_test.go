package main

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
)

// Usage errors exit 2 with a message naming what was wrong, and send
// nothing.
func TestUsageErrors(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	h := keys[0].Data.Hash
	cases := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown keys subcommand", []string{"keys", "frobnicate"}, `unknown command "frobnicate"`},
		{"unknown flag", []string{"keys", "list", "--bogus"}, "unknown flag: --bogus"},
		{"bad output", []string{"keys", "list", "-o", "yaml"}, `--output "yaml": want table or json`},
		{"offset and all", []string{"keys", "list", "--offset", "5", "--all"}, "--offset and --all cannot be used together"},
		{"negative offset", []string{"keys", "list", "--offset", "-1"}, "--offset -1: must not be negative"},
		{"bad offset", []string{"keys", "list", "--offset", "ten"}, `--offset "ten": want a whole number`},
		{"huge offset", []string{"keys", "list", "--offset", "99999999999"}, `--offset 99999999999: too large`},
		{"offset without value", []string{"keys", "list", "--offset"}, `--offset needs a value: want a whole number`},
		{"bad timeout", []string{"keys", "list", "--timeout", "5"}, `--timeout "5": want a duration, such as 30s`},
		{"negative timeout", []string{"keys", "list", "--timeout", "-1s"}, `--timeout -1s: must not be negative`},
		{"negative retries", []string{"keys", "list", "--retries", "-1"}, `--retries -1: must not be negative`},
		{"bad workspace", []string{"keys", "list", "--workspace", "No_pe"}, `--workspace "No_pe" is neither a workspace UUID nor a slug`},
		{"list extra arg", []string{"keys", "list", "extra"}, `keys list takes no arguments, got "extra"`},
		{"get no hash", []string{"keys", "get"}, "keys get takes one HASH"},
		{"get two hashes", []string{"keys", "get", h, h}, "keys get takes one HASH, got 2 arguments"},
		{"get empty hash", []string{"keys", "get", ""}, "HASH must not be empty"},
		{"get dot-dot", []string{"keys", "get", ".."}, `HASH ".." is not a key hash`},
		{"get slash", []string{"keys", "get", "a/b"}, `HASH "a/b" is not a key hash`},
		{"create no name", []string{"keys", "create"}, `keys create needs --name NAME`},
		{"create empty name", []string{"keys", "create", "--name", " "}, "--name must not be empty"},
		{"create bad limit", []string{"keys", "create", "--name", "x", "--limit", "lots"}, `--limit "lots": want a number`},
		{"create reset without limit", []string{"keys", "create", "--name", "x", "--limit-reset", "daily"}, `--limit-reset needs --limit`},
		{"create negative limit", []string{"keys", "create", "--name", "x", "--limit", "-1"}, "--limit -1: must be an amount of USD from 0 to 1000000000"},
		{"create NaN limit", []string{"keys", "create", "--name", "x", "--limit", "NaN"}, "--limit NaN"},
		{"create huge limit", []string{"keys", "create", "--name", "x", "--limit", "1e308"}, "--limit 1e308: must be an amount of USD from 0 to 1000000000"},
		{"create overflowing limit", []string{"keys", "create", "--name", "x", "--limit", "1e999"}, "--limit 1e999: must be"},
		{"overflowing expiring-within", []string{"keys", "list", "--expiring-within", "65535d2000000h"}, `--expiring-within "65535d2000000h": want a duration`},
		{"get not hex", []string{"keys", "get", "nothex"}, `HASH "nothex" is not a key hash`},
		{"completion of an unknown shell", []string{"completion", "tcsh"}, `unknown command "tcsh" for "orkeys completion"`},
		{"update reset with no limit", []string{"keys", "update", h, "--limit-reset", "daily", "--no-limit"}, "--limit-reset with --no-limit"},
		{"create bad reset", []string{"keys", "create", "--name", "x", "--limit", "1", "--limit-reset", "yearly"}, `--limit-reset "yearly": want daily, weekly or monthly`},
		{"create bad expiry", []string{"keys", "create", "--name", "x", "--expires-at", "tomorrow"}, `--expires-at "tomorrow": want an RFC 3339 time`},
		{"create past expiry", []string{"keys", "create", "--name", "x", "--expires-at", "2001-01-01T00:00:00Z"}, "must be in the future"},
		{"create bad workspace", []string{"keys", "create", "--name", "x", "--workspace", "123"}, `--workspace "123" is not a UUID`},
		{"update nothing", []string{"keys", "update", h}, "nothing to update"},
		{"update no hash", []string{"keys", "update", "--disable"}, "keys update takes one HASH"},
		{"disable and enable", []string{"keys", "update", h, "--disable", "--enable"}, "--disable and --enable cannot be used together"},
		{"limit and no-limit", []string{"keys", "update", h, "--limit", "5", "--no-limit"}, "--limit and --no-limit cannot be used together"},
		{"reset and no-reset", []string{"keys", "update", h, "--limit-reset", "daily", "--no-limit-reset"}, "--limit-reset and --no-limit-reset cannot be used together"},
		{"no-limit=false", []string{"keys", "update", h, "--no-limit=false"}, "--no-limit=false means nothing"},
		{"update empty name", []string{"keys", "update", h, "--name", ""}, "--name must not be empty"},
		{"update bad reset", []string{"keys", "update", h, "--limit-reset", "hourly"}, `--limit-reset "hourly"`},
		{"update negative limit", []string{"keys", "update", h, "--limit", "-0.01"}, "--limit -0.01"},
		{"delete without yes", []string{"keys", "delete", h}, "stdin is not a terminal; pass --yes"},
		{"bad server url", []string{"keys", "list", "--server-url", "ftp://example.test"}, "scheme must be http or https"},
		{"plain http to remote host", []string{"keys", "list", "--server-url", "http://example.test/api/v1"}, "refusing to send the API key over plain http to example.test; use https, a loopback host, or pass --insecure-http"},
		{"plain http from the environment", []string{"key"}, "pass --insecure-http"},
		{"bad category", []string{"key", "--app-categories", "a,,b"}, "must be non-empty"},
		{"key extra arg", []string{"key", "extra"}, `key takes no arguments, got "extra"`},
		{"demo extra arg", []string{"demo", "extra"}, `demo takes no arguments, got "extra"`},
		{"version extra arg", []string{"version", "extra"}, `version takes no arguments, got "extra"`},
		{"unknown command with a suggestion", []string{"kyes"}, `unknown command "kyes" for "orkeys"; did you mean keys or key?`},
		{"fake-server addr and port", []string{"fake-server", "--addr", "127.0.0.1:0", "--port", "0"}, "--addr and --port cannot be used together"},
		{"fake-server bad port", []string{"fake-server", "--port", "70000"}, "--port 70000: want 0 to 65535"},
		{"fake-server extra flag", []string{"fake-server", "--server-url", srv.URL}, "unknown flag: --server-url"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv.ResetRequests()
			e := maps.Clone(e)
			if c.name == "plain http from the environment" {
				e["OPENROUTER_BASE_URL"] = "http://10.0.0.1:8080/api/v1"
			}
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitUsage)
			if !strings.HasPrefix(r.stderr, "orkeys: ") || !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q should start with orkeys: and contain %q", r.stderr, c.want)
			}
			if !strings.Contains(r.stderr, "--help' for usage.") {
				t.Errorf("stderr should point at --help: %q", r.stderr)
			}
			for _, internal := range []string{"WithInsecureHTTP", "strconv.", "were all set", "argument(s)", "required flag(s)"} {
				if strings.Contains(r.stderr, internal) {
					t.Errorf("stderr leaks %q: %q", internal, r.stderr)
				}
			}
			if r.stdout != "" {
				t.Errorf("stdout: %q", r.stdout)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}

// keys get without a hash points a person at a terminal to keys list.
func TestGetWithoutHashSuggestsListOnTerminal(t *testing.T) {
	_, e := newFake(t)
	r := runTerminal(t, e, "", "keys", "get")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "keys get takes one HASH; 'orkeys keys list' shows the hash of each key") {
		t.Errorf("stderr %q", r.stderr)
	}
	r = runCLI(t, e, "", "keys", "get") // a script: no suggestion
	if strings.Contains(r.stderr, "keys list") {
		t.Errorf("stderr %q", r.stderr)
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{nil, {"--help"}, {"keys"}, {"keys", "update", "--help"}, {"help", "keys"}} {
		r := runCLI(t, env{}, "", args...)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "Usage:") {
			t.Errorf("%v: stdout %q", args, r.stdout)
		}
	}
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := runCLI(t, env{}, "", "completion", shell)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, "orkeys") {
			t.Errorf("%s completion: %.200q", shell, r.stdout)
		}
	}
	// Flag values complete too.
	r := runCLI(t, env{}, "", "__complete", "keys", "create", "--limit-reset", "")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "daily\nweekly\nmonthly\n") {
		t.Errorf("completion of --limit-reset: %q", r.stdout)
	}
}

// Without a key the CLI says how to set one, for every command that needs it.
func TestMissingKey(t *testing.T) {
	srv, _ := newFake(t)
	for _, args := range [][]string{
		{"keys", "list"}, {"keys", "get", "abc"}, {"keys", "create", "--name", "x"},
		{"keys", "update", "abc", "--disable"}, {"keys", "delete", "abc", "--yes"}, {"key"},
		{"demo", "--server-url", srv.URL}, {"byok", "list"}, {"guardrails", "list"}, {"budget", "check", "--over", "80%"},
	} {
		r := runCLI(t, env{"OPENROUTER_BASE_URL": srv.URL, "OPENROUTER_API_KEY": "  "}, "", args...)
		wantCode(t, r, exitUsage)
		for _, want := range []string{"no API key", "export OPENROUTER_API_KEY=sk-or-mgmt-", "management key"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: stderr lacks %q: %q", args, want, r.stderr)
			}
		}
		// One line, the form management keys have now.
		if strings.Count(r.stderr, "\n") != 1 || strings.Contains(r.stderr, "sk-or-v1-") {
			t.Errorf("%v: stderr %q", args, r.stderr)
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}

// A 404 exits 4 with one line on stderr naming the status and the
// operation, and where hashes come from.
func TestNotFound(t *testing.T) {
	_, e := newFake(t)
	missing := strings.Repeat("ab", 32)
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"keys", "get", missing}, "(GET /keys/{hash})"},
		{[]string{"keys", "update", missing, "--disable"}, "(PATCH /keys/{hash})"},
		{[]string{"keys", "delete", missing, "--yes"}, "(DELETE /keys/{hash})"},
	}
	for _, c := range cases {
		r := runCLI(t, e, "", c.args...)
		wantCode(t, r, exitNotFound)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 404 Not Found: ") || !strings.HasSuffix(r.stderr, c.want+"; no key has this hash ('orkeys keys list --include-disabled' shows them)\n") ||
			strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("%v: stderr %q", c.args, r.stderr)
		}
		if r.stdout != "" {
			t.Errorf("stdout: %q", r.stdout)
		}
	}
}

func TestAPIErrors(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)

	t.Run("regular key on /keys is 403", func(t *testing.T) {
		regular := env{"OPENROUTER_API_KEY": keys[0].Key.Reveal(), "OPENROUTER_BASE_URL": srv.URL}
		r := runCLI(t, regular, "", "keys", "list")
		wantCode(t, r, exitAuth)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 403 Forbidden: ") || strings.Count(r.stderr, "\n") != 1 ||
			!strings.Contains(r.stderr, "needs a management key") || strings.Count(r.stderr, "management key") != 3 {
			// Once as the server says it, once as the hint says it (needs
			// one; not one): the library's hint is not repeated.
			t.Errorf("stderr %q", r.stderr)
		}
		if strings.Contains(r.stderr, keys[0].Key.Reveal()) {
			t.Error("the key leaked into the error")
		}
	})
	t.Run("unknown key is 401", func(t *testing.T) {
		unknown := env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("9", 64), "OPENROUTER_BASE_URL": srv.URL}
		r := runCLI(t, unknown, "", "key")
		wantCode(t, r, exitAuth)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 401 Unauthorized") || strings.Contains(r.stderr, strings.Repeat("9", 64)) {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("500 on create is not retried and says the key may exist", func(t *testing.T) {
		srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/keys", Status: http.StatusInternalServerError})
		srv.ResetRequests()
		r := runCLI(t, e, "", "keys", "create", "--name", "maybe")
		wantCode(t, r, exitAmbiguous)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 500 Internal Server Error") ||
			!strings.Contains(r.stderr, `the key "maybe" may have been created; check with 'orkeys keys find "maybe" --all-workspaces'`) {
			t.Errorf("stderr %q", r.stderr)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("create sent %d times", n)
		}
	})
	// The advice names the listing that shows what the create may have
	// made: told to list keys after a lost guardrail create, an operator
	// finds nothing and makes a second guardrail.
	t.Run("a lost guardrail or workspace create names its own listing", func(t *testing.T) {
		for _, c := range []struct {
			path, want string
			args       []string
		}{
			{"/guardrails", `the guardrail "gg" may have been created; check with 'orkeys guardrails list'`, []string{"guardrails", "create", "--name", "gg"}},
			{"/workspaces", `the workspace "ws" may have been created; check with 'orkeys workspaces list'`, []string{"workspaces", "create", "--name", "ws", "--slug", "ws"}},
		} {
			srv.Inject(fake.Fault{Method: http.MethodPost, Path: c.path, Status: http.StatusServiceUnavailable})
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitAmbiguous)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("%s: stderr %q, want %q", c.path, r.stderr, c.want)
			}
		}
	})
	t.Run("connection dropped after a create went out is ambiguous", func(t *testing.T) {
		srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/keys", Drop: true})
		r := runCLI(t, e, "", "keys", "create", "--name", "dropped")
		wantCode(t, r, exitAmbiguous)
		if !strings.HasPrefix(r.stderr, "orkeys: cannot reach "+srv.URL+": the server closed the connection") ||
			!strings.Contains(r.stderr, `"dropped" may have been created`) || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("400 from the server", func(t *testing.T) {
		// A value the CLI cannot check itself: a workspace the fake rejects
		// is not an error, so inject the answer instead.
		srv.Inject(fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusBadRequest, Body: `{"error":{"code":400,"message":"limit too large"}}`})
		r := runCLI(t, e, "", "keys", "update", keys[0].Data.Hash, "--limit", "500")
		wantCode(t, r, exitError)
		if r.stderr != "orkeys: openrouter: 400 Bad Request: limit too large (PATCH /keys/{hash})\n" {
			t.Errorf("stderr %q", r.stderr)
		}
	})
}

// A panic is exit 1, after what the command printed is delivered, not the
// runtime's exit 2, which would say that nothing was sent.
func TestPanicIsExitOneAfterTheOutput(t *testing.T) {
	var out, errb bytes.Buffer
	f := newFactory(strings.NewReader(""), &out, &errb, env{}.get)
	code := func() (code int) {
		defer f.survivePanic(&code)
		fmt.Fprintln(f.io.Out, "the created key")
		panic("strings: negative Repeat count")
	}()
	if code != exitError || out.String() != "the created key\n" ||
		!strings.HasPrefix(errb.String(), "orkeys: internal error, a bug in orkeys (please report it with what follows): strings: negative Repeat count\n") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}

// The advice for a 404 or 403 fits what was asked: a provider key's id, a
// workspace a listing asked for, a management key refused all the same.
func TestNotFoundAndForbiddenAdviceFits(t *testing.T) {
	srv, e := newFake(t)
	const id = "00000000-0000-4000-8000-000000000000"
	for _, args := range [][]string{{"byok", "get", id}, {"byok", "delete", id, "--yes"}} {
		r := runCLI(t, e, "", args...)
		wantCode(t, r, exitNotFound)
		if !strings.Contains(r.stderr, "no provider key has this id ('orkeys byok list' shows them)") || strings.Contains(r.stderr, "--server-url") {
			t.Errorf("%v:\n%s", args, r)
		}
	}
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/keys", Status: http.StatusNotFound})
	r := runCLI(t, e, "", "keys", "list", "--all-workspaces")
	wantCode(t, r, exitNotFound)
	if !strings.Contains(r.stderr, "no workspace has the id asked for ('orkeys workspaces list' shows them)") || strings.Contains(r.stderr, "--server-url") {
		t.Errorf("a listing's 404:\n%s", r)
	}
	srv.Inject(fake.Fault{Method: http.MethodGet, Path: "/byok", Status: http.StatusForbidden})
	r = runCLI(t, env{"OPENROUTER_API_KEY": "sk-or-mgmt-" + strings.Repeat("5a", 32), "OPENROUTER_BASE_URL": srv.URL}, "", "byok", "list")
	wantCode(t, r, exitAuth)
	if !strings.Contains(r.stderr, "though the key sent is a management key") || strings.Contains(r.stderr, "needs a management key") ||
		strings.Contains(r.stderr, "'orkeys key' tells") {
		t.Errorf("a management key's 403:\n%s", r)
	}
}
