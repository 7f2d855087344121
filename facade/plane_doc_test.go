package facade

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// Every operation of api/openapi.yaml has an operation value in the source
// (TestOperationTableMatchesSpec checks the other way round), and doc.go's
// lists name every operation function of the package, and nothing else.
func TestDocAndSpecListEveryOperation(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, op := range sourceOperations(t) {
		have[op.method+" "+op.path] = true
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if !have[method+" "+path] {
				t.Errorf("%s %s: in the spec, but no operation value in the facade", method, path)
			}
		}
	}

	funcs := operationFuncs(t)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "doc.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range operationName.FindAllString(file.Doc.Text(), -1) {
		named[m] = true
	}
	for _, f := range funcs {
		if !named[f] && !strings.HasSuffix(f, "All") {
			t.Errorf("doc.go does not name %s", f)
		}
	}
	for n := range named {
		if !slices.Contains(funcs, n) && !strings.HasSuffix(n, "…") {
			t.Errorf("doc.go names %s, which the package does not have", n)
		}
	}
}

// operationName is how operation functions are named: the TypeScript SDK's
// group, then the operation.
var operationName = regexp.MustCompile(`\b(APIKeys|Credits|Analytics|Guardrails|Workspaces|Organization|BYOK)[A-Z][A-Za-z]*\b`)

// operationFuncs lists the package's exported functions named like
// operations.
func operationFuncs(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if ok && fd.Recv == nil && operationName.MatchString(fd.Name.Name) && operationName.FindString(fd.Name.Name) == fd.Name.Name {
				out = append(out, fd.Name.Name)
			}
		}
	}
	return out
}
