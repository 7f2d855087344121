package tests

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestTypeScriptSDKLifecycle runs OpenRouter's official TypeScript SDK
// (@openrouter/sdk, pinned in tssdk/package.json) through a key's whole life
// against `orkeys fake-server`. The fake is there for clients in any
// language, so the SDK most of them use must accept every answer it gives:
// the SDK checks each response against zod schemas and rejects a missing
// field, where our own Go client would not notice.
func TestTypeScriptSDKLifecycle(t *testing.T) {
	if testing.Short() {
		t.Skip("runs npm, go build and node")
	}
	node, errNode := exec.LookPath("node")
	npm, errNpm := exec.LookPath("npm")
	if errNode != nil || errNpm != nil {
		t.Skip("TypeScript SDK test needs node (20 or later) and npm on PATH")
	}
	// Everything below runs under one deadline, so the test cannot hang.
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if major := tssdkNodeMajor(ctx, t, node); major < 20 {
		t.Skipf("TypeScript SDK test needs node 20 or later, %s is node %d", node, major)
	}

	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("module root: %v", err)
	}
	dir := filepath.Join(root, "tests", "tssdk")

	// Build the CLI while npm installs: one waits on CPU, the other mostly
	// on the network.
	bin := filepath.Join(t.TempDir(), "orkeys")
	var buildErr error
	built := make(chan struct{})
	go func() {
		defer close(built)
		buildErr = tssdkBuild(ctx, root, bin)
	}()
	// Should npm fail, stop the build before TempDir's cleanup removes bin.
	t.Cleanup(func() { cancel(); <-built })
	tssdkInstall(ctx, t, npm, dir)
	<-built
	if buildErr != nil {
		t.Fatal(buildErr)
	}

	fake := tssdkStartFake(ctx, t, bin)
	spend := tssdkServesCredits(ctx, fake.baseURL, fake.key)
	t.Logf("GET /credits answered 200: %v (credits and activity steps run only then)", spend)

	steps := tssdkRun(ctx, t, node, dir, "lifecycle.mjs", fake, spend)
	tssdkCheck(t, steps, spend)

	// The management plane around keys (issue 21), on the same fake.
	t.Run("plane", func(t *testing.T) {
		tssdkCheckPlane(t, tssdkRun(ctx, t, node, dir, "plane.mjs", fake, spend))
	})
	// Provider keys (issue 22), on the same fake.
	t.Run("byok", func(t *testing.T) {
		tssdkCheckBYOK(t, tssdkRun(ctx, t, node, dir, "byok.mjs", fake, spend))
	})

	fake.stop(t)
}

// tssdkNodeMajor is node's major version, or 0 when it cannot tell.
func tssdkNodeMajor(ctx context.Context, t *testing.T, node string) int {
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		t.Logf("node --version: %v", err)
		return 0
	}
	v := strings.TrimPrefix(strings.TrimSpace(string(out)), "v")
	major, _ := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
	return major
}

// tssdkStampFile, in node_modules, holds the hash of the package files that
// node_modules was installed from; a different hash means it is stale.
const tssdkStampFile = ".orkeys-tssdk-stamp"

// tssdkInstall runs npm ci in dir when node_modules is missing or was
// installed from other package files.
func tssdkInstall(ctx context.Context, t *testing.T, npm, dir string) {
	h := sha256.New()
	for _, name := range []string{"package.json", "package-lock.json"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", name, len(b))
		h.Write(b)
	}
	want := hex.EncodeToString(h.Sum(nil))
	stamp := filepath.Join(dir, "node_modules", tssdkStampFile)
	if got, err := os.ReadFile(stamp); err == nil && string(got) == want {
		if _, err := os.Stat(filepath.Join(dir, "node_modules", "@openrouter", "sdk", "package.json")); err == nil {
			return
		}
	}
	start := time.Now()
	// ci installs exactly the lock file; the SDK's only install script is a
	// type check that a test does not need.
	cmd := exec.CommandContext(ctx, npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--prefer-offline")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "npm_config_update_notifier=false")
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		if npmUnreachable(out) {
			// The README promises a skip, not a failure, where the SDK
			// cannot be fetched: an offline machine or a closed proxy.
			t.Skipf("TypeScript SDK test skipped: npm could not reach its registry to install @openrouter/sdk (%v); run `npm ci` in %s once online", err, dir)
		}
		t.Fatalf("npm ci in %s: %v\n%s", dir, err, out)
	}
	if err := os.WriteFile(stamp, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("npm ci: %v", time.Since(start).Round(time.Millisecond))
}

// npmUnreachable reports whether npm's output says it failed for want of
// a network: the error codes npm prints when the registry cannot be
// reached, as against a broken lock file or package.
func npmUnreachable(out []byte) bool {
	for _, code := range []string{"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH", "EHOSTUNREACH", "ERR_SOCKET_TIMEOUT"} {
		if bytes.Contains(out, []byte(code)) {
			return true
		}
	}
	return false
}

// tssdkBuild builds the CLI, with -race when this test binary has it: the
// race-built packages are then mostly in the build cache already (a cold
// build of them takes most of a minute on two cores), and the fake gets
// checked for races under the SDK's traffic too.
func tssdkBuild(ctx context.Context, root, bin string) error {
	args := []string{"build", "-o", bin}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "-race" && s.Value == "true" {
				args = append(args, "-race")
			}
		}
	}
	cmd := exec.CommandContext(ctx, "go", append(args, "./cmd/orkeys")...)
	cmd.Dir = root
	cmd.WaitDelay = 5 * time.Second
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go build ./cmd/orkeys: %v\n%s", err, out)
	}
	return nil
}

// tssdkFake is a running `orkeys fake-server`.
type tssdkFake struct {
	cmd          *exec.Cmd
	baseURL, key string
	stderr       *tssdkBuffer
	exited       chan struct{} // closed when Wait returns
	waitErr      error
	stopOnce     sync.Once
}

var (
	tssdkBaseURLLine = regexp.MustCompile(`(?m)^export OPENROUTER_BASE_URL=(\S+)\n`)
	tssdkKeyLine     = regexp.MustCompile(`(?m)^export OPENROUTER_API_KEY=(\S+)\n`)
)

// tssdkStartFake starts the fake on a free loopback port and reads the base
// URL and management key it prints. Cleanup stops it, should the test end
// early.
func tssdkStartFake(ctx context.Context, t *testing.T, bin string) *tssdkFake {
	f := &tssdkFake{stderr: newTSSDKBuffer(), exited: make(chan struct{})}
	stdout := newTSSDKBuffer()
	f.cmd = exec.Command(bin, "fake-server", "--addr", "127.0.0.1:0")
	f.cmd.Stdout, f.cmd.Stderr = stdout, f.stderr
	if err := f.cmd.Start(); err != nil {
		t.Fatalf("start fake-server: %v", err)
	}
	go func() {
		f.waitErr = f.cmd.Wait()
		close(f.exited)
	}()
	t.Cleanup(func() { f.stop(t) })

	for {
		out := stdout.String()
		u, k := tssdkBaseURLLine.FindStringSubmatch(out), tssdkKeyLine.FindStringSubmatch(out)
		if u != nil && k != nil {
			f.baseURL, f.key = u[1], k[1]
			return f
		}
		select {
		case <-stdout.wrote:
		case <-f.exited:
			t.Fatalf("fake-server exited before printing its address: %v\nstdout:\n%s\nstderr:\n%s", f.waitErr, out, f.stderr)
		case <-ctx.Done():
			t.Fatalf("fake-server printed no address: %v\nstdout:\n%s\nstderr:\n%s", ctx.Err(), out, f.stderr)
		}
	}
}

// stop sends SIGTERM, as Ctrl-C or a service manager would, and waits; the
// fake must then exit 0.
func (f *tssdkFake) stop(t *testing.T) {
	f.stopOnce.Do(func() {
		if err := f.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			t.Errorf("SIGTERM to fake-server: %v", err)
		}
		select {
		case <-f.exited:
		case <-time.After(10 * time.Second):
			_ = f.cmd.Process.Kill()
			<-f.exited
			t.Errorf("fake-server still running 10s after SIGTERM; killed\nstderr:\n%s", f.stderr)
			return
		}
		if f.waitErr != nil {
			t.Errorf("fake-server after SIGTERM: %v\nstderr:\n%s", f.waitErr, f.stderr)
		}
	})
}

// tssdkServesCredits probes GET /credits: the fake may not serve the spend
// endpoints yet, and then the script leaves them out.
func tssdkServesCredits(ctx context.Context, baseURL, key string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, baseURL+"/credits", nil)
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// tssdkStep is one line lifecycle.mjs prints.
type tssdkStep struct {
	Step   string          `json:"step"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

// tssdkRun runs script (lifecycle.mjs, plane.mjs) and returns its steps by
// name; any failure ends the test with the failing step, the SDK's error and
// node's output.
func tssdkRun(ctx context.Context, t *testing.T, node, dir, script string, f *tssdkFake, spend bool) map[string]json.RawMessage {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Dir = dir
	// The SDK reads OPENROUTER_* itself; a real key in the environment must
	// not reach it, nor the real API.
	env := slices.DeleteFunc(os.Environ(), func(kv string) bool { return strings.HasPrefix(kv, "OPENROUTER_") })
	spendFlag := "0"
	if spend {
		spendFlag = "1"
	}
	cmd.Env = append(env, "ORKEYS_TSSDK_SERVER_URL="+f.baseURL, "ORKEYS_TSSDK_API_KEY="+f.key, "ORKEYS_TSSDK_SPEND="+spendFlag)
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	t.Logf("node %s: %v", script, time.Since(start).Round(time.Millisecond))

	steps := map[string]json.RawMessage{}
	var failed *tssdkStep
	sc := bufio.NewScanner(bytes.NewReader(stdout.Bytes()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s tssdkStep
		if json.Unmarshal(sc.Bytes(), &s) != nil || s.Step == "" {
			continue
		}
		if !s.OK {
			failed = &s
			continue
		}
		steps[s.Step] = s.Result
	}
	if runErr != nil || failed != nil {
		msg := fmt.Sprintf("node %s: %v", script, runErr)
		if failed != nil {
			msg = fmt.Sprintf("step %q failed: %s", failed.Step, tssdkDescribe(failed.Error))
		}
		t.Fatalf("%s\nstdout:\n%s\nstderr:\n%s", msg, stdout.String(), stderr.String())
	}
	return steps
}

// tssdkDescribe puts the SDK error's class, status and zod report first.
func tssdkDescribe(raw json.RawMessage) string {
	var e struct {
		Class      string `json:"class"`
		Message    string `json:"message"`
		StatusCode int    `json:"statusCode"`
		Zod        string `json:"zod"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return string(raw)
	}
	s := fmt.Sprintf("%s (HTTP %d): %s", e.Class, e.StatusCode, e.Message)
	if e.Zod != "" {
		s += "\n" + e.Zod
	}
	return s
}

// tssdkKey is the part of a key the script reports (the SDK's camelCase).
type tssdkKey struct {
	Hash           string   `json:"hash"`
	Name           string   `json:"name"`
	Label          string   `json:"label"`
	Disabled       bool     `json:"disabled"`
	Limit          *float64 `json:"limit"`
	LimitRemaining *float64 `json:"limitRemaining"`
	LimitReset     *string  `json:"limitReset"`
	ExpiresAt      *string  `json:"expiresAt"`
	ExternalUser   *string  `json:"externalUser"`
	CreatedAt      string   `json:"createdAt"`
	UpdatedAt      *string  `json:"updatedAt"`
	WorkspaceID    string   `json:"workspaceId"`
}

// tssdkErrorResult is what the script reports of an error it expected.
type tssdkErrorResult struct {
	Class      string `json:"class"`
	StatusCode int    `json:"statusCode"`
	Code       int    `json:"code"`
	Message    string `json:"message"`
}

var tssdkHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

// tssdkCheck asserts on what the SDK returned at each step.
func tssdkCheck(t *testing.T, steps map[string]json.RawMessage, spend bool) {
	get := func(step string, v any) bool {
		raw, ok := steps[step]
		if !ok {
			t.Errorf("step %q: not reported", step)
			return false
		}
		if err := json.Unmarshal(raw, v); err != nil {
			t.Errorf("step %q: %v in %s", step, err, raw)
			return false
		}
		return true
	}

	var current struct {
		IsManagementKey bool   `json:"isManagementKey"`
		Label           string `json:"label"`
	}
	if get("current", &current) && (!current.IsManagementKey || current.Label == "") {
		t.Errorf("current: %+v, want the management key with a label", current)
	}

	var created struct {
		KeyShape      bool     `json:"keyShape"`
		SentExpiresAt string   `json:"sentExpiresAt"`
		Data          tssdkKey `json:"data"`
	}
	if !get("create", &created) {
		return
	}
	c := created.Data
	hash := c.Hash
	if !created.KeyShape || !tssdkHash.MatchString(hash) {
		t.Errorf("create: key shape ok %v, hash %q: want sk-or-v1- and 64 hex, and a 64-hex hash", created.KeyShape, hash)
	}
	if c.Name != "tssdk-lifecycle" || c.Disabled || !tssdkIs(c.Limit, 12.5) || !tssdkIs(c.LimitRemaining, 12.5) ||
		!tssdkIs(c.LimitReset, "monthly") || !tssdkIs(c.ExternalUser, "customer-42") || c.UpdatedAt != nil || c.CreatedAt == "" {
		t.Errorf("create: %s", tssdkShow(c))
	}
	if !tssdkSameTime(c.ExpiresAt, created.SentExpiresAt) {
		t.Errorf("create: expiresAt %s, sent %s", tssdkShow(c.ExpiresAt), created.SentExpiresAt)
	}

	var other struct {
		Data tssdkKey `json:"data"`
	}
	get("create_other", &other)

	var list struct {
		Hashes []string `json:"hashes"`
	}
	if get("list", &list) && (!slices.Contains(list.Hashes, hash) || !slices.Contains(list.Hashes, other.Data.Hash)) {
		t.Errorf("list: %v, want both created keys (%s, %s)", list.Hashes, hash, other.Data.Hash)
	}
	var paged struct {
		All     []string `json:"all"`
		Offset1 []string `json:"offset1"`
	}
	if get("list_offset", &paged) && (len(paged.All) < 2 || !slices.Equal(paged.Offset1, paged.All[1:])) {
		t.Errorf("list offset 1: %v, want all but the first of %v", paged.Offset1, paged.All)
	}

	var got tssdkKey
	if get("get", &got) && !reflect.DeepEqual(got, c) {
		t.Errorf("get: %s\nwant what create said: %s", tssdkShow(got), tssdkShow(c))
	}

	var updated tssdkKey
	if get("update", &updated) {
		u := updated
		if u.Hash != hash || u.Name != "tssdk-renamed" || !u.Disabled || !tssdkIs(u.Limit, 20.0) ||
			!tssdkIs(u.LimitReset, "monthly") || !tssdkIs(u.ExternalUser, "customer-42") || u.UpdatedAt == nil || u.CreatedAt != c.CreatedAt {
			t.Errorf("update: %s", tssdkShow(u))
		}
	}

	var cleared tssdkKey
	if get("update_clear", &cleared) && (cleared.Limit != nil || cleared.LimitReset != nil || cleared.LimitRemaining != nil || cleared.Name != "tssdk-renamed") {
		t.Errorf("update clearing limit and reset: %s, want both null and the rest kept", tssdkShow(cleared))
	}

	var afterDisable struct {
		Enabled []string `json:"enabled"`
		All     []string `json:"all"`
	}
	if get("list_after_disable", &afterDisable) &&
		(slices.Contains(afterDisable.Enabled, hash) || !slices.Contains(afterDisable.All, hash)) {
		t.Errorf("list after disable: default %v, include_disabled %v: want %s only in the second", afterDisable.Enabled, afterDisable.All, hash)
	}

	var invalid tssdkErrorResult
	if get("update_invalid", &invalid) &&
		(invalid.Class != "BadRequestResponseError" || invalid.StatusCode != 400 || invalid.Code != 400 || invalid.Message == "") {
		t.Errorf("update with limit -1: %+v, want BadRequestResponseError, 400, with a message", invalid)
	}

	var unauth tssdkErrorResult
	if get("unauthorized", &unauth) && (unauth.Class != "UnauthorizedResponseError" || unauth.StatusCode != 401 || unauth.Code != 401) {
		t.Errorf("unknown key: %+v, want UnauthorizedResponseError, 401", unauth)
	}

	var deleted struct {
		Deleted bool `json:"deleted"`
	}
	if get("delete", &deleted) && !deleted.Deleted {
		t.Errorf("delete: deleted %v", deleted.Deleted)
	}
	var gone tssdkErrorResult
	if get("get_deleted", &gone) && (gone.Class != "NotFoundResponseError" || gone.StatusCode != 404 || gone.Code != 404) {
		t.Errorf("get after delete: %+v, want NotFoundResponseError, 404", gone)
	}

	if spend {
		var credits struct {
			TotalCredits *float64 `json:"totalCredits"`
			TotalUsage   *float64 `json:"totalUsage"`
		}
		if get("credits", &credits) && (credits.TotalCredits == nil || credits.TotalUsage == nil) {
			t.Errorf("credits: %+v", credits)
		}
		var activity struct {
			Items *int `json:"items"`
		}
		if get("activity", &activity) && activity.Items == nil {
			t.Errorf("activity: no items count")
		}
	}
	var done struct {
		Spend bool `json:"spend"`
	}
	if get("done", &done) && done.Spend != spend {
		t.Errorf("done: script ran the spend steps %v, want %v", done.Spend, spend)
	}
}

func tssdkIs[T comparable](p *T, want T) bool { return p != nil && *p == want }

func tssdkShow(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// tssdkSameTime compares two RFC 3339 times as instants: the SDK sends
// milliseconds, and a server may answer without them.
func tssdkSameTime(got *string, want string) bool {
	if got == nil {
		return false
	}
	g, err1 := time.Parse(time.RFC3339Nano, *got)
	w, err2 := time.Parse(time.RFC3339Nano, want)
	return err1 == nil && err2 == nil && g.Equal(w)
}

// tssdkBuffer collects a child's output for reading while it runs, and
// signals each write.
type tssdkBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	wrote chan struct{}
}

func newTSSDKBuffer() *tssdkBuffer { return &tssdkBuffer{wrote: make(chan struct{}, 1)} }

func (b *tssdkBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	select {
	case b.wrote <- struct{}{}:
	default:
	}
	return n, err
}

func (b *tssdkBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
