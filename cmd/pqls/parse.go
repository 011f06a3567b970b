package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/grammar/token"
)

const parseUsage = `usage: pqls parse [--json] [--ast] FILE...

Parse each file as Power Query M (a section document such as a .pq
connector, or an expression document such as a .pqm module) and print its
syntax errors, one a line:

    path:line:column: message

Lines and columns are 1-based and counted as LSP editors such as VS Code
count them: lines end at CR, LF or CR LF, and a column counts UTF-16 code
units, so a tab is one column and a character outside the Basic
Multilingual Plane (an emoji) is two. A byte order mark at the start of the
file takes no column.

Exit status: 0 if no file has a syntax error, 1 if any has, 2 for usage and
I/O errors (a missing file is reported on standard error).

Flags:
  --json   print {"files":[{"path":"…","errors":[{"range":{"start":{"line":L,
           "character":C},"end":{…}},"message":"…"}]}]}: ranges as in LSP, with
           0-based lines and UTF-16 characters
  --ast    print each file's syntax tree after its errors (in JSON, as the
           "ast" text of each file)
`

// runParse implements `pqls parse`.
func runParse(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	asJSON := fs.Bool("json", false, "print JSON with LSP ranges")
	withAST := fs.Bool("ast", false, "print the syntax tree")
	// Flags may come after the files, as in `pqls parse a.pq --json`.
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprint(stdout, parseUsage)
				return exitOK
			}
			fmt.Fprintf(stderr, "pqls parse: %v\n\n%s", err, parseUsage)
			return exitUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			break
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			files = append(files, rest...)
			break
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
	if len(files) == 0 {
		fmt.Fprintf(stderr, "pqls parse: no files given\n\n%s", parseUsage)
		return exitUsage
	}

	status := exitOK
	out := parseJSONOutput{Files: []parseJSONFile{}}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			fmt.Fprintf(stderr, "pqls parse: %v\n", err)
			status = exitUsage
			continue
		}
		f := parser.Parse(path, src)
		// Positions for editors: LSP breaks lines at CR, LF and CR LF only,
		// not at the other M new-line characters (U+0085, U+2028, U+2029).
		lines := token.NewLSPLines(src)
		if len(f.Errors) > 0 && status == exitOK {
			status = exitFindings
		}
		var tree bytes.Buffer
		if *withAST {
			if root := f.Root(); root != nil {
				if err := ast.Fprint(&tree, f, root); err != nil {
					fmt.Fprintf(stderr, "pqls parse: %v\n", err)
					return exitUsage
				}
			}
		}
		if *asJSON {
			jf := parseJSONFile{Path: path, Errors: []parseJSONError{}}
			for _, e := range f.Errors {
				start, end := f.ErrorSpan(e)
				jf.Errors = append(jf.Errors, parseJSONError{
					Range:   parseJSONRange{Start: parseLSPPosition(lines, start), End: parseLSPPosition(lines, end)},
					Message: f.Message(e),
				})
			}
			if *withAST {
				s := tree.String()
				jf.AST = &s
			}
			out.Files = append(out.Files, jf)
			continue
		}
		for _, e := range f.Errors {
			start, _ := f.ErrorSpan(e)
			p := lines.UTF16(start)
			fmt.Fprintf(stdout, "%s:%d:%d: %s\n", path, p.Line+1, p.Column+1, f.Message(e))
		}
		if *withAST {
			stdout.Write(tree.Bytes())
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "pqls parse: %v\n", err)
			return exitUsage
		}
	}
	return status
}

func parseLSPPosition(lines *token.Lines, off int) parseJSONPosition {
	p := lines.UTF16(off)
	return parseJSONPosition{Line: p.Line, Character: p.Column}
}

type parseJSONOutput struct {
	Files []parseJSONFile `json:"files"`
}

type parseJSONFile struct {
	Path   string           `json:"path"`
	Errors []parseJSONError `json:"errors"`
	AST    *string          `json:"ast,omitempty"`
}

type parseJSONError struct {
	Range   parseJSONRange `json:"range"`
	Message string         `json:"message"`
}

type parseJSONRange struct {
	Start parseJSONPosition `json:"start"`
	End   parseJSONPosition `json:"end"`
}

type parseJSONPosition struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}
