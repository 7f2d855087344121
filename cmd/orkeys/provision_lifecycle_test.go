package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/provision"
)

// TestProvisionPruneMissingAndImportByName: a key removed from the file is
// only reported (plan exits 0) until --prune disables it and
// --prune=delete deletes it; a managed key deleted out of band is reported
// and made again only with --recreate-missing, its new plaintext
// delivered; --import-by-name proposes a same-named key and adopts nothing.
func TestProvisionPruneMissingAndImportByName(t *testing.T) {
	srv, e := newFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	statePath := filepath.Join(dir, provision.DefaultStatePath)
	write := func(body string) {
		t.Helper()
		if err := os.WriteFile(file, []byte("version: 1\nkeys:\n"+body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := func(code int, want string, args ...string) result {
		t.Helper()
		r := runCLI(t, e, "", append(args, "-f", file)...)
		if r.code != code || !strings.Contains(r.stdout, want) || plaintextShape.MatchString(r.stdout+r.stderr) {
			t.Fatalf("orkeys %s: want exit %d and %q:\n%s", strings.Join(args, " "), code, want, r)
		}
		return r
	}
	hashOf := func(addr string) string {
		t.Helper()
		s, err := provision.ReadStateFile(statePath)
		if err != nil {
			t.Fatal(err)
		}
		return s.Keys[addr].Hash
	}
	a := "  a: {name: key-a, deliver: {file: a.key}}\n"
	write(a + "  b: {name: key-b, deliver: {file: b.key}}\n")
	run(exitOK, "ok key b: create", "apply", "--yes")
	b := hashOf("b")

	write(a)
	run(exitOK, "? key b: unmanaged", "plan")
	run(exitPending, "- key b: disable", "plan", "--prune")
	run(exitOK, "ok key b: disable", "apply", "--yes", "--prune")
	if r := runCLI(t, e, "", "keys", "get", b, "-o", "json"); !strings.Contains(r.stdout, `"disabled": true`) {
		t.Fatalf("--prune left key b enabled: %s", r)
	}
	run(exitPending, "- key b: delete", "plan", "--prune=delete")
	run(exitOK, "ok key b: delete", "apply", "--yes", "--prune=delete")
	wantCode(t, runCLI(t, e, "", "keys", "get", b), exitNotFound)
	run(exitOK, "In sync", "plan")

	wantCode(t, runCLI(t, e, "", "keys", "delete", hashOf("a"), "--yes"), exitOK)
	run(exitOK, "! key a: missing", "plan")
	run(exitOK, "! key a: missing", "apply", "--yes") // reported, not recreated
	run(exitPending, "+ key a: recreate", "plan", "--recreate-missing")
	run(exitOK, "ok key a: recreate", "apply", "--yes", "--recreate-missing")
	got, _ := os.ReadFile(filepath.Join(dir, "a.key"))
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != hashOf("a") {
		t.Fatal("a.key does not hold the recreated key's plaintext")
	}

	same, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "key-c"})
	if err != nil {
		t.Fatal(err)
	}
	write(a + "  c: {name: key-c, deliver: {file: c.key}}\n")
	r := run(exitPending, `"action": "create"`, "plan", "--import-by-name", "-o", "json")
	var pj struct{ Changes []provision.Change }
	if err := json.Unmarshal([]byte(r.stdout), &pj); err != nil || len(pj.Changes) != 2 || !slices.Equal(pj.Changes[1].Proposals, []string{same.Data.Hash}) {
		t.Fatalf("plan --import-by-name -o json proposes no import: %v %s", err, r)
	}
	run(exitPending, "same name: "+same.Data.Hash+" (orkeys import key c "+same.Data.Hash+")", "plan", "--import-by-name")
	if r := run(exitPending, "+ key c: create", "plan"); strings.Contains(r.stdout, "same name") {
		t.Fatalf("a proposal without --import-by-name: %s", r)
	}
	if hashOf("c") != "" {
		t.Fatal("--import-by-name adopted a key by its name")
	}
}

// An exec receiver that exits non-zero leaves its key undelivered and the
// apply failing (exit 1); the next apply, the command fixed, deletes that
// key and delivers a fresh one, so one key of that name is left.
func TestProvisionFailingExecIsReplaced(t *testing.T) {
	_, e := newFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	write := func(cmd string) {
		t.Helper()
		if err := os.WriteFile(file, []byte("version: 1\nkeys:\n  b: {name: batch, deliver: {exec: \""+cmd+"\"}}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("cat > /dev/null; exit 3")
	r := runCLI(t, e, "", "apply", "--yes", "-f", file)
	if r.code != exitError || !strings.Contains(r.stdout, "failed key b") || plaintextShape.MatchString(r.stdout+r.stderr) {
		t.Fatalf("apply with a failing exec: %s", r)
	}
	st, _ := os.ReadFile(filepath.Join(dir, provision.DefaultStatePath))
	if plaintextShape.Match(st) || !strings.Contains(string(st), `"undelivered": true`) {
		t.Fatalf("the state after a failed delivery: %s", st)
	}
	if r := runCLI(t, e, "", "plan", "-f", file); r.code != exitPending || !strings.Contains(r.stdout, "± key b: replace") {
		t.Fatalf("plan after a failed delivery: %s", r)
	}
	write("cat > got.key")
	wantCode(t, runCLI(t, e, "", "apply", "--yes", "-f", file), exitOK)
	got, _ := os.ReadFile(filepath.Join(dir, "got.key"))
	r = runCLI(t, e, "", "keys", "find", "batch", "-o", "json")
	var found []struct{ Hash string }
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil || len(found) != 1 {
		t.Fatalf("keys named batch: %s", r)
	}
	if sum := sha256.Sum256(got); hex.EncodeToString(sum[:]) != found[0].Hash {
		t.Fatal("got.key does not hold the live key's plaintext")
	}
}

// --state puts the state where it says, and nothing beside the file; a
// plan without it reads the default (empty) state and sees work to do.
func TestProvisionStateFlag(t *testing.T) {
	_, e := newFake(t)
	dir, file := desiredFile(t, "version: 1\nkeys:\n  a: {name: key-a, deliver: {file: a.key}}\n")
	state := filepath.Join(t.TempDir(), "elsewhere.json")
	wantCode(t, runCLI(t, e, "", "apply", "--yes", "-f", file, "--state", state), exitOK)
	if s, err := provision.ReadStateFile(state); err != nil || s.Keys["a"].Hash == "" {
		t.Fatalf("--state %s holds no binding for a: %v", state, err)
	}
	if _, err := os.Stat(filepath.Join(dir, provision.DefaultStatePath)); err == nil {
		t.Fatal("a state was written beside the file despite --state")
	}
	wantCode(t, runCLI(t, e, "", "plan", "-f", file, "--state", state), exitOK)
	wantCode(t, runCLI(t, e, "", "plan", "-f", file), exitPending)
	// import takes the same lock as apply, and names it when held.
	lock, err := provision.OpenStateFile(state, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	r := runCLI(t, e, "", "import", "key", "a", strings.Repeat("0", 64), "-f", file, "--state", state)
	if r.code != exitError || !strings.Contains(r.stderr, state+".lock") || !strings.Contains(r.stderr, "--lock-timeout") {
		t.Fatalf("import under a held lock: %s", r)
	}
}

// A plan or apply whose failures share a cause exits with its code: a
// refused key 3, a server in trouble 7; a mix, or a lost create, 1.
func TestProvisionExitIsTheFailuresCode(t *testing.T) {
	srv, e := newFake(t)
	_, file := desiredFile(t, "version: 1\nkeys:\n  a: {name: key-a, deliver: {file: a.key}}\n  b: {name: key-b, deliver: {file: b.key}}\n")
	refused := env{"OPENROUTER_API_KEY": "sk-or-v1-" + strings.Repeat("0", 64), "OPENROUTER_BASE_URL": srv.URL}
	if r := runCLI(t, refused, "", "apply", "--yes", "-f", file); r.code != exitAuth || !strings.Contains(r.stderr, "2 of 2 resources did not converge") {
		t.Fatalf("apply with a refused key: %s", r)
	}
	wantCode(t, runCLI(t, e, "", "apply", "--yes", "-f", file), exitOK)
	// The listing fails, and so does each key's GET it falls back to.
	for _, path := range []string{"/keys", "/keys/{hash}", "/keys/{hash}"} {
		srv.Inject(fake.Fault{Method: "GET", Path: path, Status: 503})
	}
	if r := runCLI(t, e, "", "plan", "--retries", "0", "-f", file); r.code != exitUnavailable || !strings.Contains(r.stderr, "the plan is incomplete") {
		t.Fatalf("plan with the server in trouble: %s", r)
	}
}

// apply --lock-timeout waits for a held lock and goes on once it is free.
func TestApplyWaitsForTheLock(t *testing.T) {
	_, e := newFake(t)
	dir, file := desiredFile(t, "version: 1\nkeys:\n  a: {name: key-a, deliver: {file: a.key}}\n")
	lock, err := provision.OpenStateFile(filepath.Join(dir, provision.DefaultStatePath), 0)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan result, 1)
	go func() { done <- runCLI(t, e, "", "apply", "--yes", "--lock-timeout", "1m", "-f", file) }()
	select {
	case r := <-done:
		t.Fatalf("apply did not wait for the held lock: %s", r)
	case <-time.After(300 * time.Millisecond):
	}
	lock.Close()
	wantCode(t, <-done, exitOK)
}

// desiredFile writes a desired-state file into a fresh folder.
func desiredFile(t *testing.T, body string) (dir, file string) {
	t.Helper()
	dir = t.TempDir()
	file = filepath.Join(dir, "orkeys.yaml")
	if err := os.WriteFile(file, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return dir, file
}
