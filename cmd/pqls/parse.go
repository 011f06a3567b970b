package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/grammar/token"
)

// parseDoc is the help of pqls parse after its summary.
const parseDoc = `Each file is parsed as Power Query M (a section document such as a .pq
connector, or an expression document such as a .pqm module) and its syntax
errors are printed one a line:

    path:line:column: message

Lines and columns are 1-based and counted as LSP editors such as VS Code
count them: lines end at CR, LF or CR LF, and a column counts UTF-16 code
units, so a tab is one column and a character outside the Basic
Multilingual Plane (an emoji) is two. A byte order mark at the start of the
file takes no column. With -json the output is
{"files":[{"path":"…","errors":[{"range":{"start":{"line":L,"character":C},
"end":{…}},"message":"…"}]}]}, ranges as in LSP (0-based lines, UTF-16
characters).

Exit status: 0 if no file has a syntax error, 1 if any has, 2 for usage and
I/O errors (a missing file is reported on standard error).
`

type parseOptions struct {
	json, ast bool
}

// parseFlagsOf defines the flags of pqls parse.
func parseFlagsOf(fs *flag.FlagSet) *parseOptions {
	o := new(parseOptions)
	fs.BoolVar(&o.json, "json", false, "print JSON with LSP ranges")
	fs.BoolVar(&o.ast, "ast", false, "print each file's syntax tree after its errors (in JSON, as the \"ast\" text of each file)")
	return o
}

// runParse implements `pqls parse`.
func runParse(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("parse", flag.ContinueOnError)
	o := parseFlagsOf(fs)
	files, status, ok := parseFlags(fs, "parse", args, stderr)
	if !ok {
		return status
	}
	if len(files) == 0 {
		return usageError(stderr, "parse", "no files given")
	}

	status = exitOK
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
		if o.ast {
			if root := f.Root(); root != nil {
				if err := ast.Fprint(&tree, f, root); err != nil {
					fmt.Fprintf(stderr, "pqls parse: %v\n", err)
					return exitUsage
				}
			}
		}
		if o.json {
			jf := parseJSONFile{Path: path, Errors: []parseJSONError{}}
			for _, e := range f.Errors {
				start, end := f.ErrorSpan(e)
				jf.Errors = append(jf.Errors, parseJSONError{
					Range:   parseJSONRange{Start: parseLSPPosition(lines, start), End: parseLSPPosition(lines, end)},
					Message: f.Message(e),
				})
			}
			if o.ast {
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
		if o.ast {
			stdout.Write(tree.Bytes())
		}
	}
	if o.json {
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
