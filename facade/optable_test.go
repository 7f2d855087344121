package facade

import (
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// specOp is what the spec says of one operation.
type specOp struct {
	method, path string
	success      []int // the documented 2XX statuses
	// idempotent: not a POST, or a POST marked x-orkeys-idempotent (the
	// same request sent twice leaves the same state).
	idempotent bool
}

// TestOperationTableMatchesSpec holds the operation table to
// api/openapi.yaml: every operation value written in the facade's source
// (an &operation{…} literal, wherever it is) names a method and path the
// spec has, with the spec's only 2XX status as its success, and is
// idempotent exactly when it is not a POST or is a POST the spec marks
// x-orkeys-idempotent. The literals are found by
// parsing the source, so that a new file's operations are checked without
// being listed anywhere.
func TestOperationTableMatchesSpec(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "api", "openapi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	spec := map[string]specOp{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			s := specOp{method: method, path: path, idempotent: method != http.MethodPost}
			if v, ok := op.Extensions["x-orkeys-idempotent"].(bool); ok && v {
				s.idempotent = true
			}
			for code := range op.Responses.Map() {
				if n, err := strconv.Atoi(code); err == nil && n >= 200 && n < 300 {
					s.success = append(s.success, n)
				}
			}
			spec[method+" "+path] = s
		}
	}

	ops := sourceOperations(t)
	if len(ops) < 8 {
		t.Fatalf("found %d operation literals in the source, want every one (at least the 8 of keys, credits and activity)", len(ops))
	}
	for name, op := range ops {
		s, ok := spec[op.method+" "+op.path]
		switch {
		case !ok:
			t.Errorf("%s: %s %s is not in api/openapi.yaml", name, op.method, op.path)
		case len(s.success) != 1 || s.success[0] != op.success:
			t.Errorf("%s: success %d, the spec documents %v", name, op.success, s.success)
		case op.idempotent != s.idempotent:
			t.Errorf("%s: idempotent = %v for %s %s; the spec says %v (a POST is idempotent only when marked x-orkeys-idempotent)", name, op.idempotent, op.method, op.path, s.idempotent)
		}
	}
	// The values the calls use are the ones checked.
	for _, op := range []*operation{opList, opCreate, opGet, opUpdate, opDelete, opCurrentKey, opCredits, opActivity} {
		found := false
		for _, o := range ops {
			found = found || o == *op
		}
		if !found {
			t.Errorf("%s %s: not found among the source's literals", op.method, op.path)
		}
	}
}

// sourceOperations returns every operation literal in the package's
// non-test files, by the variable it is assigned to.
func sourceOperations(t *testing.T) map[string]operation {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	ops := map[string]operation{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, v := range vs.Values {
				u, ok := v.(*ast.UnaryExpr)
				if !ok {
					continue
				}
				lit, ok := u.X.(*ast.CompositeLit)
				if !ok || !isIdent(lit.Type, "operation") {
					continue
				}
				ops[vs.Names[i].Name] = literalOperation(t, fset, lit)
			}
			return false
		})
	}
	return ops
}

func isIdent(e ast.Expr, name string) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == name
}

// literalOperation evaluates an operation literal written positionally with
// net/http's constants, as the table is.
func literalOperation(t *testing.T, fset *token.FileSet, lit *ast.CompositeLit) operation {
	t.Helper()
	if len(lit.Elts) != 4 {
		t.Fatalf("%s: write operations as {method, path, idempotent, success}", fset.Position(lit.Pos()))
	}
	httpConst := func(e ast.Expr) string {
		sel, ok := e.(*ast.SelectorExpr)
		if !ok || !isIdent(sel.X, "http") {
			t.Fatalf("%s: want a net/http constant", fset.Position(e.Pos()))
		}
		return sel.Sel.Name
	}
	methods := map[string]string{"MethodGet": http.MethodGet, "MethodPost": http.MethodPost, "MethodPut": http.MethodPut,
		"MethodPatch": http.MethodPatch, "MethodDelete": http.MethodDelete}
	statuses := map[string]int{"StatusOK": http.StatusOK, "StatusCreated": http.StatusCreated,
		"StatusAccepted": http.StatusAccepted, "StatusNoContent": http.StatusNoContent}
	var op operation
	var ok bool
	if op.method, ok = methods[httpConst(lit.Elts[0])]; !ok {
		t.Fatalf("%s: unknown method", fset.Position(lit.Pos()))
	}
	path, isLit := lit.Elts[1].(*ast.BasicLit)
	if !isLit {
		t.Fatalf("%s: want the path as a string literal", fset.Position(lit.Pos()))
	}
	op.path, _ = strconv.Unquote(path.Value)
	op.idempotent = isIdent(lit.Elts[2], "true")
	if op.success, ok = statuses[httpConst(lit.Elts[3])]; !ok {
		t.Fatalf("%s: unknown status", fset.Position(lit.Pos()))
	}
	return op
}
