package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/orkeys/orkeys/gen"
)

// readmeRecipe is the first sh block of the README's "Rotating a key".
func readmeRecipe(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "## Rotating a key")
	m := regexp.MustCompile("(?s)```sh\n(.*?)```").FindStringSubmatch(s[i:])
	if i < 0 || m == nil {
		t.Fatal("no recipe under ## Rotating a key")
	}
	return m[1]
}

// runRecipe runs the recipe with bash against srv: gh stores the secret in
// a file, and sleep is the given shell body (the grace period).
func runRecipe(t *testing.T, environ []string, store, sleep string) (string, error) {
	t.Helper()
	prelude := `gh() { cat > "$STORE"; }
sleep() { ` + sleep + `; }
`
	cmd := exec.Command("bash", "-c", prelude+readmeRecipe(t))
	cmd.Env = append(environ, "PATH="+filepath.Dir(orkeysBinary(t))+string(os.PathListSeparator)+os.Getenv("PATH"), "STORE="+store)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// The README's rotation recipe is safe to run again: run whole twice, or
// cut off in its grace period and run again, it leaves one working key
// named ci-runner, the one stored last, and never rotates a successor an
// earlier run made.
func TestREADMERotationRecipeRerun(t *testing.T) {
	if _, err := exec.LookPath("jq"); err != nil {
		t.Skip("the recipe needs jq")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("the recipe needs bash")
	}
	srv, _ := newFake(t)
	environ := fakeEnv(t, srv)
	if _, err := srv.AddKey(gen.CreateKeysRequestBody{Name: "ci-runner"}); err != nil {
		t.Fatal(err)
	}
	store := filepath.Join(t.TempDir(), "secret")
	only := func(when string) string {
		t.Helper()
		var ours []gen.APIKey
		for _, k := range listed(t, srv) {
			if k.Name == "ci-runner" {
				ours = append(ours, k)
			}
		}
		b, _ := os.ReadFile(store)
		plaintext := strings.TrimSpace(string(b))
		sum := sha256.Sum256([]byte(plaintext))
		if len(ours) != 1 || ours[0].Disabled || !plaintextRE.MatchString(plaintext) || ours[0].Hash != hex.EncodeToString(sum[:]) {
			t.Fatalf("%s: keys %+v, stored %q", when, ours, plaintext)
		}
		return ours[0].Hash
	}
	for run := range 2 {
		if out, err := runRecipe(t, environ, store, ":"); err != nil {
			t.Fatalf("run %d: %v\n%s", run+1, err, out)
		}
		only("after a whole run")
	}

	// Cut off in the grace period: two keys, the new one stored. The next
	// run must finish that rotation, not start another.
	if out, err := runRecipe(t, environ, store, "exit 0"); err != nil {
		t.Fatalf("cut-off run: %v\n%s", err, out)
	}
	stored, _ := os.ReadFile(store)
	if out, err := runRecipe(t, environ, store, ":"); err != nil {
		t.Fatalf("run after the cut-off: %v\n%s", err, out)
	}
	if again, _ := os.ReadFile(store); string(again) != string(stored) {
		t.Error("the run after the cut-off rotated again")
	}
	only("after a cut-off run and a whole one")
}
