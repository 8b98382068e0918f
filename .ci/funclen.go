//go:build ignore

// funclen fails when a function in the given package directories is
// longer than the limit (test files aside). make vet runs it on the
// packages whose functions must stay short enough to read at a glance:
// the live room and the document model.
//
//	go run .ci/funclen.go -max 80 server/internal/room server/internal/document
package main

import (
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	limit := flag.Int("max", 80, "the most lines a function may have, from its func line to its closing brace")
	flag.Parse()
	fset := token.NewFileSet()
	long, funcs := 0, 0
	for _, dir := range flag.Args() {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			fmt.Fprintf(os.Stderr, "funclen: no Go files in %s\n", dir)
			os.Exit(2)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
			if err != nil {
				fmt.Fprintln(os.Stderr, "funclen:", err)
				os.Exit(2)
			}
			for _, d := range f.Decls {
				fn, ok := d.(*ast.FuncDecl)
				if !ok || fn.Body == nil {
					continue
				}
				funcs++
				from, to := fset.Position(fn.Pos()), fset.Position(fn.End())
				if n := to.Line - from.Line + 1; n > *limit {
					fmt.Printf("%s:%d: %s is %d lines long, over %d: split it\n", path, from.Line, fn.Name.Name, n, *limit)
					long++
				}
			}
		}
	}
	if long > 0 {
		os.Exit(1)
	}
	if funcs == 0 {
		fmt.Fprintln(os.Stderr, "funclen: no functions found")
		os.Exit(2)
	}
}
