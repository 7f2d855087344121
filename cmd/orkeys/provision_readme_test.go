package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestREADMEProvisionExcerpt runs the script that made the console excerpt
// of the README's "Declarative provisioning" against `orkeys fake-server`
// and compares, hashes aside, so that the excerpt stays a real run.
func TestREADMEProvisionExcerpt(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh")
	}
	want := provisioningBlock(t, "console")
	cmd := exec.Command("sh", "testdata/provision_demo.sh")
	cmd.Env = append(os.Environ(), "BIN="+orkeysBinary(t))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the demo script: %v\n%s", err, out)
	}
	hash := regexp.MustCompile(`[0-9a-f]{64}|[0-9a-f]{8}…`)
	if got := hash.ReplaceAllString(string(out), "<hash>"); got != hash.ReplaceAllString(want, "<hash>") {
		t.Errorf("the demo script printed:\n%s\nthe README says:\n%s", out, want)
	}
}

// TestREADMEProvisionFile applies the README's example file (its vault
// command swapped for a local one) through the CLI: workspace, budgets,
// guardrail, keys and assignment converge, and a second plan is in sync.
func TestREADMEProvisionFile(t *testing.T) {
	_, e := newFake(t)
	file := provisioningBlock(t, "yaml")
	if !strings.Contains(file, "vault kv put secret/batch key=-") {
		t.Fatal("the README's example file has no vault receiver to swap")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "orkeys.yaml")
	if err := os.WriteFile(path, []byte(strings.Replace(file, "vault kv put secret/batch key=-", "cat > batch.key", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	wantCode(t, runCLI(t, e, "", "plan", "-f", path), exitPending)
	r := runCLI(t, e, "", "apply", "--yes", "-f", path)
	for _, want := range []string{"ok workspace prod: create", "ok guardrail cheap: create", "ok key ci: create", "ok key batch: create", "ok assignment ci: assign"} {
		if !strings.Contains(r.stdout, want) {
			t.Fatalf("apply lacks %q: %s", want, r)
		}
	}
	wantCode(t, r, exitOK)
	wantCode(t, runCLI(t, e, "", "plan", "-f", path), exitOK)
	for _, receiver := range []string{"secrets/ci.key", "batch.key"} {
		if b, err := os.ReadFile(filepath.Join(dir, receiver)); err != nil || !plaintextShape.Match(b) {
			t.Errorf("%s holds no key: %v", receiver, err)
		}
	}
}

// provisioningBlock is the first fenced block of lang in the README's
// section "Declarative provisioning".
func provisioningBlock(t *testing.T, lang string) string {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Declarative provisioning")
	_, block, ok := strings.Cut(section, "```"+lang+"\n")
	block, _, _ = strings.Cut(block, "```")
	if !ok || block == "" {
		t.Fatalf("no %s block in the README's section \"Declarative provisioning\"", lang)
	}
	return block
}
