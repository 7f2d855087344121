package facade_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/orkeys/orkeys/facade"
	"github.com/orkeys/orkeys/fake"
)

const otherWorkspace = "0df9e665-d932-5740-b2c7-b52af166bc11"

// newRotateHarness is newHarness over a fake built with opts (a clock).
func newRotateHarness(t *testing.T, opts ...fake.Option) *harness {
	t.Helper()
	h := newHarness(t)
	h.srv.Close()
	h.srv = fake.NewServer(opts...)
	t.Cleanup(h.srv.Close)
	c, err := facade.New(
		facade.WithAPIKey(h.srv.ManagementKey),
		facade.WithServerURL(h.srv.URL),
		facade.WithHTTPClient(&http.Client{Transport: h.tr}),
		facade.WithTestClock(h.clock),
	)
	if err != nil {
		t.Fatal(err)
	}
	h.c = c
	return h
}

// seedFull seeds a key with every setting a rotation copies, and some spend.
func seedFull(t *testing.T, h *harness, expires time.Time) facade.APIKey {
	t.Helper()
	k, err := h.srv.AddKey(facade.CreateKeysRequestBody{
		Name:               "customer-42",
		Limit:              facade.Ptr(25.0),
		LimitReset:         facade.Ptr(facade.LimitResetWeekly),
		IncludeByokInLimit: facade.Ptr(true),
		ExpiresAt:          &expires,
		WorkspaceID:        facade.Ptr(otherWorkspace),
		CreatorUserID:      facade.Ptr("user_2dHFcustomer42"),
		External:           &facade.ExternalIdentity{User: "cust-42", APIKey: facade.Ptr(strings.Repeat("x", 40))},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.srv.SetUsage(k.Data.Hash, fake.Usage{Usage: 30, Weekly: 20, BYOKWeekly: 1}); err != nil {
		t.Fatal(err)
	}
	return k.Data
}

// methods lists "METHOD /path-template" of every request the fake saw.
func methods(h *harness) []string {
	var out []string
	for _, r := range h.srv.Requests() {
		p := strings.TrimPrefix(r.Path, "/api/v1")
		if strings.HasPrefix(p, "/keys/") {
			p = "/keys/{hash}"
		}
		out = append(out, r.Method+" "+p)
	}
	return out
}

func wantRequests(t *testing.T, h *harness, want ...string) {
	t.Helper()
	if got := methods(h); strings.Join(got, ", ") != strings.Join(want, ", ") {
		t.Fatalf("requests = %v, want %v", got, want)
	}
}

func getKey(t *testing.T, h *harness, hash string) (facade.APIKey, error) {
	t.Helper()
	r, err := h.c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: hash})
	if err != nil {
		return facade.APIKey{}, err
	}
	return r.Data, nil
}

// The successor copies every setting the issue lists, byte for byte in the
// POST body; its spend window starts fresh; the old key ends up disabled.
func TestRotateCopiesSettingsAndDisablesOld(t *testing.T) {
	h := newRotateHarness(t)
	expires := time.Now().Add(72 * time.Hour).UTC().Truncate(time.Second)
	old := seedFull(t, h, expires)

	res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash})
	if err != nil {
		t.Fatal(err)
	}
	wantRequests(t, h, "GET /keys/{hash}", "POST /keys", "PATCH /keys/{hash}")

	post := h.requests(http.MethodPost, "/keys")[0]
	want := `{"creator_user_id":"user_2dHFcustomer42","expires_at":"` + expires.Format(time.RFC3339) + `",` +
		`"external":{"user":"cust-42"},"include_byok_in_limit":true,"limit":25,"limit_reset":"weekly",` +
		`"name":"customer-42","workspace_id":"` + otherWorkspace + `"}`
	if string(post.Body) != want {
		t.Errorf("POST body = %s\nwant         %s", post.Body, want)
	}
	patch := h.requests(http.MethodPatch, "/keys/{hash}")[0]
	if patch.Path != "/api/v1/keys/"+old.Hash || string(patch.Body) != `{"disabled":true}` {
		t.Errorf("PATCH %s %s, want the old key disabled", patch.Path, patch.Body)
	}

	n := res.New.Data
	if !strings.HasPrefix(res.New.Key.Reveal(), "sk-or-v1-") || n.Hash == old.Hash || n.Hash == "" {
		t.Fatalf("successor %+v: want a new hash and its plaintext", n)
	}
	if n.Name != "customer-42" || *n.Limit != 25 || *n.LimitReset != facade.LimitResetWeekly ||
		!n.IncludeByokInLimit || !n.ExpiresAt.Equal(expires) || n.WorkspaceID != otherWorkspace ||
		*n.CreatorUserID != "user_2dHFcustomer42" || n.ExternalUser == nil || *n.ExternalUser != "cust-42" || n.Disabled {
		t.Errorf("successor does not copy the old key: %+v", n)
	}
	// The spend window starts fresh.
	if *n.LimitRemaining != *n.Limit || n.Usage != 0 {
		t.Errorf("successor limit_remaining %v, usage %v: want the full limit and no usage", *n.LimitRemaining, n.Usage)
	}
	// 20 weekly and 1 BYOK weekly spent: the spend stays with the old key.
	if old, err := getKey(t, h, old.Hash); err != nil || *old.LimitRemaining != 4 {
		t.Errorf("old key %+v, %v: want $4 left under its limit", old, err)
	}

	if res.Old == nil || res.Old.Hash != old.Hash || !res.Old.Disabled {
		t.Errorf("res.Old = %+v, want the old key, disabled", res.Old)
	}
	if got, err := getKey(t, h, old.Hash); err != nil || !got.Disabled {
		t.Errorf("old key on the server: %+v, %v; want disabled", got, err)
	}
}

// Each OldKeyAction does what it says, and res.Old says how the old key
// stands.
func TestRotateOldKeyActions(t *testing.T) {
	for _, tc := range []struct {
		action       facade.OldKeyAction
		third        []string
		gone         bool
		wantDisabled bool
	}{
		{facade.RotateDisableOld, []string{"PATCH /keys/{hash}"}, false, true},
		{facade.RotateDeleteOld, []string{"DELETE /keys/{hash}"}, true, false},
		{facade.RotateKeepOld, nil, false, false},
	} {
		t.Run(tc.action.String(), func(t *testing.T) {
			h := newRotateHarness(t)
			old := h.seed("ci-runner").Data
			res, err := facade.APIKeysRotate(bounded(t), h.c, facade.RotateKeyRequest{Hash: old.Hash, Old: tc.action})
			if err != nil {
				t.Fatal(err)
			}
			wantRequests(t, h, append([]string{"GET /keys/{hash}", "POST /keys"}, tc.third...)...)
			if res.Old.Hash != old.Hash || res.Old.Disabled != tc.wantDisabled {
				t.Errorf("res.Old = %+v, want disabled=%v", res.Old, tc.wantDisabled)
			}
			got, err := getKey(t, h, old.Hash)
			var nf *facade.NotFoundResponseError
			switch {
			case tc.gone && !errors.As(err, &nf):
				t.Errorf("old key after delete: %+v, %v; want 404", got, err)
			case !tc.gone && (err != nil || got.Disabled != tc.wantDisabled):
				t.Errorf("old key: %+v, %v; want disabled=%v", got, err, tc.wantDisabled)
			}
			if n, err := getKey(t, h, res.New.Data.Hash); err != nil || n.Disabled || n.Name != "ci-runner" {
				t.Errorf("successor on the server: %+v, %v", n, err)
			}
		})
	}
}

// Name and ExpiresAt replace what would be copied; the expiry goes out in UTC.
func TestRotateOverridesNameAndExpiry(t *testing.T) {
	h := newRotateHarness(t)
	old := seedFull(t, h, time.Now().Add(time.Hour).UTC().Truncate(time.Second))
	berlin := time.FixedZone("CEST", 2*60*60)
	expires := time.Now().Add(30 * 24 * time.Hour).In(berlin).Truncate(time.Second)
	res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{
		Hash: old.Hash, Old: facade.RotateKeepOld, Name: facade.Ptr("customer-42-v2"), ExpiresAt: &expires,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := res.New.Data; n.Name != "customer-42-v2" || !n.ExpiresAt.Equal(expires) || *n.Limit != 25 {
		t.Errorf("successor %+v: want the new name and expiry, the old limit", n)
	}
	var body map[string]any
	if err := json.Unmarshal(h.requests(http.MethodPost, "/keys")[0].Body, &body); err != nil {
		t.Fatal(err)
	}
	if body["expires_at"] != expires.UTC().Format(time.RFC3339) {
		t.Errorf("expires_at sent as %v, want UTC", body["expires_at"])
	}
}

// An expiry already past is not copied (the API would refuse it); a key
// without an expiry gives a successor without one.
func TestRotateDropsPastExpiry(t *testing.T) {
	var skew atomic.Int64 // how far the fake's clock lags the real one
	skew.Store(int64(2 * time.Hour))
	h := newRotateHarness(t, fake.WithClock(func() time.Time { return time.Now().Add(-time.Duration(skew.Load())) }))
	expired, err := h.srv.AddKey(facade.CreateKeysRequestBody{Name: "expired", ExpiresAt: facade.Ptr(time.Now().Add(-time.Hour).UTC())})
	if err != nil {
		t.Fatal(err)
	}
	never := h.seed("never")
	skew.Store(0)

	for _, old := range []facade.CreateKeysResponse{expired, never} {
		res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Data.Hash})
		if err != nil {
			t.Fatalf("%s: %v", old.Data.Name, err)
		}
		if res.New.Data.ExpiresAt != nil {
			t.Errorf("%s: successor expires %v, want never", old.Data.Name, res.New.Data.ExpiresAt)
		}
	}
	for _, r := range h.requests(http.MethodPost, "/keys") {
		if strings.Contains(string(r.Body), "expires_at") {
			t.Errorf("POST body %s carries an expiry", r.Body)
		}
	}
}

// A key holding a reset period but no limit (its limit cleared later) gives
// a successor with neither: a create sending the period alone is refused.
func TestRotateDropsAResetWithoutLimit(t *testing.T) {
	h := newRotateHarness(t)
	old, err := h.srv.AddKey(facade.CreateKeysRequestBody{Name: "reset-only", Limit: facade.Ptr(5.0), LimitReset: facade.Ptr(facade.LimitResetDaily)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: old.Data.Hash, RequestBody: facade.UpdateKeysRequestBody{Limit: facade.Null[float64]()}}); err != nil {
		t.Fatal(err)
	}
	got, err := h.c.APIKeys.Get(t.Context(), facade.GetKeyRequest{Hash: old.Data.Hash})
	if err != nil || got.Data.LimitReset == nil || got.Data.Limit != nil {
		t.Fatalf("the fake should keep the period without the limit: %+v, %v", got, err)
	}
	res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Data.Hash})
	if err != nil {
		t.Fatal(err)
	}
	if res.New.Data.Limit != nil || res.New.Data.LimitReset != nil {
		t.Errorf("successor limit %v, reset %v; want neither", res.New.Data.Limit, res.New.Data.LimitReset)
	}
}

// Rotating a disabled key gives an enabled successor.
func TestRotateDisabledKeyGivesEnabledSuccessor(t *testing.T) {
	h := newRotateHarness(t)
	old := h.seed("paused").Data
	if _, err := h.c.APIKeys.Update(t.Context(), facade.UpdateKeysRequest{Hash: old.Hash, RequestBody: facade.UpdateKeysRequestBody{Disabled: facade.Ptr(true)}}); err != nil {
		t.Fatal(err)
	}
	res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash, Old: facade.RotateKeepOld})
	if err != nil {
		t.Fatal(err)
	}
	if res.New.Data.Disabled || !res.Old.Disabled {
		t.Errorf("successor disabled=%v, old disabled=%v; want false, true", res.New.Data.Disabled, res.Old.Disabled)
	}
}

// Reading the old key fails: nothing is created, and the typed error comes
// back with the old hash named.
func TestRotateReadFailsCreatesNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fault *fake.Fault
		hash  string
		check func(error) bool
	}{
		{"unknown hash", nil, strings.Repeat("ab", 32), func(err error) bool {
			var nf *facade.NotFoundResponseError
			return errors.As(err, &nf)
		}},
		{"403", &fake.Fault{Method: "GET", Path: "/keys/{hash}", Status: http.StatusForbidden}, "", func(err error) bool {
			var fb *facade.ForbiddenResponseError
			return errors.As(err, &fb)
		}},
		{"dropped connection", &fake.Fault{Method: "GET", Path: "/keys/{hash}", Drop: true}, "", func(err error) bool {
			var re *facade.RetryError
			return err != nil && !errors.As(err, &re) // no retries: see fast(false) below
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRotateHarness(t)
			old := h.seed("ci").Data
			hash := old.Hash
			if tc.hash != "" {
				hash = tc.hash
			}
			if tc.fault != nil {
				// The first request opens a fresh connection, so Go's
				// transport does not re-send the dropped GET by itself.
				h.srv.Inject(*tc.fault)
			}
			res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: hash}, fast(false))
			if res != nil || !tc.check(err) || !strings.Contains(err.Error(), hash) {
				t.Fatalf("res %+v, err %v: want no response and the typed error naming %s", res, err, hash)
			}
			if n := h.count("POST", "/keys") + h.count("PATCH", "/keys/{hash}") + h.count("DELETE", "/keys/{hash}"); n != 0 {
				t.Errorf("%d requests that change state, want none: %v", n, methods(h))
			}
			if got, err := getKey(t, h, old.Hash); err != nil || got.Disabled {
				t.Errorf("old key %+v, %v: want it untouched", got, err)
			}
		})
	}
}

// Creating the successor fails: the old key is untouched, and the create's
// error comes back with *MaybeCreatedError reachable when the outcome is
// open.
func TestRotateCreateFailsLeavesOldKey(t *testing.T) {
	for _, tc := range []struct {
		name         string
		fault        fake.Fault
		maybeCreated bool
		typed        func(error) bool
	}{
		{"500", fake.Fault{Status: http.StatusInternalServerError}, true, func(err error) bool {
			var ise *facade.InternalServerResponseError
			return errors.As(err, &ise)
		}},
		{"dropped after sending", fake.Fault{Drop: true}, true, func(error) bool { return true }},
		{"400", fake.Fault{Status: http.StatusBadRequest}, false, func(err error) bool {
			var br *facade.BadRequestResponseError
			return errors.As(err, &br)
		}},
		{"403", fake.Fault{Status: http.StatusForbidden}, false, func(err error) bool {
			var fb *facade.ForbiddenResponseError
			return errors.As(err, &fb)
		}},
	} {
		for _, action := range []facade.OldKeyAction{facade.RotateDisableOld, facade.RotateDeleteOld} {
			t.Run(tc.name+"/"+action.String(), func(t *testing.T) {
				h := newRotateHarness(t)
				old := h.seed("ci").Data
				f := tc.fault
				f.Method, f.Path = "POST", "/keys"
				h.srv.Inject(f)
				res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash, Old: action})
				if err == nil || res != nil || !tc.typed(err) {
					t.Fatalf("res %+v, err %v: want no response and the create's typed error", res, err)
				}
				var mc *facade.MaybeCreatedError
				if errors.As(err, &mc) != tc.maybeCreated || (tc.maybeCreated && mc.Name != "ci") {
					t.Errorf("err %v: MaybeCreatedError reachable = %v, want %v (for %q)", err, errors.As(err, &mc), tc.maybeCreated, "ci")
				}
				if !strings.Contains(err.Error(), old.Hash) || !strings.Contains(err.Error(), "untouched") {
					t.Errorf("err %q should name the old key and say it is untouched", err)
				}
				if h.count("POST", "/keys") != 1 {
					t.Errorf("POST sent %d times, want once (never retried)", h.count("POST", "/keys"))
				}
				if n := h.count("PATCH", "/keys/{hash}") + h.count("DELETE", "/keys/{hash}"); n != 0 {
					t.Errorf("the old key was acted on: %v", methods(h))
				}
				if got, err := getKey(t, h, old.Hash); err != nil || got.Disabled {
					t.Errorf("old key %+v, %v: want it untouched", got, err)
				}
			})
		}
	}
}

// The step on the old key fails: both the response, with the successor's
// plaintext, and an error naming both hashes that wraps the step's typed
// error.
func TestRotateOldStepFailsKeepsSuccessor(t *testing.T) {
	for _, tc := range []struct {
		name   string
		action facade.OldKeyAction
		faults []fake.Fault
		opts   []facade.Option
		typed  func(error) bool
	}{
		{"disable 403", facade.RotateDisableOld, []fake.Fault{{Method: "PATCH", Path: "/keys/{hash}", Status: http.StatusForbidden}}, nil,
			func(err error) bool { var fb *facade.ForbiddenResponseError; return errors.As(err, &fb) }},
		{"delete 403", facade.RotateDeleteOld, []fake.Fault{{Method: "DELETE", Path: "/keys/{hash}", Status: http.StatusForbidden}}, nil,
			func(err error) bool { var fb *facade.ForbiddenResponseError; return errors.As(err, &fb) }},
		{"delete 404", facade.RotateDeleteOld, []fake.Fault{{Method: "DELETE", Path: "/keys/{hash}", Status: http.StatusNotFound}}, nil,
			func(err error) bool { var nf *facade.NotFoundResponseError; return errors.As(err, &nf) }},
		{"disable 503 until retries run out", facade.RotateDisableOld,
			// The test clock skips the waits; the budget allows 3 or 4 attempts.
			repeat(6, fake.Fault{Method: "PATCH", Path: "/keys/{hash}", Status: http.StatusServiceUnavailable}),
			[]facade.Option{facade.WithRetryConfig(facade.RetryConfig{Backoff: &facade.BackoffStrategy{
				InitialInterval: time.Second, MaxInterval: time.Second, MaxElapsedTime: 3 * time.Second}})},
			func(err error) bool {
				var re *facade.RetryError
				var api *facade.APIError
				return errors.As(err, &re) && errors.As(err, &api) && api.StatusCode == 503
			}},
		{"disable hangs past the timeout", facade.RotateDisableOld, []fake.Fault{{Method: "PATCH", Path: "/keys/{hash}", Hang: true}},
			[]facade.Option{facade.WithTimeout(300 * time.Millisecond)},
			func(err error) bool { return errors.Is(err, context.DeadlineExceeded) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRotateHarness(t)
			old := h.seed("ci").Data
			h.srv.Inject(tc.faults...)
			res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash, Old: tc.action}, tc.opts...)
			if err == nil || !tc.typed(err) {
				t.Fatalf("err = %v, want the step's typed error", err)
			}
			if res == nil || res.New == nil || !strings.HasPrefix(res.New.Key.Reveal(), "sk-or-v1-") {
				t.Fatalf("res = %+v: the successor's plaintext was lost", res)
			}
			newHash := res.New.Data.Hash
			if !strings.Contains(err.Error(), old.Hash) || !strings.Contains(err.Error(), newHash) {
				t.Errorf("err %q does not name both %s and %s", err, old.Hash, newHash)
			}
			var re *facade.RotateOldKeyError
			if !errors.As(err, &re) || re.OldHash != old.Hash || re.NewHash != newHash || re.Action != tc.action {
				t.Errorf("err %v: want a *RotateOldKeyError for %s → %s, %v", err, old.Hash, newHash, tc.action)
			}
			if strings.Contains(err.Error(), res.New.Key.Reveal()) {
				t.Error("the error spells the successor's plaintext")
			}
			if res.Old == nil || res.Old.Hash != old.Hash || res.Old.Disabled {
				t.Errorf("res.Old = %+v, want the old key as read", res.Old)
			}
			if n, err := getKey(t, h, newHash); err != nil || n.Disabled {
				t.Errorf("successor on the server: %+v, %v; want it live", n, err)
			}
			if n := h.count("PATCH", "/keys/{hash}") + h.count("DELETE", "/keys/{hash}"); n < 1 || n > 4 {
				t.Errorf("the step on the old key was tried %d times", n)
			}
		})
	}
}

// Bad input is refused before anything is sent.
func TestRotateInvalidInputSendsNothing(t *testing.T) {
	zero := time.Time{}
	for _, tc := range []struct {
		name string
		req  facade.RotateKeyRequest
		want string
	}{
		{"empty hash", facade.RotateKeyRequest{}, "empty key hash"},
		{"dot hash", facade.RotateKeyRequest{Hash: ".."}, "not a key hash"},
		{"unknown action", facade.RotateKeyRequest{Hash: testHash, Old: facade.OldKeyAction(7)}, "RotateKeyRequest.Old OldKeyAction(7)"},
		{"empty name", facade.RotateKeyRequest{Hash: testHash, Name: facade.Ptr("")}, "RotateKeyRequest.Name"},
		{"zero expiry", facade.RotateKeyRequest{Hash: testHash, ExpiresAt: &zero}, "RotateKeyRequest.ExpiresAt"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newRotateHarness(t)
			res, err := facade.APIKeysRotate(bounded(t), h.c, tc.req)
			if res != nil || !errors.Is(err, facade.ErrInvalidInput) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("res %v, err %v: want ErrInvalidInput saying %q", res, err, tc.want)
			}
			if n := len(h.srv.Requests()); n != 0 {
				t.Errorf("%d requests sent, want none", n)
			}
		})
	}
	h := newRotateHarness(t)
	//lint:ignore SA1012 a nil context is the input under test
	if _, err := facade.APIKeysRotate(nil, h.c, facade.RotateKeyRequest{Hash: testHash}); !errors.Is(err, facade.ErrInvalidInput) {
		t.Errorf("nil context: err = %v, want ErrInvalidInput", err)
	}
}

// A create answered 2XX without the plaintext: the response comes back so
// that the caller can delete the unusable key by hash; the old key stays.
func TestRotateCreateWithoutPlaintext(t *testing.T) {
	h := newRotateHarness(t)
	old := h.seed("ci").Data
	h.srv.Inject(fake.Fault{Method: "POST", Path: "/keys", Status: http.StatusCreated,
		Body: `{"data":{"hash":"` + strings.Repeat("cd", 32) + `","name":"ci"}}`})
	res, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash})
	var mc *facade.MaybeCreatedError
	if !errors.As(err, &mc) || res == nil || res.New.Data.Hash != strings.Repeat("cd", 32) {
		t.Fatalf("res %+v, err %v: want the half response and a MaybeCreatedError", res, err)
	}
	if h.count("PATCH", "/keys/{hash}") != 0 {
		t.Error("the old key was disabled although the successor has no usable key")
	}
}

func TestOldKeyActionString(t *testing.T) {
	for a, want := range map[facade.OldKeyAction]string{
		facade.RotateDisableOld: "disable", facade.RotateDeleteOld: "delete", facade.RotateKeepOld: "keep", 9: "OldKeyAction(9)",
	} {
		if a.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(a), a.String(), want)
		}
	}
	var zero facade.OldKeyAction
	if zero != facade.RotateDisableOld {
		t.Error("the zero OldKeyAction must disable the old key")
	}
}

// Per-call options reach every request of a rotation.
func TestRotateOptionsReachEveryStep(t *testing.T) {
	h := newRotateHarness(t)
	old := h.seed("ci").Data
	if _, err := h.c.APIKeys.Rotate(bounded(t), facade.RotateKeyRequest{Hash: old.Hash}, facade.WithHeader("X-Trace", "rot-1")); err != nil {
		t.Fatal(err)
	}
	reqs := h.srv.Requests()
	if len(reqs) != 3 {
		t.Fatalf("%d requests, want 3", len(reqs))
	}
	for _, r := range reqs {
		if r.Header.Get("X-Trace") != "rot-1" {
			t.Errorf("%s %s without the call's header", r.Method, r.Path)
		}
	}
}

// Deliver receives the successor, plaintext included, after the create and
// before the old key is touched; when it fails, the old key stays as it
// was and the response still carries the plaintext.
func TestRotateDeliverComesBeforeTheOldKey(t *testing.T) {
	h := newHarness(t)
	old := h.seed("ci")
	var delivered string
	req := facade.RotateKeyRequest{Hash: old.Data.Hash, Old: facade.RotateDeleteOld, Deliver: func(_ context.Context, n *facade.CreateKeysResponse) error {
		if got := h.count(http.MethodDelete, "/keys/{hash}"); got != 0 {
			t.Errorf("Deliver ran after %d DELETEs of the old key", got)
		}
		delivered = n.Key.Reveal()
		return nil
	}}
	res, err := h.c.APIKeys.Rotate(bounded(t), req)
	if err != nil || delivered == "" || delivered != res.New.Key.Reveal() || h.count(http.MethodDelete, "/keys/{hash}") != 1 {
		t.Fatalf("rotate: %v; delivered %t; want the successor delivered, then the old key deleted", err, delivered != "")
	}

	old = h.seed("ci-2")
	refused := errors.New("vault is sealed")
	req = facade.RotateKeyRequest{Hash: old.Data.Hash, Old: facade.RotateDisableOld, Deliver: func(context.Context, *facade.CreateKeysResponse) error { return refused }}
	res, err = h.c.APIKeys.Rotate(bounded(t), req)
	if !errors.Is(err, refused) || res == nil || res.New == nil || res.New.Key.IsZero() {
		t.Fatalf("rotate with a failing Deliver: %v, %+v; want its error and the successor", err, res)
	}
	if n := h.count(http.MethodPatch, "/keys/{hash}"); n != 0 {
		t.Errorf("the old key was patched %d times after Deliver failed, want 0", n)
	}
	got, err := h.c.APIKeys.Get(bounded(t), facade.GetKeyRequest{Hash: old.Data.Hash})
	if err != nil || got.Data.Disabled {
		t.Errorf("old key after a failed Deliver: %v, disabled %v; want it untouched", err, got != nil && got.Data.Disabled)
	}
}
