package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestCodeKeys: every key the Go code passes as a literal to T, Tf or N,
// or reads from Labels, is in the catalogue — the code's half of "a
// missing key fails before a patient sees it" (CheckTemplate is the
// templates' half).
func TestCodeKeys(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && p != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(x ast.Node) bool {
			var lit *ast.BasicLit
			switch x := x.(type) {
			case *ast.CallExpr:
				sel, ok := x.Fun.(*ast.SelectorExpr)
				if !ok || len(x.Args) == 0 {
					return true
				}
				switch sel.Sel.Name {
				case "T", "Tf", "N":
					lit, _ = x.Args[0].(*ast.BasicLit)
				}
			case *ast.IndexExpr: // i18n.Labels(l)["key"]
				if call, ok := x.X.(*ast.CallExpr); ok {
					if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Labels" {
						lit, _ = x.Index.(*ast.BasicLit)
					}
				}
			}
			if lit == nil || lit.Kind != token.STRING {
				return true
			}
			key, err := strconv.Unquote(lit.Value)
			if err != nil {
				return true
			}
			n++
			if !Has(Da, key) {
				t.Errorf("%s: the catalogue has no text %q", fset.Position(lit.Pos()), key)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Errorf("found only %d literal keys in the code; is the walk looking in the right place?", n)
	}
}
