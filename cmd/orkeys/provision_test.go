package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
	"github.com/orkeys/orkeys/provision"
)

var plaintextShape = regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`)

// TestBinaryProvisionFlow is the whole flow through the binary:
// plan (10), apply, plan (0), a limit changed out of band, plan (10, the
// drift named), apply, plan (0); and a second apply while the state is
// locked fails with exit 1 naming the lock.
func TestBinaryProvisionFlow(t *testing.T) {
	srv, _ := newFake(t)
	env := fakeEnv(t, srv)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	got := filepath.Join(dir, "batch.received")
	os.WriteFile(file, []byte(`version: 1
keys:
  ci:
    name: ci-runner
    limit: 25
    limit_reset: monthly
    deliver: {file: secrets/ci.key}
  batch:
    name: batch-jobs
    limit: 5
    deliver: {exec: "cat > '`+got+`'"}
  out:
    name: out
    deliver: {stdout: true}
`), 0o600)
	step := func(code int, args ...string) result {
		t.Helper()
		r := runBinary(t, env, append(args, "-f", file)...)
		if r.code != code {
			t.Fatalf("orkeys %s: %s", strings.Join(args, " "), r)
		}
		// Only apply -o json's stdout may carry one: the stdout receiver's.
		stdoutMay := args[0] == "apply" && strings.Contains(strings.Join(args, " "), "-o json")
		if plaintextShape.MatchString(r.stderr) || (!stdoutMay && plaintextShape.MatchString(r.stdout)) {
			t.Fatalf("orkeys %s printed a plaintext: %s", strings.Join(args, " "), r)
		}
		return r
	}
	step(exitPending, "plan")
	var pj struct {
		Pending bool
		Changes []provision.Change
	}
	if r := step(exitPending, "plan", "-o", "json"); json.Unmarshal([]byte(r.stdout), &pj) != nil || !pj.Pending || len(pj.Changes) != 3 {
		t.Fatalf("plan -o json: %s", r)
	}
	step(exitUsage, "apply", "--yes") // a stdout receiver needs -o json; nothing made
	r := step(exitOK, "apply", "--yes", "-o", "json")
	out := plaintextShape.FindString(r.stdout)
	if out == "" || !strings.Contains(r.stdout, `"out": {`) {
		t.Fatalf("apply -o json lacks .keys.out.key: %s", r)
	}
	step(exitOK, "plan")

	s, err := provision.ReadStateFile(filepath.Join(dir, provision.DefaultStatePath))
	if err != nil {
		t.Fatal(err)
	}
	ci, _ := os.ReadFile(filepath.Join(dir, "secrets", "ci.key"))
	batch, _ := os.ReadFile(got)
	if !plaintextShape.Match(ci) || !plaintextShape.Match(batch) {
		t.Fatalf("receivers got %q and %q", ci, batch)
	}
	st, _ := os.ReadFile(filepath.Join(dir, provision.DefaultStatePath))
	if plaintextShape.Match(st) {
		t.Fatal("the state holds a plaintext")
	}

	runBinary(t, env, "keys", "update", s.Keys["ci"].Hash, "--limit", "99")
	r = step(exitPending, "plan")
	if !strings.Contains(r.stdout, "limit: 99 → 25  (drift)") {
		t.Fatalf("the drift is not named: %s", r)
	}
	step(exitOK, "apply", "--yes")
	step(exitOK, "plan")

	lock, err := provision.OpenStateFile(filepath.Join(dir, provision.DefaultStatePath), 0)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close()
	r = step(exitError, "apply", "--yes")
	if !strings.Contains(r.stderr, provision.DefaultStatePath+".lock") {
		t.Fatalf("the lock is not named: %s", r)
	}
}

func TestApplyAsksOnATerminal(t *testing.T) {
	_, e := newFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	os.WriteFile(file, []byte("version: 1\nkeys:\n  ci: {name: ci, deliver: {file: ci.key}}\n"), 0o600)
	wantCode(t, runCLI(t, e, "", "apply", "-f", file), exitUsage) // not a terminal, no --yes
	r := runTerminal(t, e, "n\n", "apply", "-f", file)
	wantCode(t, r, exitDeclined)
	if _, err := os.Stat(filepath.Join(dir, "ci.key")); err == nil {
		t.Fatal("a declined apply delivered a key")
	}
	// A prompt whose stdin cannot be read is local I/O (exit 1), not a "no".
	var stderr strings.Builder
	code := terminalFactory(failingReader{}, io.Discard, &stderr, e).run(context.Background(), []string{"apply", "-f", file})
	if code != exitError || !strings.Contains(stderr.String(), "cannot read input: ") || !strings.Contains(stderr.String(), "nothing was changed") {
		t.Fatalf("apply with an unreadable stdin: exit %d, %s", code, stderr.String())
	}
	wantCode(t, runTerminal(t, e, "y\n", "apply", "-f", file), exitOK)
	wantCode(t, runCLI(t, e, "", "plan", "-f", file), exitOK)
}

func TestPlanRefusesABadFile(t *testing.T) {
	_, e := newFake(t)
	file := filepath.Join(t.TempDir(), "orkeys.yaml")
	os.WriteFile(file, []byte("version: 1\nkeys:\n  ci: {name: ci, limt: 5}\n"), 0o600)
	r := runCLI(t, e, "", "plan", "-f", file)
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "limt") {
		t.Fatalf("the unknown field is not named: %s", r)
	}
}

// A key delivered into the state file (default or --state) would be
// overwritten by the run's next save, leaving a live key no one holds:
// refused (exit 2) before anything is sent.
func TestApplyRefusesDeliveryIntoTheState(t *testing.T) {
	srv, e := newFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	custom := filepath.Join(dir, "custom-state.json")
	for _, c := range []struct {
		target string
		args   []string
	}{
		{".orkeys/state.json", nil},
		{"custom-state.json", []string{"--state", custom}},
		{"custom-state.json.lock", []string{"--state", custom}},
	} {
		os.WriteFile(file, []byte("version: 1\nkeys:\n  ci: {name: ci, deliver: {file: "+c.target+"}}\n"), 0o600)
		srv.ResetRequests()
		r := runCLI(t, e, "", append([]string{"apply", "-f", file, "--yes"}, c.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, "a file orkeys keeps itself") || len(srv.Requests()) != 0 {
			t.Errorf("%s: stderr %q, %d requests sent", c.target, r.stderr, len(srv.Requests()))
		}
	}
}

func TestSchemaPrintsTheSchema(t *testing.T) {
	r := runCLI(t, env{}, "", "schema")
	wantCode(t, r, exitOK)
	if r.stdout != string(provision.Schema) {
		t.Fatal("schema output differs from provision.Schema")
	}
	// The copy at the repository's root, for editors' $schema, is the same.
	copied, err := os.ReadFile("../../orkeys.schema.json")
	if err != nil || string(copied) != r.stdout {
		t.Fatalf("orkeys.schema.json is not 'orkeys schema' (%v): refresh it with go run ./cmd/orkeys schema > orkeys.schema.json", err)
	}
}

func TestImportAdoptsAKey(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	os.WriteFile(file, []byte("version: 1\nkeys:\n  a: {name: "+keys[0].Data.Name+", deliver: {file: a.key}}\n"), 0o600)
	r := runCLI(t, e, "", "import", "key", "a", keys[0].Data.Hash, "-f", file, "-o", "json")
	wantCode(t, r, exitOK)
	var imported map[string]string
	if err := json.Unmarshal([]byte(r.stdout), &imported); err != nil || imported["kind"] != "key" || imported["address"] != "a" || imported["id"] != keys[0].Data.Hash {
		t.Fatalf("import -o json: %s", r)
	}
	r = runCLI(t, e, "", "plan", "-f", file)
	if strings.Contains(r.stdout, "create") {
		t.Fatalf("an imported key is to be created: %s", r)
	}
	wantCode(t, runCLI(t, e, "", "import", "key", "a", keys[1].Data.Hash, "-f", file), exitError) // a holds another key
	srv.ResetRequests()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"key", "b", strings.Repeat("0", 64)}, "key b is not in " + file + ": declare it there first"},
		{[]string{"key", "a", "zz"}, `the ID must be a key's hash (64 hexadecimal digits): "zz" is not a key hash`},
		{[]string{"guardrail", "a", "123"}, `the ID must be a UUID`},
		{[]string{"workspace", "a", fake.DefaultWorkspaceID}, "workspace a is not in " + file},
		{[]string{"budget", "a", "x"}, `cannot import a "budget"`},
	} {
		r := runCLI(t, e, "", append(append([]string{"import"}, c.args...), "-f", file)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, c.want) {
			t.Errorf("import %v: want %q:\n%s", c.args, c.want, r)
		}
	}
	if got := requests(srv); len(got) != 0 {
		t.Errorf("refused imports sent %v", got)
	}
	os.WriteFile(file, []byte("version: 1\nkeys:\n  a: {name: x, deliver: {file: a.key}}\n  b: {name: y, deliver: {file: b.key}}\n"), 0o600)
	wantCode(t, runCLI(t, e, "", "import", "key", "b", strings.Repeat("0", 64), "-f", file), exitNotFound)
}

// A proxy drops the first create's answer after the fake made the key:
// apply fails, and the next apply deletes the orphan, makes the key again
// and delivers it, leaving one key of that name.
func TestBinaryRepairsALostCreate(t *testing.T) {
	srv := fake.NewServer() // the real clock: the orphan rule compares it with the intent's
	t.Cleanup(srv.Close)
	var lost atomic.Bool
	h := srv.Handler()
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(r.URL.Path, "/api/v1/keys") && lost.CompareAndSwap(false, true) {
			h.ServeHTTP(httptest.NewRecorder(), r)
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	env := binEnv(t, "OPENROUTER_API_KEY="+srv.ManagementKey, "OPENROUTER_BASE_URL="+proxy.URL+"/api/v1")
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	os.WriteFile(file, []byte("version: 1\nkeys:\n  ci: {name: ci-runner, deliver: {file: ci.key}}\n"), 0o600)
	r := runBinary(t, env, "apply", "--yes", "-f", file)
	// exit 1, not 5: the next apply resolves the ambiguity by itself.
	if r.code != exitError || plaintextShape.MatchString(r.stdout+r.stderr) {
		t.Fatalf("the lost create: %s", r)
	}
	r = runBinary(t, env, "plan", "-f", file)
	if r.code != exitPending || !strings.Contains(r.stdout, "± key ci: repair") {
		t.Fatalf("plan after the lost create: %s", r)
	}
	r = runBinary(t, env, "apply", "--yes", "-f", file)
	if r.code != exitOK || !strings.Contains(r.stdout, "orphaned") {
		t.Fatalf("the repairing apply: %s", r)
	}
	wantCode(t, runBinary(t, env, "plan", "-f", file), exitOK)
	r = runBinary(t, env, "keys", "find", "ci-runner", "-o", "json")
	var found []struct{ Hash string }
	if err := json.Unmarshal([]byte(r.stdout), &found); err != nil || len(found) != 1 {
		t.Fatalf("keys named ci-runner: %s", r)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "ci.key"))
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != found[0].Hash {
		t.Fatal("the delivered plaintext is not the live key's")
	}
}

// apply -o json into a full disk: the stdout key never reached anyone, so
// it stays undelivered and the next apply replaces it.
func TestBinaryStdoutKeyToAFullDisk(t *testing.T) {
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skip("no /dev/full")
	}
	defer full.Close()
	srv, _ := newFake(t)
	env := fakeEnv(t, srv)
	file := filepath.Join(t.TempDir(), "orkeys.yaml")
	os.WriteFile(file, []byte("version: 1\nkeys:\n  out: {name: out, deliver: {stdout: true}}\n"), 0o600)
	cmd := exec.Command(orkeysBinary(t), "apply", "--yes", "-o", "json", "-f", file)
	cmd.Env, cmd.Stdout = env, full
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Run(); err == nil || plaintextShape.MatchString(stderr.String()) {
		t.Fatalf("apply into /dev/full: %v, %s", err, stderr.String())
	}
	r := runBinary(t, env, "plan", "-f", file)
	if r.code != exitPending || !strings.Contains(r.stdout, "key out: replace") {
		t.Fatalf("plan after the failed print: %s", r)
	}
}

// A lost create's orphan is found although the API's clock runs behind
// this machine's, when --clock-skew covers the gap: without it the intent
// is dropped and the orphan stays live beside the new key.
func TestApplyClockSkewFindsAnOrphanFromASlowClock(t *testing.T) {
	for _, c := range []struct {
		skew []string
		keys int
	}{{nil, 2}, {[]string{"--clock-skew", "10s"}, 1}} {
		srv, e := newFake(t)
		orphan, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "skewed"})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		file := filepath.Join(dir, "orkeys.yaml")
		os.WriteFile(file, []byte("version: 1\nkeys:\n  z: {name: skewed, deliver: {file: z.key}}\n"), 0o600)
		// The journaled start is 3 s after the orphan's created_at, as when
		// the server's clock is 3 s behind.
		st := provision.NewState()
		st.Intents = []provision.Intent{{Address: "z", Name: "skewed", Started: fixedNow.Add(3 * time.Second)}}
		b, _ := json.Marshal(st)
		os.MkdirAll(filepath.Join(dir, ".orkeys"), 0o700)
		os.WriteFile(filepath.Join(dir, provision.DefaultStatePath), b, 0o600)

		r := runCLI(t, e, "", append([]string{"apply", "-f", file, "--yes"}, c.skew...)...)
		wantCode(t, r, exitOK)
		found := runCLI(t, e, "", "keys", "find", "skewed", "-o", "json")
		wantCode(t, found, exitOK)
		var keys []json.RawMessage
		if err := json.Unmarshal([]byte(found.stdout), &keys); err != nil {
			t.Fatalf("keys find: %v\n%s", err, found.stdout)
		}
		if live := len(keys); live != c.keys {
			t.Errorf("%v: %d live keys named skewed, want %d (orphan %s)", c.skew, live, c.keys, orphan.Data.Hash)
		}
	}
}

// A field fixed at creation that differs (here a key's expiry) is not "in
// sync": plan exits 10 saying apply cannot change it, though nothing is
// pending, and apply changes nothing and says the same.
func TestPlanNotInSyncWhenAFixedFieldDiffers(t *testing.T) {
	srv, e := newFake(t)
	dir := t.TempDir()
	file := filepath.Join(dir, "orkeys.yaml")
	write := func(expires string) {
		t.Helper()
		if err := os.WriteFile(file, []byte("version: 1\nkeys:\n  ci:\n    name: ci\n    expires_at: "+expires+"\n    deliver: {file: ci.key}\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("2030-01-01T00:00:00Z")
	wantCode(t, runCLI(t, e, "", "apply", "--yes", "-f", file), exitOK)
	wantCode(t, runCLI(t, e, "", "plan", "-f", file), exitOK)

	write("2031-01-01T00:00:00Z")
	srv.ResetRequests()
	r := runCLI(t, e, "", "plan", "-f", file)
	wantCode(t, r, exitPending)
	if !strings.Contains(r.stdout, "expires_at: 2030-01-01T00:00:00Z → 2031-01-01T00:00:00Z  (fixed at creation") ||
		!strings.Contains(r.stdout, "Not in sync: 1 resource differs in a field fixed at creation") ||
		!strings.Contains(r.stderr, "not in sync: a field fixed at creation differs") {
		t.Errorf("plan:\n%s", r)
	}
	r = runCLI(t, e, "", "plan", "-f", file, "-o", "json")
	var pj planJSON
	if err := json.Unmarshal([]byte(r.stdout), &pj); err != nil || pj.Pending || pj.Fixed != 1 {
		t.Errorf("plan -o json: pending %v, fixed %d (%v):\n%s", pj.Pending, pj.Fixed, err, r)
	}
	r = runCLI(t, e, "", "apply", "--yes", "-f", file)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stdout+r.stderr, "Not in sync: 1 resource differs in a field fixed at creation") {
		t.Errorf("apply does not say what it cannot change:\n%s", r)
	}
	for _, req := range requests(srv) {
		if !strings.HasPrefix(req, "GET ") {
			t.Errorf("plan or apply sent %s", req)
		}
	}
}
