package main

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/orkeys/orkeys/facade"
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
		{"bad output", []string{"keys", "list", "-o", "yaml"}, `want table or json, got "yaml"`},
		{"offset and all", []string{"keys", "list", "--offset", "5", "--all"}, "[all offset] were all set"},
		{"negative offset", []string{"keys", "list", "--offset", "-1"}, "--offset -1: must not be negative"},
		{"bad offset", []string{"keys", "list", "--offset", "ten"}, `invalid argument "ten" for "--offset"`},
		{"bad workspace", []string{"keys", "list", "--workspace", "nope"}, `--workspace "nope" is not a UUID`},
		{"list extra arg", []string{"keys", "list", "extra"}, `unknown command "extra"`},
		{"get no hash", []string{"keys", "get"}, "want 1 argument(s) (HASH), got 0"},
		{"get two hashes", []string{"keys", "get", h, h}, "want 1 argument(s) (HASH), got 2"},
		{"get empty hash", []string{"keys", "get", ""}, "HASH must not be empty"},
		{"get dot-dot", []string{"keys", "get", ".."}, `HASH ".." is not a key hash`},
		{"get slash", []string{"keys", "get", "a/b"}, `HASH "a/b" is not a key hash`},
		{"create no name", []string{"keys", "create"}, `required flag(s) "name" not set`},
		{"create empty name", []string{"keys", "create", "--name", " "}, "--name must not be empty"},
		{"create bad limit", []string{"keys", "create", "--name", "x", "--limit", "lots"}, `invalid argument "lots" for "--limit"`},
		{"create negative limit", []string{"keys", "create", "--name", "x", "--limit", "-1"}, "--limit -1: want an amount of USD, 0 or more"},
		{"create NaN limit", []string{"keys", "create", "--name", "x", "--limit", "NaN"}, "--limit NaN"},
		{"create bad reset", []string{"keys", "create", "--name", "x", "--limit-reset", "yearly"}, `--limit-reset "yearly": want daily, weekly or monthly`},
		{"create bad expiry", []string{"keys", "create", "--name", "x", "--expires-at", "tomorrow"}, `--expires-at "tomorrow": want an RFC 3339 time`},
		{"create past expiry", []string{"keys", "create", "--name", "x", "--expires-at", "2001-01-01T00:00:00Z"}, "must be in the future"},
		{"create bad workspace", []string{"keys", "create", "--name", "x", "--workspace", "123"}, `--workspace "123" is not a UUID`},
		{"update nothing", []string{"keys", "update", h}, "nothing to update"},
		{"update no hash", []string{"keys", "update", "--disable"}, "want 1 argument(s) (HASH), got 0"},
		{"disable and enable", []string{"keys", "update", h, "--disable", "--enable"}, "[disable enable] were all set"},
		{"limit and no-limit", []string{"keys", "update", h, "--limit", "5", "--no-limit"}, "[limit no-limit] were all set"},
		{"reset and no-reset", []string{"keys", "update", h, "--limit-reset", "daily", "--no-limit-reset"}, "[limit-reset no-limit-reset] were all set"},
		{"no-limit=false", []string{"keys", "update", h, "--no-limit=false"}, "--no-limit=false means nothing"},
		{"update empty name", []string{"keys", "update", h, "--name", ""}, "--name must not be empty"},
		{"update bad reset", []string{"keys", "update", h, "--limit-reset", "hourly"}, `--limit-reset "hourly"`},
		{"update negative limit", []string{"keys", "update", h, "--limit", "-0.01"}, "--limit -0.01"},
		{"delete without yes", []string{"keys", "delete", h}, "stdin is not a terminal; pass --yes"},
		{"bad server url", []string{"keys", "list", "--server-url", "ftp://example.test"}, "scheme must be http or https"},
		{"plain http to remote host", []string{"keys", "list", "--server-url", "http://example.test/api/v1"}, "refusing to send the API key over plain http"},
		{"bad category", []string{"key", "--app-categories", "a,,b"}, "must be non-empty"},
		{"key extra arg", []string{"key", "extra"}, `unknown command "extra"`},
		{"demo extra arg", []string{"demo", "extra"}, `unknown command "extra"`},
		{"fake-server extra flag", []string{"fake-server", "--server-url", srv.URL}, "unknown flag: --server-url"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitUsage)
			if !strings.HasPrefix(r.stderr, "orkeys: ") || !strings.Contains(r.stderr, c.want) {
				t.Errorf("stderr %q should start with orkeys: and contain %q", r.stderr, c.want)
			}
			if !strings.Contains(r.stderr, "--help' for usage.") {
				t.Errorf("stderr should point at --help: %q", r.stderr)
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
		{"demo", "--server-url", srv.URL},
	} {
		r := runCLI(t, env{"OPENROUTER_BASE_URL": srv.URL, "OPENROUTER_API_KEY": "  "}, "", args...)
		wantCode(t, r, exitUsage)
		for _, want := range []string{"no API key", "export OPENROUTER_API_KEY=", "management key"} {
			if !strings.Contains(r.stderr, want) {
				t.Errorf("%v: stderr lacks %q: %q", args, want, r.stderr)
			}
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("%d requests sent without a key", n)
	}
}

// API errors exit 1 with one line on stderr naming the status and the
// operation.
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
		wantCode(t, r, exitError)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 404 Not Found: ") || !strings.HasSuffix(r.stderr, c.want+"\n") ||
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
		wantCode(t, r, exitError)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 403 Forbidden: ") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("stderr %q", r.stderr)
		}
		if strings.Contains(r.stderr, keys[0].Key.Reveal()) {
			t.Error("the key leaked into the error")
		}
	})
	t.Run("unknown key is 401", func(t *testing.T) {
		unknown := env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("9", 64), "OPENROUTER_BASE_URL": srv.URL}
		r := runCLI(t, unknown, "", "key")
		wantCode(t, r, exitError)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 401 Unauthorized") || strings.Contains(r.stderr, strings.Repeat("9", 64)) {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("500 on create is not retried and says the key may exist", func(t *testing.T) {
		srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/keys", Status: http.StatusInternalServerError})
		srv.ResetRequests()
		r := runCLI(t, e, "", "keys", "create", "--name", "maybe")
		wantCode(t, r, exitError)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: 500 Internal Server Error") || !strings.Contains(r.stderr, `list keys named "maybe"`) {
			t.Errorf("stderr %q", r.stderr)
		}
		if n := len(srv.Requests()); n != 1 {
			t.Errorf("create sent %d times", n)
		}
	})
	t.Run("dropped connection is a network error", func(t *testing.T) {
		srv.Inject(fake.Fault{Method: http.MethodPost, Path: "/keys", Drop: true})
		r := runCLI(t, e, "", "keys", "create", "--name", "dropped")
		wantCode(t, r, exitError)
		if !strings.HasPrefix(r.stderr, "orkeys: openrouter: POST /keys: ") || strings.Count(r.stderr, "\n") != 1 {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("400 from the server", func(t *testing.T) {
		// A value the CLI cannot check itself: a workspace the fake rejects
		// is not an error, so inject the answer instead.
		srv.Inject(fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusBadRequest, Body: `{"error":{"code":400,"message":"limit too large"}}`})
		r := runCLI(t, e, "", "keys", "update", keys[0].Data.Hash, "--limit", "1e12")
		wantCode(t, r, exitError)
		if r.stderr != "orkeys: openrouter: 400 Bad Request: limit too large (PATCH /keys/{hash})\n" {
			t.Errorf("stderr %q", r.stderr)
		}
	})
}

// Input the facade refuses before sending is a usage error (exit 2) even
// when no flag check of the CLI caught it first; other errors exit 1.
func TestRunEMapsFacadeInputErrorsToUsage(t *testing.T) {
	ctx := context.Background()
	c, err := facade.New(facade.WithAPIKey("sk-or-v1-test"), facade.WithServerURL("http://127.0.0.1:9/api/v1"))
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		call func() error
		want int
	}{
		"facade input error": {func() error { _, err := c.APIKeys.Get(ctx, facade.GetKeyRequest{Hash: ".."}); return err }, exitUsage},
		"other error":        {func() error { return errors.New("connection refused") }, exitError},
	} {
		err := runE(func(*cobra.Command, []string) error { return tc.call() })(nil, nil)
		var ee *exitErr
		if !errors.As(err, &ee) || ee.code != tc.want {
			t.Errorf("%s: %v mapped to %+v, want exit %d", name, err, ee, tc.want)
		}
	}
}
