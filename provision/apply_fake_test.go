package provision

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// rig is a fake API behind a handler that can lose create answers, a
// facade client on it with a log, and a folder for the state and the
// receivers.
type rig struct {
	t       *testing.T
	srv     *fake.Server
	backend *FacadeBackend
	c       *facade.Client
	url     string // the API's base URL, through the lossy front
	dir     string
	state   string
	log     bytes.Buffer
	// loseCreates is how many POST /keys answers to drop after the fake
	// has made the key; losePlane the same for POST /workspaces and
	// /guardrails.
	loseCreates, losePlane atomic.Int32
}

func newRig(t *testing.T, opts ...facade.Option) *rig {
	r := &rig{t: t, srv: fake.NewServer(), dir: t.TempDir()}
	t.Cleanup(r.srv.Close)
	h := r.srv.Handler()
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		lose := req.Method == "POST" && (strings.HasSuffix(req.URL.Path, "/api/v1/keys") && r.loseCreates.Add(-1) >= 0 ||
			(strings.HasSuffix(req.URL.Path, "/api/v1/workspaces") || strings.HasSuffix(req.URL.Path, "/api/v1/guardrails")) && r.losePlane.Add(-1) >= 0)
		if lose {
			h.ServeHTTP(httptest.NewRecorder(), req) // the key is made...
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // ...and its answer lost
			}
			return
		}
		h.ServeHTTP(w, req)
	}))
	t.Cleanup(front.Close)
	c, err := facade.New(append([]facade.Option{facade.WithServerURL(front.URL + "/api/v1"), facade.WithAPIKey(r.srv.ManagementKey),
		facade.WithLogger(slog.New(slog.NewTextHandler(&r.log, &slog.HandlerOptions{Level: slog.LevelDebug})))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	r.c, r.backend, r.url = c, NewFacadeBackend(c), front.URL+"/api/v1"
	r.state = filepath.Join(r.dir, DefaultStatePath)
	return r
}

// run is one `apply`: lock the state, plan, apply, unlock.
func (r *rig) run(d *Desired, popts []PlanOption, aopts ...ApplyOption) (*Plan, *Result, error) {
	r.t.Helper()
	f, err := OpenStateFile(r.state, 0)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	s, err := f.Load()
	if err != nil {
		r.t.Fatal(err)
	}
	ctx := context.Background()
	p, err := ComputePlan(ctx, r.backend, d, s, popts...)
	if err != nil {
		r.t.Fatal(err)
	}
	res, err := Apply(ctx, r.backend, p, append([]ApplyOption{WithSave(f.Save)}, aopts...)...)
	r.noPlaintext("plan", p)
	r.noPlaintext("result", res)
	return p, res, err
}

func (r *rig) plan(d *Desired, opts ...PlanOption) *Plan {
	r.t.Helper()
	s, err := ReadStateFile(r.state)
	if err != nil {
		r.t.Fatal(err)
	}
	p, err := ComputePlan(context.Background(), r.backend, d, s, opts...)
	if err != nil {
		r.t.Fatal(err)
	}
	r.noPlaintext("plan", p)
	return p
}

// noPlaintext checks that v, as JSON, and the state file and the client's
// log hold no key plaintext.
func (r *rig) noPlaintext(what string, v any) {
	r.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		r.t.Fatal(err)
	}
	st, _ := os.ReadFile(r.state)
	for name, text := range map[string]string{what: string(b), "state": string(st), "log": r.log.String()} {
		if m := plaintextRE.FindString(text); m != "" {
			r.t.Errorf("%s holds a plaintext", name)
		}
	}
}

var plaintextRE = regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`)

func hashOf(pt string) string {
	sum := sha256.Sum256([]byte(pt))
	return hex.EncodeToString(sum[:])
}

// live lists the fake's keys named name in the workspace ("" is the
// default one).
func (r *rig) live(name string, workspace ...string) []facade.APIKey {
	r.t.Helper()
	req := facade.FindKeysRequest{Name: name}
	if len(workspace) > 0 && workspace[0] != "" {
		req.WorkspaceID = &workspace[0]
	}
	ks, err := facade.APIKeysFind(context.Background(), r.c, req)
	if err != nil {
		r.t.Fatal(err)
	}
	return ks
}

// converged checks the invariant for each address of d: no intent left,
// bound and delivered, exactly one live key of its name, and that key's
// plaintext delivered exactly once (received lists what its receiver got).
func (r *rig) converged(d *Desired, received func(addr string) []string) {
	r.t.Helper()
	s, err := ReadStateFile(r.state)
	if err != nil {
		r.t.Fatal(err)
	}
	if len(s.Intents) != 0 {
		r.t.Errorf("intents left: %+v", s.Intents)
	}
	for addr, k := range d.Keys {
		b, ok := s.Keys[addr]
		if !ok || b.Undelivered {
			r.t.Errorf("%s: bound %v, undelivered %v", addr, ok, b.Undelivered)
			continue
		}
		live := r.live(k.Name, workspaceID(s, k.Workspace))
		if len(live) != 1 || live[0].Hash != b.Hash {
			r.t.Errorf("%s: %d live keys named %q, want exactly the bound one", addr, len(live), k.Name)
		}
		n := 0
		for _, pt := range received(addr) {
			if hashOf(pt) == b.Hash {
				n++
			}
		}
		if n != 1 {
			r.t.Errorf("%s: the live key's plaintext reached its receiver %d times, want 1", addr, n)
		}
	}
	if p := r.plan(d); p.Pending() {
		r.t.Errorf("still pending after converging: %v", summary(p))
	}
}

// fileKeys delivers every key of names to a file in r.dir/secrets.
func (r *rig) fileKeys(names ...string) *Desired {
	d := &Desired{Version: 1, Keys: map[string]Key{}}
	for _, n := range names {
		d.Keys[n] = Key{Name: n + "-key", Limit: usd(5), Deliver: &Deliver{File: filepath.Join(r.dir, "secrets", n+".key")}}
	}
	return d
}

func (r *rig) fileReceived(addr string) []string {
	b, err := os.ReadFile(filepath.Join(r.dir, "secrets", addr+".key"))
	if err != nil {
		return nil
	}
	return []string{string(b)}
}

func mustOK(t *testing.T, res *Result, err error) {
	t.Helper()
	if err != nil || res.Failed() {
		t.Fatalf("apply: %v, %+v", err, res.Outcomes)
	}
}

func TestApplyCreatesDeliversAndConverges(t *testing.T) {
	r := newRig(t)
	d := r.fileKeys("ci", "batch")
	d.Keys["out"] = Key{Name: "out-key", Deliver: &Deliver{Stdout: true}}
	p, res, err := r.run(d, nil)
	mustOK(t, res, err)
	if !p.Pending() {
		t.Error("the first plan had nothing pending")
	}
	out, ok := res.Keys["out"]
	if !ok {
		t.Fatal("no stdout key in the result")
	}
	if s, _ := ReadStateFile(r.state); !s.Keys["out"].Undelivered {
		t.Fatal("a stdout key is recorded delivered before the caller printed it")
	}
	f, err := OpenStateFile(r.state, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := res.MarkDelivered(f.Save); err != nil {
		t.Fatal(err)
	}
	f.Close()
	fi, err := os.Stat(filepath.Join(r.dir, "secrets", "ci.key"))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v", fi, err)
	}
	r.converged(d, func(addr string) []string {
		if addr == "out" {
			return []string{out.Reveal()}
		}
		return r.fileReceived(addr)
	})
}

func TestApplyRepairsALostCreate(t *testing.T) {
	r := newRig(t)
	d := r.fileKeys("ci")
	r.loseCreates.Store(1)
	_, res, err := r.run(d, nil)
	if err != nil || !res.Failed() {
		t.Fatalf("the run with a lost create: %v, %+v", err, res.Outcomes)
	}
	var mc *facade.MaybeCreatedError
	if !strings.Contains(res.Outcomes[0].Error, "may have been created") && !errors.As(err, &mc) {
		t.Errorf("outcome = %+v, want the MaybeCreatedError", res.Outcomes[0])
	}
	if n := len(r.live("ci-key")); n != 1 {
		t.Fatalf("%d keys after the lost create, want the 1 orphan", n)
	}
	p := r.plan(d)
	if got := summary(p); len(got) != 2 || got[0] != "key ci repair" || got[1] != "key ci create" {
		t.Fatalf("plan after the lost create: %v", got)
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	if !strings.Contains(res.Outcomes[0].Note, "orphaned") {
		t.Errorf("the repair is not reported: %+v", res.Outcomes[0])
	}
	r.converged(d, r.fileReceived)
}

// TestApplyRecoversFromACrash stops the run where a killed process would
// stop: after the create's answer, before the binding is saved; and after
// the binding, before delivery.
func TestApplyRecoversFromACrash(t *testing.T) {
	for _, point := range []string{"after-create", "after-bind"} {
		t.Run(point, func(t *testing.T) {
			r := newRig(t)
			d := r.fileKeys("ci")
			_, _, err := r.run(d, nil, func(o *applyOptions) { o.stop = func(p string) bool { return p == point } })
			if !errors.Is(err, errStopped) {
				t.Fatalf("err = %v", err)
			}
			if r.fileReceived("ci") != nil {
				t.Fatal("delivered before the crash point")
			}
			_, res, err := r.run(d, nil)
			mustOK(t, res, err)
			r.converged(d, r.fileReceived)
		})
	}
}

func TestApplyReplacesAKeyWhoseExecFailed(t *testing.T) {
	r := newRig(t)
	got := filepath.Join(r.dir, "received")
	flag := filepath.Join(r.dir, "fail")
	os.WriteFile(flag, nil, 0o600)
	// The receiver records what it gets, then fails while the flag exists.
	d := &Desired{Version: 1, Keys: map[string]Key{"ci": {Name: "ci-key", Deliver: &Deliver{
		Exec: "cat >> '" + got + "'; echo >> '" + got + "'; echo receiver says no >&2; test ! -e '" + flag + "'"}}}}
	_, res, err := r.run(d, nil)
	if err != nil || !res.Failed() || !strings.Contains(res.Outcomes[0].Error, "receiver says no") {
		t.Fatalf("the failing exec: %v, %+v", err, res.Outcomes)
	}
	s, _ := ReadStateFile(r.state)
	if !s.Keys["ci"].Undelivered {
		t.Fatal("the key is not recorded undelivered")
	}
	if p := r.plan(d); summary(p)[0] != "key ci replace" {
		t.Fatalf("plan = %v", summary(p))
	}
	os.Remove(flag)
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	r.converged(d, func(string) []string {
		b, _ := os.ReadFile(got)
		return strings.Fields(string(b))
	})
}

func TestApplyRefusesAWritableFolderAndGoesOn(t *testing.T) {
	r := newRig(t)
	open := filepath.Join(r.dir, "open")
	os.Mkdir(open, 0o777)
	os.Chmod(open, 0o777)
	d := r.fileKeys("ok")
	d.Keys["bad"] = Key{Name: "bad-key", Deliver: &Deliver{File: filepath.Join(open, "bad.key")}}
	_, res, err := r.run(d, nil)
	if err != nil || !res.Failed() {
		t.Fatalf("%v, %+v", err, res.Outcomes)
	}
	for _, o := range res.Outcomes {
		if (o.Address == "bad") != (o.Status == StatusFailed) {
			t.Errorf("outcome %+v", o)
		}
	}
	if n := len(r.live("bad-key")); n != 0 {
		t.Errorf("%d keys made for the refused receiver", n)
	}
	delete(d.Keys, "bad")
	r.converged(d, r.fileReceived)
}

func TestApplySecondRunFailsOnTheLock(t *testing.T) {
	r := newRig(t)
	d := r.fileKeys("ci")
	var second error
	_, res, err := r.run(d, nil, WithDeliver(func(ctx context.Context, dl Delivery) error {
		_, _, second = r.run(d, nil) // a second apply while the first holds the lock
		return deliverBuiltin(ctx, dl, nil)
	}))
	mustOK(t, res, err)
	var le *LockedError
	if !errors.As(second, &le) || !strings.Contains(second.Error(), r.state+".lock") {
		t.Fatalf("second apply: %v, want a LockedError naming the lock", second)
	}
	r.converged(d, r.fileReceived)
}

func TestApplyDriftUpdatePruneAndMissing(t *testing.T) {
	r := newRig(t)
	d := r.fileKeys("ci", "old")
	_, res, err := r.run(d, nil)
	mustOK(t, res, err)
	s, _ := ReadStateFile(r.state)
	// Out of band: a limit changed.
	if _, err := facade.APIKeysUpdate(context.Background(), r.c, facade.UpdateKeysRequest{Hash: s.Keys["ci"].Hash,
		RequestBody: facade.UpdateKeysRequestBody{Disabled: ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	p := r.plan(d)
	if got := summary(p); got[0] != "key ci update disabled:true→false(drift)" {
		t.Fatalf("plan = %v", got)
	}
	// Removed from the file: unmanaged, nothing pending.
	delete(d.Keys, "old")
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	if p := r.plan(d); p.Pending() || summary(p)[1] != "key old unmanaged" {
		t.Fatalf("plan = %v", summary(p))
	}
	_, res, err = r.run(d, []PlanOption{WithPrune(PruneDisable)})
	mustOK(t, res, err)
	if k := r.live("old-key"); len(k) != 1 || !k[0].Disabled {
		t.Fatalf("pruned key: %+v", k)
	}
	_, res, err = r.run(d, []PlanOption{WithPrune(PruneDelete)})
	mustOK(t, res, err)
	if k := r.live("old-key"); len(k) != 0 {
		t.Fatalf("deleted key still live: %+v", k)
	}
	// Deleted out of band: reported, recreated only on request.
	if _, err := facade.APIKeysDelete(context.Background(), r.c, facade.DeleteKeysRequest{Hash: s.Keys["ci"].Hash}); err != nil {
		t.Fatal(err)
	}
	if p := r.plan(d); p.Pending() || summary(p)[0] != "key ci missing" {
		t.Fatalf("plan = %v", summary(p))
	}
	_, res, err = r.run(d, []PlanOption{WithRecreateMissing()})
	mustOK(t, res, err)
	r.converged(d, r.fileReceived)
}

func ptr[T any](v T) *T { return &v }

// A run cancelled (Ctrl-C, a deadline) between create and delivery leaves
// an undelivered key: the receiver's command is killed, and the next run
// replaces the key.
func TestApplyCancelledDuringDelivery(t *testing.T) {
	r := newRig(t)
	got := filepath.Join(r.dir, "received")
	d := &Desired{Version: 1, Keys: map[string]Key{"ci": {Name: "ci-key", Deliver: &Deliver{Exec: "cat >> '" + got + "'; echo >> '" + got + "'"}}}}
	f, err := OpenStateFile(r.state, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	p, err := ComputePlan(ctx, r.backend, d, NewState())
	if err != nil {
		t.Fatal(err)
	}
	res, err := Apply(ctx, r.backend, p, WithSave(f.Save), func(o *applyOptions) {
		o.stop = func(point string) bool {
			if point == "after-bind" {
				cancel()
			}
			return false
		}
	})
	f.Close()
	if err != nil || !res.Failed() {
		t.Fatalf("cancelled run: %v, %+v", err, res.Outcomes)
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	r.converged(d, func(string) []string {
		b, _ := os.ReadFile(got)
		return strings.Fields(string(b))
	})
}

// Planning 250 bound keys takes a listing of 100 keys a page, not 250 GETs.
func TestPlanRequestsForManyKeys(t *testing.T) {
	r := newRig(t)
	s := NewState()
	s.Keys = map[string]BoundKey{}
	d := &Desired{Version: 1, Keys: map[string]Key{}}
	for i := range 250 {
		addr := fmt.Sprintf("k%03d", i)
		k, err := r.srv.AddKey(gen.CreateKeysRequestBody{Name: addr})
		if err != nil {
			t.Fatal(err)
		}
		s.Keys[addr] = BoundKey{Hash: k.Data.Hash}
		d.Keys[addr] = Key{Name: addr, Deliver: &Deliver{Stdout: true}}
	}
	r.srv.ResetRequests()
	p, err := ComputePlan(context.Background(), r.backend, d, s)
	if err != nil || p.Pending() {
		t.Fatalf("%v, pending %v", err, p.Pending())
	}
	// The facade's walk may ask for a few pages ahead at once.
	if n := len(r.srv.Requests()); n > 10 {
		t.Errorf("the plan of 250 keys took %d requests, want a few pages' worth, not one a key", n)
	}
}

// A stdout key whose caller never printed it (MarkDelivered not called) is
// replaced by the next run.
func TestApplyReplacesAnUnprintedStdoutKey(t *testing.T) {
	r := newRig(t)
	d := &Desired{Version: 1, Keys: map[string]Key{"out": {Name: "out-key", Deliver: &Deliver{Stdout: true}}}}
	_, res, err := r.run(d, nil)
	mustOK(t, res, err)
	if got := summary(r.plan(d)); got[0] != "key out replace" {
		t.Fatalf("plan = %v", got)
	}
	_, res, err = r.run(d, nil)
	mustOK(t, res, err)
	f, _ := OpenStateFile(r.state, 0)
	res.MarkDelivered(f.Save)
	f.Close()
	r.converged(d, func(string) []string { return []string{res.Keys["out"].Reveal()} })
}

// A folder above the key file's that others may write is refused too,
// unless it has the sticky bit (as /tmp has): otherwise another user could
// rename the private folder below it and put their own in its place.
func TestReceiverRefusesAWritableAncestor(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no POSIX modes on Windows")
	}
	base := t.TempDir()
	open := filepath.Join(base, "open")
	sticky := filepath.Join(base, "sticky")
	for _, dir := range []string{filepath.Join(open, "private"), filepath.Join(sticky, "private")} {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			t.Fatal(err)
		}
	}
	os.Chmod(open, 0o777)
	os.Chmod(sticky, 0o777|os.ModeSticky)
	err := checkReceiver(&Deliver{File: filepath.Join(open, "private", "ci.key")})
	if err == nil || !strings.Contains(err.Error(), "the folder "+open+", above "+filepath.Join(open, "private")+", is group- or world-writable without the sticky bit") {
		t.Errorf("a world-writable ancestor: %v", err)
	}
	if err := checkReceiver(&Deliver{File: filepath.Join(sticky, "private", "ci.key")}); err != nil {
		t.Errorf("a sticky world-writable ancestor (like /tmp): %v", err)
	}
}
