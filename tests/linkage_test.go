package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxSizeRatio bounds a facade program's binary against the same program on
// net/http and encoding/json (issue 6): gen's client and the facade's policy
// may cost a little, the spec and server code nothing.
const maxSizeRatio = 1.08

// forbiddenDeps are what the fake needs and library users must not link.
var forbiddenDeps = []string{
	"github.com/getkin/kin-openapi",
	"go.yaml.in/yaml",
	"gopkg.in/yaml",
	"github.com/oasdiff/yaml",
	"github.com/santhosh-tekuri/jsonschema",
	"github.com/gorilla/mux",
	"openapi3filter",
	"github.com/orkeys/orkeys/fake",
}

// A program that imports only facade links gen's models and client, never
// the spec, the strict server or their dependencies, and stays within
// maxSizeRatio of the net/http program that does the same job.
func TestFacadeLinksOnlyTheClient(t *testing.T) {
	if testing.Short() {
		t.Skip("builds two programs; skipped with -short")
	}
	const facadeProg = "./testdata/linkage/facadelist"
	out, err := exec.Command("go", "list", "-deps", facadeProg).CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 50 { // the standard library alone is more: the listing must be real
		t.Fatalf("go list -deps printed only %d packages: %q", len(deps), deps)
	}
	for _, d := range deps {
		for _, f := range forbiddenDeps {
			if strings.Contains(d, f) {
				t.Errorf("a facade-only program links %s", d)
			}
		}
	}

	dir := t.TempDir()
	size := func(pkg string) int64 {
		bin := filepath.Join(dir, filepath.Base(pkg))
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			t.Fatalf("go build %s: %v\n%s", pkg, err, out)
		}
		fi, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	f, h := size(facadeProg), size("./testdata/linkage/httplist")
	ratio := float64(f) / float64(h)
	t.Logf("facade program %d bytes, net/http program %d bytes: %.3f×", f, h, ratio)
	if ratio > maxSizeRatio {
		t.Errorf("facade program is %.3f× the net/http program (%d against %d bytes), want at most %.2f×", ratio, f, h, maxSizeRatio)
	}
}
