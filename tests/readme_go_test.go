package tests

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// readmeImports are the packages README snippets may use without an import
// block of their own, by name. A snippet's own import block adds to them.
var readmeImports = map[string]string{
	"context":  "context",
	"errors":   "errors",
	"fmt":      "fmt",
	"http":     "net/http",
	"os":       "os",
	"slog":     "log/slog",
	"strings":  "strings",
	"testing":  "testing",
	"time":     "time",
	"facade":   "github.com/orkeys/orkeys/facade",
	"fake":     "github.com/orkeys/orkeys/fake",
	"gen":      "github.com/orkeys/orkeys/gen",
	"secret":   "github.com/orkeys/orkeys/secret",
	"nullable": "github.com/oapi-codegen/nullable",
}

// readmePreamble declares what the snippets take as given: a context, a
// client, a key's hash, a request and the reader's own functions.
const readmePreamble = `package readme

import (
	"context"

	"github.com/orkeys/orkeys/facade"
)

var (
	ctx  = context.Background()
	c    *facade.Client
	hash string
	old  string
	id   string
	req  facade.ListRequest
)

func store(string) {}

func rotate(context.Context, *facade.Client, string) error { return nil }
`

// goBlock is one fenced go block of a Markdown file.
type goBlock struct {
	line int // of the opening fence
	code string
}

func goBlocks(markdown string) []goBlock {
	var blocks []goBlock
	var cur *goBlock
	for i, l := range strings.Split(markdown, "\n") {
		switch {
		case cur == nil && strings.TrimSpace(l) == "```go":
			cur = &goBlock{line: i + 1}
		case cur != nil && strings.TrimSpace(l) == "```":
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil:
			cur.code += l + "\n"
		}
	}
	return blocks
}

var importBlock = regexp.MustCompile(`(?s)^\s*import\s*(\([^)]*\)|"[^"]*")\s*`)

// snippetFile turns a block into a file of package readme: declarations as
// they are, statements inside a function, with every name they declare
// used, so that the compiler checks what the reader would paste.
func snippetFile(b goBlock, n int) (string, error) {
	code := b.code
	imports := map[string]string{}
	if m := importBlock.FindStringSubmatch(code); m != nil {
		for _, path := range regexp.MustCompile(`"([^"]+)"`).FindAllStringSubmatch(m[1], -1) {
			imports[filepath.Base(path[1])] = path[1]
		}
		code = code[len(m[0]):]
	}
	if strings.HasPrefix(strings.TrimSpace(code), "package ") {
		return "", fmt.Errorf("a whole program: not supported yet")
	}
	var body string
	if _, err := parser.ParseFile(token.NewFileSet(), "", "package readme\n"+code, 0); err == nil {
		body = code // declarations
	} else {
		uses, err := declaredNames(code)
		if err != nil {
			return "", err
		}
		body = fmt.Sprintf("func snippet%d() error {\n\tvar err error\n%s", n, code)
		for _, name := range uses {
			body += "\t_ = " + name + "\n"
		}
		body += "\treturn err\n}\n"
	}
	var used []string
	for name, path := range readmeImports {
		if imports[name] == "" {
			imports[name] = path
		}
	}
	for name, path := range imports {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(body) {
			used = append(used, fmt.Sprintf("\t%q\n", path))
		}
	}
	slices.Sort(used)
	return fmt.Sprintf("// README.md line %d\n\npackage readme\n\nimport (\n%s)\n\n%s", b.line, strings.Join(used, ""), body), nil
}

// declaredNames lists the names that the statements of code declare at
// their top level (:= and var), for the snippet to use them.
func declaredNames(code string) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package readme\nfunc _() {\n"+code+"\n}\n", 0)
	if err != nil {
		return nil, err
	}
	var names []string
	add := func(id *ast.Ident) {
		if id.Name != "_" && id.Name != "err" && !slices.Contains(names, id.Name) {
			names = append(names, id.Name)
		}
	}
	for _, st := range f.Decls[0].(*ast.FuncDecl).Body.List {
		switch s := st.(type) {
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				for _, e := range s.Lhs {
					add(e.(*ast.Ident))
				}
			}
		case *ast.DeclStmt:
			for _, spec := range s.Decl.(*ast.GenDecl).Specs {
				if vs, ok := spec.(*ast.ValueSpec); ok {
					for _, id := range vs.Names {
						add(id)
					}
				}
			}
		}
	}
	return names, nil
}

// Every go block of the README compiles, as declarations or as the body of
// a function, against the library as it is, and passes go vet: the
// Quickstart cannot rot.
func TestReadmeGoBlocksCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the README's snippets; skipped with -short")
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := goBlocks(string(readme))
	if len(blocks) < 5 {
		t.Fatalf("found %d go blocks in README.md; the extraction is broken", len(blocks))
	}
	dir, err := os.MkdirTemp("testdata", "readme-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "preamble.go"), []byte(readmePreamble), 0o644); err != nil {
		t.Fatal(err)
	}
	for i, b := range blocks {
		src, err := snippetFile(b, i)
		if err != nil {
			t.Errorf("README.md line %d: %v", b.line, err)
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("snippet%02d.go", i)), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(dir)).CombinedOutput()
	if err != nil {
		t.Errorf("README.md's go blocks do not compile or fail go vet (each snippetNN.go names its README line):\n%s", out)
	}
}
