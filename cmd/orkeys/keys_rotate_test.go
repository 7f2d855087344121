package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

var plaintextRE = regexp.MustCompile(`sk-or-v1-[0-9a-f]{64}`)

// printedKey returns the one plaintext in out and the hash the API gives
// it (the hex SHA-256 of the plaintext).
func printedKey(t *testing.T, out string) (plaintext, hash string) {
	t.Helper()
	all := plaintextRE.FindAllString(out, -1)
	if len(all) != 1 {
		t.Fatalf("want the new key's plaintext once in the output, found %d:\n%s", len(all), out)
	}
	sum := sha256.Sum256([]byte(all[0]))
	return all[0], hex.EncodeToString(sum[:])
}

// keyByHash finds hash among every key of srv, disabled ones included.
func keyByHash(t *testing.T, srv *fake.Server, hash string) (gen.APIKey, bool) {
	t.Helper()
	for _, k := range listed(t, srv) {
		if k.Hash == hash {
			return k, true
		}
	}
	return gen.APIKey{}, false
}

// methodsSent lists "METHOD /path" for every request srv saw, hashes
// replaced by {hash}.
func methodsSent(srv *fake.Server) string {
	var out []string
	for _, r := range srv.Requests() {
		p := strings.TrimPrefix(r.Path, "/api/v1")
		if strings.HasPrefix(p, "/keys/") {
			p = "/keys/{hash}"
		}
		out = append(out, r.Method+" "+p)
	}
	return strings.Join(out, ", ")
}

func TestKeysRotate(t *testing.T) {
	for _, c := range []struct {
		old      string
		requests string
		line     string
		state    func(gen.APIKey, bool) bool // the old key afterwards: found, and as wanted
	}{
		{"", "GET /keys/{hash}, POST /keys, PATCH /keys/{hash}", "disabled",
			func(k gen.APIKey, found bool) bool { return found && k.Disabled }},
		{"disable", "GET /keys/{hash}, POST /keys, PATCH /keys/{hash}", "disabled",
			func(k gen.APIKey, found bool) bool { return found && k.Disabled }},
		{"delete", "GET /keys/{hash}, POST /keys, DELETE /keys/{hash}", "deleted",
			func(_ gen.APIKey, found bool) bool { return !found }},
		{"keep", "GET /keys/{hash}, POST /keys", "enabled (kept: disable or delete it after the grace period)",
			func(k gen.APIKey, found bool) bool { return found && !k.Disabled }},
	} {
		t.Run("old="+c.old, func(t *testing.T) {
			srv, e := newFake(t)
			keys := seed(t, srv)
			gamma := keys[2].Data // $2.50 monthly, BYOK counted, $1.25 spent
			srv.ResetRequests()
			args := []string{"keys", "rotate", gamma.Hash}
			if c.old != "" {
				args = append(args, "--old", c.old)
			}
			r := runCLI(t, e, "", args...)
			wantCode(t, r, exitOK)
			if got := methodsSent(srv); got != c.requests {
				t.Errorf("requests %s, want %s", got, c.requests)
			}
			plaintext, hash := printedKey(t, r.stdout)
			if !strings.Contains(r.stdout, "New key (shown once, store it now): "+plaintext+"\n") {
				t.Errorf("stdout does not present the plaintext:\n%s", r.stdout)
			}
			if want := "Old key " + gamma.Hash + ": " + c.line + "\n"; !strings.HasSuffix(r.stdout, want) {
				t.Errorf("stdout should end with %q:\n%s", want, r.stdout)
			}
			n, ok := keyByHash(t, srv, hash)
			if !ok || n.Name != "gamma" || *n.Limit != 2.5 || *n.LimitReset != gen.LimitResetMonthly || !n.IncludeByokInLimit || n.Disabled {
				t.Errorf("successor %+v (found %v) does not copy gamma", n, ok)
			}
			// The spend window starts fresh.
			if *n.LimitRemaining != 2.5 || !regexp.MustCompile(`Limit remaining:\s+\$2\.50\n`).MatchString(r.stdout) {
				t.Errorf("successor's remaining limit %v, want the whole $2.50:\n%s", *n.LimitRemaining, r.stdout)
			}
			if old, found := keyByHash(t, srv, gamma.Hash); !c.state(old, found) {
				t.Errorf("old key afterwards: %+v (found %v)", old, found)
			}
			if r.stderr != "" {
				t.Errorf("stderr %q", r.stderr)
			}
		})
	}
}

// --name and --expires-at replace what would be copied.
func TestKeysRotateNameAndExpiry(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "rotate", keys[1].Data.Hash, "--name", "beta-2", "--expires-at", "2090-06-01T12:00:00+02:00", "--old", "keep")
	wantCode(t, r, exitOK)
	body := lastBody(t, srv, http.MethodPost)
	var sent map[string]any
	if err := json.Unmarshal(body, &sent); err != nil {
		t.Fatal(err)
	}
	if sent["name"] != "beta-2" || sent["expires_at"] != "2090-06-01T10:00:00Z" {
		t.Errorf("POST body %s: want the new name and the expiry in UTC", body)
	}

	// Without --expires-at the old key's expiry, still ahead, is copied.
	r = runCLI(t, e, "", "keys", "rotate", keys[1].Data.Hash, "--old", "keep")
	wantCode(t, r, exitOK)
	if err := json.Unmarshal(lastBody(t, srv, http.MethodPost), &sent); err != nil || sent["expires_at"] != "2099-01-01T00:00:00Z" {
		t.Errorf("POST body %v: want beta's expiry copied", sent)
	}
}

func TestKeysRotateJSON(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	r := runCLI(t, e, "", "keys", "rotate", keys[0].Data.Hash, "-o", "json")
	wantCode(t, r, exitOK)
	var got rotationJSON
	decodeOne(t, r.stdout, &got)
	_, hash := printedKey(t, r.stdout)
	if got.Data.Hash != hash || got.Data.Name != "alpha" || got.Old == nil || got.Old.Hash != keys[0].Data.Hash || !got.Old.Disabled ||
		got.OldAction != "disable" || got.OldState != "disabled" || !got.Complete {
		t.Errorf("rotate -o json: %+v", got)
	}
	// The same shape as keys create -o json: .key and .data.hash.
	var created gen.CreateKeysResponse
	if err := json.Unmarshal([]byte(r.stdout), &created); err != nil || created.Key.Reveal() != plaintextRE.FindString(r.stdout) {
		t.Errorf("not readable as a create answer: %v", err)
	}
	if r.stderr != "" {
		t.Errorf("stderr %q", r.stderr)
	}
}

// The step on the old key fails: the new key is printed, then the error,
// and the exit code is 5.
func TestKeysRotatePartialFailure(t *testing.T) {
	for _, c := range []struct {
		name  string
		old   string
		fault fake.Fault
		fix   string
	}{
		{"disable refused", "disable", fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusForbidden}, "orkeys keys update %s --disable"},
		{"delete 503", "delete", fake.Fault{Method: http.MethodDelete, Path: "/keys/{hash}", Status: http.StatusServiceUnavailable}, "orkeys keys delete %s --yes"},
		{"delete past --timeout", "delete", fake.Fault{Method: http.MethodDelete, Path: "/keys/{hash}", Hang: true}, "orkeys keys delete %s --yes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, e := newFake(t)
			keys := seed(t, srv)
			old := keys[0].Data.Hash
			srv.Inject(c.fault)
			// One buffer for both streams, to see what comes first.
			var both bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			code := run(ctx, []string{"keys", "rotate", old, "--old", c.old, "--retries", "0", "--timeout", "2s"}, strings.NewReader(""), &both, &both, e.get)
			out := both.String()
			if code != exitAmbiguous {
				t.Fatalf("exit %d, want %d:\n%s", code, exitAmbiguous, out)
			}
			plaintext, hash := printedKey(t, out)
			errAt := strings.Index(out, "orkeys: ")
			if errAt < 0 || strings.Index(out, plaintext) > errAt {
				t.Errorf("the plaintext must come before the error:\n%s", out)
			}
			msg := out[errAt:]
			for _, want := range []string{old, hash, strings.ReplaceAll(c.fix, "%s", old), "the outcome is unknown"} {
				if !strings.Contains(msg, want) {
					t.Errorf("error lacks %q:\n%s", want, msg)
				}
			}
			if !strings.Contains(out, "Old key "+old+": could not be "+c.old+"d") {
				t.Errorf("stdout does not say the old key is untouched:\n%s", out)
			}
			if n, ok := keyByHash(t, srv, hash); !ok || n.Disabled {
				t.Errorf("the new key should be live: %+v", n)
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		srv, e := newFake(t)
		keys := seed(t, srv)
		srv.Inject(fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusForbidden})
		r := runCLI(t, e, "", "keys", "rotate", keys[0].Data.Hash, "-o", "json")
		wantCode(t, r, exitAmbiguous)
		var got rotationJSON
		decodeOne(t, r.stdout, &got)
		if got.Complete || got.OldState != "unknown" || got.Key == "" || got.Data.Hash == "" {
			t.Errorf("partial rotation as JSON: %+v", got)
		}
		if !strings.Contains(r.stderr, "403 Forbidden") {
			t.Errorf("stderr %q", r.stderr)
		}
	})
}

// A failed read or create leaves the old key alone and exits with the
// code of its error; nothing is printed on stdout.
func TestKeysRotateFailsBeforeTheSuccessor(t *testing.T) {
	missing := strings.Repeat("0", 64)
	for _, c := range []struct {
		name   string
		fault  *fake.Fault
		hash   string // "" for alpha
		code   int
		stderr string
		sent   string
	}{
		{"unknown hash", nil, missing, exitNotFound, "404 Not Found", "GET /keys/{hash}"},
		{"read refused", &fake.Fault{Method: http.MethodGet, Path: "/keys/{hash}", Status: http.StatusForbidden}, "", exitAuth, "403 Forbidden", "GET /keys/{hash}"},
		{"create refused", &fake.Fault{Method: http.MethodPost, Path: "/keys", Status: http.StatusForbidden}, "", exitAuth, "the old key is untouched", "GET /keys/{hash}, POST /keys"},
		{"create may have happened", &fake.Fault{Method: http.MethodPost, Path: "/keys", Status: http.StatusInternalServerError}, "", exitAmbiguous,
			`the key "alpha" may have been created`, "GET /keys/{hash}, POST /keys"},
	} {
		t.Run(c.name, func(t *testing.T) {
			srv, e := newFake(t)
			keys := seed(t, srv)
			hash := c.hash
			if hash == "" {
				hash = keys[0].Data.Hash
			}
			if c.fault != nil {
				srv.Inject(*c.fault)
			}
			srv.ResetRequests()
			r := runCLI(t, e, "", "keys", "rotate", hash, "--retries", "0")
			wantCode(t, r, c.code)
			if !strings.Contains(r.stderr, c.stderr) || r.stdout != "" {
				t.Errorf("stderr should say %q, stdout be empty:\n%s", c.stderr, r)
			}
			if got := methodsSent(srv); got != c.sent {
				t.Errorf("requests %s, want %s", got, c.sent)
			}
			if old, ok := keyByHash(t, srv, keys[0].Data.Hash); !ok || old.Disabled {
				t.Errorf("alpha should be untouched: %+v", old)
			}
		})
	}
}

func TestKeysRotateUsageErrors(t *testing.T) {
	srv, e := newFake(t)
	keys := seed(t, srv)
	h := keys[0].Data.Hash
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"keys", "rotate"}, "keys rotate takes one HASH"},
		{[]string{"keys", "rotate", h, h}, "takes one HASH, got 2 arguments"},
		{[]string{"keys", "rotate", ".."}, `HASH ".." is not a key hash`},
		{[]string{"keys", "rotate", h, "--old", "archive"}, `--old "archive": want disable, delete or keep`},
		{[]string{"keys", "rotate", h, "--name", " "}, "--name must not be empty"},
		{[]string{"keys", "rotate", h, "--expires-at", "soon"}, `--expires-at "soon": want an RFC 3339 time`},
		{[]string{"keys", "rotate", h, "--expires-at", "2001-01-01T00:00:00Z"}, "must be in the future"},
		{[]string{"keys", "rotate", h, "--dry-run=maybe"}, `--dry-run "maybe": want true or false`},
		{[]string{"keys", "rotate", h, "-o", "yaml"}, `--output "yaml": want table or json`},
	} {
		t.Run(c.want, func(t *testing.T) {
			srv.ResetRequests()
			r := runCLI(t, e, "", c.args...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, c.want) || !strings.Contains(r.stderr, "--help' for usage.") || r.stdout != "" {
				t.Errorf("want %q on stderr:\n%s", c.want, r)
			}
			if n := len(srv.Requests()); n != 0 {
				t.Errorf("%d requests sent", n)
			}
		})
	}
}
