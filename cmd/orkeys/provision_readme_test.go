package main

import (
	"os"
	"os/exec"
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
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, _ := strings.Cut(string(readme), "\n## Declarative provisioning")
	_, want, ok := strings.Cut(section, "```console\n")
	want, _, _ = strings.Cut(want, "```")
	if !ok || want == "" {
		t.Fatal("no console excerpt in the README's section \"Declarative provisioning\"")
	}
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
