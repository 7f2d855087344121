package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/secret"
)

// providerKey is a provider key as OpenAI issues them; secretPart is what
// no output may hold, the label's three and four shown characters aside.
const providerKey = "sk-proj-Zq8wXv3nR5tY7uI9oP1aS2dF4gH6jK8l"

var secretPart = providerKey[3 : len(providerKey)-4]

func keyFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "key")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// noProviderKey fails when the provider key shows in r or in what the fake
// recorded.
func noProviderKey(t *testing.T, srv *fake.Server, r result, keys ...string) {
	t.Helper()
	for _, k := range append(keys, secretPart) {
		if strings.Contains(r.stdout, k) || strings.Contains(r.stderr, k) {
			t.Errorf("the provider key shows in the output:\n%s", r)
		}
		for _, req := range srv.Requests() {
			if strings.Contains(string(req.Body), k) || strings.Contains(req.Path+req.Query.Encode(), k) {
				t.Errorf("the fake recorded the provider key: %s %s %s", req.Method, req.Path, req.Body)
			}
		}
	}
}

func createdID(t *testing.T, r result) string {
	t.Helper()
	var v struct {
		Data gen.BYOKKey `json:"data"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil || v.Data.ID == "" {
		t.Fatalf("no provider key in the output (%v):\n%s", err, r)
	}
	return v.Data.ID
}

// TestBYOKNeverShowsProviderKey runs every byok command, in both formats,
// dry runs and failures included, and finds the provider key in none of
// stdout, stderr and the fake's request record; the fake's stored hash
// proves the key did reach it.
func TestBYOKNeverShowsProviderKey(t *testing.T) {
	srv, e := newFake(t)
	file := keyFile(t, providerKey+"\n")
	rotated := "sk-ant-api03-" + strings.Repeat("Rk7", 12)

	for _, format := range []string{"table", "json"} {
		r := runCLI(t, e, "", "byok", "create", "--provider", "openai", "--name", "prod", "--key-file", file, "--dry-run", "-o", format)
		wantCode(t, r, exitOK)
		if !strings.Contains(r.stdout, secret.Placeholder) || !strings.Contains(r.stdout, "POST") {
			t.Errorf("-o %s: the dry run does not show the request with the key redacted:\n%s", format, r)
		}
		noProviderKey(t, srv, r, providerKey)
	}
	if got := srv.Requests(); len(got) != 0 {
		t.Fatalf("a dry run sent %d requests", len(got))
	}

	r := runCLI(t, e, "", "byok", "create", "--provider", "openai", "--name", "prod", "--key-file", file, "-o", "json")
	wantCode(t, r, exitOK)
	noProviderKey(t, srv, r, providerKey)
	id := createdID(t, r)
	if srv.BYOKKeyHash(id) != sha(providerKey) {
		t.Fatal("the fake did not store the key read from --key-file")
	}

	r = runCLI(t, e, providerKey, "byok", "create", "--provider", "anthropic", "--key-stdin")
	wantCode(t, r, exitOK)
	noProviderKey(t, srv, r, providerKey)
	if !strings.Contains(r.stdout, "sk-...") {
		t.Errorf("the table shows no masked label:\n%s", r)
	}

	for _, args := range [][]string{
		{"byok", "list"}, {"byok", "list", "-o", "json"}, {"byok", "get", id}, {"byok", "get", id, "-o", "json"},
		{"byok", "update", id, "--key-stdin", "--dry-run"}, {"byok", "update", id, "--key-stdin", "--dry-run", "-o", "json"},
		{"byok", "update", id, "--key-stdin"}, {"byok", "update", id, "--key-stdin", "-o", "json"},
		// Refused by the fake (unknown provider, 400): the error shows no key.
		{"byok", "create", "--provider", "no-such-provider", "--key-stdin"},
	} {
		r := runCLI(t, e, rotated+"\n", args...)
		noProviderKey(t, srv, r, providerKey, rotated)
		if args[1] == "create" && r.code == exitOK {
			t.Errorf("%v: want a refusal, got:\n%s", args, r)
		}
	}
	if srv.BYOKKeyHash(id) != sha(rotated) {
		t.Fatal("byok update --key-stdin did not rotate the stored key")
	}
}

// TestBYOKKeyOnlyFromFileOrStdin pins that the provider key comes from
// nowhere else, and that a bad source is refused before anything is sent.
func TestBYOKKeyOnlyFromFileOrStdin(t *testing.T) {
	srv, e := newFake(t)
	for _, c := range []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"no source", "", []string{"--provider", "openai"}, "--key-file PATH, or --key-stdin"},
		{"as a flag", "", []string{"--provider", "openai", "--key", providerKey}, "unknown flag"},
		{"as a flag, with =", "", []string{"--provider", "openai", "--key=" + providerKey}, "unknown flag"},
		{"as an argument", "", []string{"--provider", "openai", "--key-stdin", providerKey}, "takes no arguments"},
		{"both", providerKey, []string{"--provider", "openai", "--key-stdin", "--key-file", keyFile(t, providerKey)}, "cannot be used together"},
		{"empty stdin", "\n", []string{"--provider", "openai", "--key-stdin"}, "--key-stdin: empty"},
		{"two lines", providerKey + "\n" + providerKey, []string{"--provider", "openai", "--key-stdin"}, "more than one word or line"},
		{"empty list", providerKey, []string{"--provider", "openai", "--key-stdin", "--allowed-models", ""}, "--allowed-models must not be empty"},
		{"no provider", providerKey, []string{"--key-stdin"}, "needs --provider"},
		{"the management key", "sk-or-mgmt-" + strings.Repeat("9d", 32), []string{"--provider", "openai", "--key-stdin"},
			"--key-stdin: holds sk-or-mgmt-, so it is an OpenRouter key, not a provider's"},
		{"the management key after a byte-order mark", "\ufeffsk-or-mgmt-" + strings.Repeat("9d", 32), []string{"--provider", "openai", "--key-stdin"}, "holds sk-or-mgmt-"},
		{"the management key upper-cased", "SK-OR-MGMT-" + strings.Repeat("9D", 32), []string{"--provider", "openai", "--key-stdin"}, "holds sk-or-mgmt-"},
		{"the management key as an assignment", "OPENROUTER_API_KEY=sk-or-mgmt-" + strings.Repeat("9d", 32), []string{"--provider", "openai", "--key-stdin"}, "holds sk-or-mgmt-"},
		{"a zero-width space", "\u200b" + providerKey, []string{"--provider", "openai", "--key-stdin"}, "non-ASCII character (U+200B)"},
		{"quoted", `"` + providerKey + `"`, []string{"--provider", "openai", "--key-stdin"}, "holds a quote"},
		{"an assignment", "OPENAI_API_KEY=" + providerKey, []string{"--provider", "openai", "--key-stdin"}, "is a NAME=value assignment"},
		{"the key as --key-file's path", "", []string{"--provider", "openai", "--key-file", "sk-proj-" + strings.Repeat("Qz", 20)}, "looks like a key rather than a path"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, e, c.stdin, append([]string{"byok", "create"}, c.args...)...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, c.want) {
				t.Errorf("want %q in stderr:\n%s", c.want, r)
			}
			noProviderKey(t, srv, r, providerKey)
		})
	}
	pasted := "sk-proj-" + strings.Repeat("Qz", 20)
	for _, path := range []string{pasted, "./" + pasted, "/tmp/" + strings.ToUpper(pasted)} {
		if r := runCLI(t, e, "", "byok", "create", "--provider", "openai", "--key-file", path); strings.Contains(strings.ToLower(r.stderr), strings.ToLower(pasted[8:])) || r.code != exitUsage {
			t.Errorf("a key given as --key-file's path %q is shown:\n%s", path, r)
		}
	}
	r := runCLI(t, e, "", "byok", "create", "--provider", "openai", "--key-file", filepath.Join(t.TempDir(), "missing"))
	wantCode(t, r, exitError)
	if !strings.Contains(r.stderr, "cannot read --key-file") {
		t.Errorf("a missing --key-file is not reported as such:\n%s", r)
	}
	if got := srv.Requests(); len(got) != 0 {
		t.Errorf("refused commands sent %d requests", len(got))
	}
}

// TestBYOKLifecycle creates, restricts, lifts, lists and deletes a provider
// key against the fake, checking what each step sends.
func TestBYOKLifecycle(t *testing.T) {
	srv, e := newFake(t)
	r := runCLI(t, e, providerKey, "byok", "create", "--provider", "openai", "--key-stdin", "--fallback", "--allowed-models", "openai/gpt-4o", "-o", "json")
	wantCode(t, r, exitOK)
	id := createdID(t, r)

	r = runCLI(t, e, "", "byok", "update", id, "--allowed-models", "openai/gpt-4o,openai/o3", "--no-allowed-user-ids", "--name", "prod")
	wantCode(t, r, exitOK)
	reqs := srv.Requests()
	if got := string(reqs[len(reqs)-1].Body); got != `{"allowed_models":["openai/gpt-4o","openai/o3"],"allowed_user_ids":null,"name":"prod"}` {
		t.Errorf("PATCH body %s", got)
	}
	for _, want := range []string{"openai/gpt-4o, openai/o3", "prod", "Fallback:          yes"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("want %q in:\n%s", want, r)
		}
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"update", id}, "nothing to update"},
		{[]string{"update", id, "--allowed-models", "a", "--no-allowed-models"}, "cannot be used together"},
		{[]string{"update", id, "--no-allowed-models=false"}, "means nothing"},
		{[]string{"update", providerKey, "--disable"}, "ID (not shown) is not a UUID"},
		{[]string{"delete", id}, "pass --yes"},
	} {
		r := runCLI(t, e, "", append([]string{"byok"}, c.args...)...)
		wantCode(t, r, exitUsage)
		noProviderKey(t, srv, r, providerKey)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("%v: want %q in:\n%s", c.args, c.want, r)
		}
	}

	r = runCLI(t, e, "", "byok", "list")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, id) || !strings.Contains(r.stdout, "openai") {
		t.Errorf("list lacks the key:\n%s", r)
	}
	r = runTerminal(t, e, "n\n", "byok", "delete", id)
	wantCode(t, r, exitDeclined)
	r = runCLI(t, e, "", "byok", "delete", id, "--yes", "--dry-run")
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout, "DELETE") {
		t.Errorf("dry run shows no DELETE:\n%s", r)
	}
	r = runCLI(t, e, "", "byok", "delete", id, "--yes")
	wantCode(t, r, exitOK)
	r = runCLI(t, e, "", "byok", "get", id)
	wantCode(t, r, exitNotFound)
	r = runCLI(t, e, "", "byok", "list", "-o", "json")
	wantCode(t, r, exitOK)
	if strings.TrimSpace(r.stdout) != "[]" {
		t.Errorf("want [], got:\n%s", r)
	}
}

// A file saved with a byte-order mark gives the key without it.
func TestBYOKKeyFileByteOrderMark(t *testing.T) {
	srv, e := newFake(t)
	r := runCLI(t, e, "", "byok", "create", "--provider", "openai", "--key-file", keyFile(t, "\ufeff"+providerKey+"\r\n"), "-o", "json")
	wantCode(t, r, exitOK)
	if srv.BYOKKeyHash(createdID(t, r)) != sha(providerKey) {
		t.Error("the key was stored with its file's byte-order mark")
	}
}

// --key-stdin on a terminal prompts on stderr and reads one line without
// echo, rather than waiting for end of input.
func TestBYOKKeyStdinOnATerminal(t *testing.T) {
	srv, e := newFake(t)
	r := runTerminal(t, e, providerKey+"\nleft for later\n", "byok", "create", "--provider", "openai", "--key-stdin", "-o", "json")
	wantCode(t, r, exitOK)
	if !strings.HasPrefix(r.stderr, "Provider key (not shown as you type): \n") {
		t.Errorf("no prompt on stderr:\n%s", r)
	}
	noProviderKey(t, srv, r, providerKey)
	if srv.BYOKKeyHash(createdID(t, r)) != sha(providerKey) {
		t.Error("the typed line was not the key stored")
	}
}
