package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/fake"
	"github.com/orkeys/orkeys/gen"
)

// What a script sees from the real binary for the commands and flags of
// issue 11: exit statuses, and one JSON document on stdout.
func TestBinaryRotateAndRerunFlags(t *testing.T) {
	srv, _ := newFake(t)
	keys := seed(t, srv)
	environ := fakeEnv(t, srv)
	missing := strings.Repeat("0", 64)

	t.Run("rotate -o json", func(t *testing.T) {
		r := runBinary(t, environ, "keys", "rotate", keys[1].Data.Hash, "--old", "keep", "-o", "json")
		wantCode(t, r, exitOK)
		var got rotationJSON
		decodeOne(t, r.stdout, &got)
		if !plaintextRE.MatchString(got.Key) || got.Data.Name != "beta" || got.OldState != "enabled" || !got.Complete {
			t.Errorf("%+v", got)
		}
	})
	t.Run("partial rotation exits 5 after printing the new key", func(t *testing.T) {
		srv.Inject(fake.Fault{Method: http.MethodPatch, Path: "/keys/{hash}", Status: http.StatusForbidden})
		r := runBinary(t, environ, "keys", "rotate", keys[0].Data.Hash)
		wantCode(t, r, exitAmbiguous)
		_, hash := printedKey(t, r.stdout)
		if !strings.HasPrefix(r.stderr, "orkeys: rotate "+keys[0].Data.Hash+": successor "+hash+" was created") {
			t.Errorf("stderr %q", r.stderr)
		}
	})
	t.Run("dry run sends no change", func(t *testing.T) {
		srv.ResetRequests()
		for _, args := range [][]string{
			{"keys", "rotate", keys[2].Data.Hash, "--old", "delete", "--dry-run"},
			{"keys", "update", keys[2].Data.Hash, "--disable", "--dry-run"},
			{"keys", "delete", keys[2].Data.Hash, "--dry-run", "-o", "json"},
		} {
			r := runBinary(t, environ, args...)
			wantCode(t, r, exitOK)
			if strings.Contains(r.stdout, srv.ManagementKey) || !strings.Contains(r.stderr, "Dry run") {
				t.Errorf("%v:\n%s", args, r)
			}
		}
		wantOnlyReads(t, srv)
	})
	t.Run("re-runnable create and delete", func(t *testing.T) {
		r := runBinary(t, environ, "keys", "create", "--name", "alpha", "--if-absent", "-o", "json")
		wantCode(t, r, exitOK)
		var existing struct{ Data gen.APIKey }
		decodeOne(t, r.stdout, &existing)
		if existing.Data.Name != "alpha" || !strings.Contains(r.stderr, "No plaintext is available") {
			t.Errorf("%s", r)
		}
		wantCode(t, runBinary(t, environ, "keys", "delete", missing, "--yes", "--ignore-missing"), exitOK)
		wantCode(t, runBinary(t, environ, "keys", "delete", missing, "--yes"), exitNotFound)
	})
	t.Run("find and filtered list print one JSON array", func(t *testing.T) {
		for _, args := range [][]string{
			{"keys", "find", "gamma", "-o", "json"},
			{"keys", "list", "--name-prefix", "gam", "-o", "json"},
		} {
			r := runBinary(t, environ, args...)
			wantCode(t, r, exitOK)
			var got []gen.APIKey
			decodeOne(t, r.stdout, &got)
			if len(got) != 1 || got[0].Name != "gamma" {
				t.Errorf("%v: %v", args, names(got))
			}
		}
	})
}
