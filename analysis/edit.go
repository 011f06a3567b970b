package analysis

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// AppendField returns an edit that adds the field text `Name = Value` at
// the end of record r.
func AppendField(f *model.File, r *ast.RecordExpr, field string) TextEdit {
	if n := len(r.Fields); n > 0 {
		start, end := Span(f, r.Fields[n-1])
		open, _ := Span(f, r)
		line := f.AST.Lines.UTF8(start).Line
		if line != f.AST.Lines.UTF8(open).Line {
			// One field a line: put the new one on a line of its own,
			// indented like the last.
			ls := f.AST.Lines.LineStart(line)
			indent := f.AST.Src[ls:start]
			if strings.TrimLeft(string(indent), " \t") == "" {
				return Insert(f, end, ","+Newline(f)+string(indent)+field)
			}
		}
		return Insert(f, end, ", "+field)
	}
	start, _ := Span(f, r)
	return Insert(f, start+1, field)
}

// DeleteField returns the edit that removes field i of record r in f,
// with its separating comma.
func DeleteField(f *model.File, r *ast.RecordExpr, i int) TextEdit {
	fl := r.Fields[i]
	start, end := Span(f, fl)
	switch {
	case i > 0:
		_, start = Span(f, r.Fields[i-1])
	case len(r.Fields) > 1:
		end, _ = Span(f, r.Fields[1])
	}
	return TextEdit{Path: f.Path, Start: start, End: end}
}

// LineIndent returns the white space that starts the line containing off.
func LineIndent(f *model.File, off int) string {
	src := f.AST.Src
	start := off
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	end := start
	for end < len(src) && (src[end] == ' ' || src[end] == '\t') {
		end++
	}
	return string(src[start:end])
}

// lineStartOf returns the offset of the start of the line containing off.
func lineStartOf(f *model.File, off int) int {
	return f.AST.Lines.LineStart(f.AST.Lines.UTF8(off).Line)
}

// firstOnLine reports whether only white space precedes off on its line.
func firstOnLine(f *model.File, off int) bool {
	return strings.TrimSpace(string(f.AST.Src[lineStartOf(f, off):off])) == ""
}

var crlf, bom = []byte("\r\n"), []byte("\uFEFF")

// Newline returns the line ending the file uses.
func Newline(f *model.File) string {
	// The regions say whether the text has a carriage return at all: most
	// files have none, and reading a large one whole at every check cost
	// as much as checking the edited member.
	if f.AST.TextMay(ast.TextCR) && bytes.Contains(f.AST.Src, crlf) { // not string(Src): a copy of the file per call
		return "\r\n"
	}
	return "\n"
}

// PrependField inserts the field text (Name = value, without separator)
// into record r of f, before its first field.
func PrependField(f *model.File, r *ast.RecordExpr, field string) TextEdit {
	open, _ := Span(f, r)
	if len(r.Fields) == 0 {
		return Insert(f, open+1, field)
	}
	first, _ := Span(f, r.Fields[0])
	if firstOnLine(f, first) && lineStartOf(f, first) > lineStartOf(f, open) {
		// Comment lines right above the first field speak of it: the new
		// field goes above them, not between a comment and its field.
		at := lineStartOf(f, first)
		openLine := f.AST.Lines.UTF8(open).Line
		for line := f.AST.Lines.UTF8(first).Line - 1; line > openLine; line-- {
			ls := f.AST.Lines.LineStart(line)
			if !strings.HasPrefix(strings.TrimSpace(string(f.AST.Src[ls:at])), "//") {
				break
			}
			at = ls
		}
		if at != lineStartOf(f, first) {
			return Insert(f, at, LineIndent(f, first)+field+","+Newline(f))
		}
		return Insert(f, first, field+","+Newline(f)+LineIndent(f, first))
	}
	return Insert(f, first, field+", ")
}

// AppendFields returns an edit that adds fields (each `Name = Value`) at
// the end of record r in the record's own layout: one a line, indented like
// the last field, when the record puts its fields on lines of their own;
// on one line otherwise.
func AppendFields(f *model.File, r *ast.RecordExpr, fields ...string) TextEdit {
	if n := len(r.Fields); n > 0 {
		start, _ := Span(f, r.Fields[n-1])
		open, _ := Span(f, r)
		if f.AST.Lines.UTF8(start).Line != f.AST.Lines.UTF8(open).Line && firstOnLine(f, start) {
			return AppendField(f, r, strings.Join(fields, ","+Newline(f)+LineIndent(f, start)))
		}
	}
	return AppendField(f, r, strings.Join(fields, ", "))
}

// InsertBefore returns an edit that puts text (a binding, a field or a
// member, with its separator) before node n: on a line of its own, indented
// like n, when n starts its line; followed by a space otherwise.
func InsertBefore(f *model.File, n ast.Node, text string) TextEdit {
	start, _ := Span(f, n)
	if firstOnLine(f, start) {
		ls := lineStartOf(f, start)
		if ls == 0 && bytes.HasPrefix(f.AST.Src, bom) {
			ls = len("\uFEFF") // the byte-order mark stays first
		}
		return Insert(f, ls, LineIndent(f, start)+text+Newline(f))
	}
	return Insert(f, start, text+" ")
}

// ApplyEdits returns src with the edits applied. All edits are for src;
// their Path fields are not consulted. Offsets refer to src as given, so the
// edits are independent of one another and may come in any order. Edits
// that overlap are an error, since no order of applying them is right;
// insertions at the same offset are applied in the order given, and an
// insertion at the start or end of a replaced range is not an overlap.
// src is not modified.
//
// This, with EditSet and CheckEdits, is the one way edits are applied: by
// pqls check --fix, by the editor's fix-all action and by the fix tests.
func ApplyEdits(src []byte, edits []TextEdit) ([]byte, error) {
	sorted, err := checkEdits(len(src), edits)
	if err != nil {
		return nil, err
	}
	size := len(src)
	for _, e := range sorted {
		size += len(e.NewText) - (e.End - e.Start)
	}
	out := make([]byte, 0, size)
	last := 0
	for _, e := range sorted {
		out = append(out, src[last:e.Start]...)
		out = append(out, e.NewText...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// CheckEdits reports whether ApplyEdits would accept the edits for a text
// of size bytes: each within the text and none overlapping another. The
// server checks the edits of a code action with it, which the editor
// applies.
func CheckEdits(size int, edits []TextEdit) error {
	_, err := checkEdits(size, edits)
	return err
}

// checkEdits returns the edits sorted in the order ApplyEdits applies them,
// or the first one that is outside the text or overlaps another.
func checkEdits(size int, edits []TextEdit) ([]TextEdit, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b TextEdit) int {
		// At one offset, insertions go before a replacement starting there.
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > size {
			return nil, fmt.Errorf("apply edits: edit [%d, %d) outside the text of %d bytes", e.Start, e.End, size)
		}
		if i > 0 && e.Start < sorted[i-1].End {
			p := sorted[i-1]
			return nil, fmt.Errorf("apply edits: edit [%d, %d) overlaps edit [%d, %d)", e.Start, e.End, p.Start, p.End)
		}
	}
	return sorted, nil
}

// EditSet gathers the edits of several fixes, each fix whole or not at all,
// so that they can be applied together. The zero EditSet is empty.
type EditSet struct {
	edits []TextEdit
	fixes int
}

// Add takes the edits of one fix unless one of them conflicts with an edit
// already taken, and reports whether it took them. Edits conflict when they
// are for the same path and their ranges overlap, or touch while one of
// them is an insertion (the order of the two would then be a guess). An
// edit identical to one already taken — same path, range and text — is no
// conflict and is kept once: fixes that insert the same helper at the same
// place share the insertion. Paths are compared as written, so callers
// write them alike.
func (s *EditSet) Add(fix []TextEdit) bool {
	var fresh []TextEdit
	for _, e := range fix {
		if slices.Contains(s.edits, e) || slices.Contains(fresh, e) {
			continue
		}
		for _, t := range s.edits {
			if conflict(e, t) {
				return false
			}
		}
		fresh = append(fresh, e)
	}
	s.edits = append(s.edits, fresh...)
	s.fixes++
	return true
}

// conflict reports whether two different edits may not be applied together.
func conflict(a, b TextEdit) bool {
	if a.Path != b.Path {
		return false
	}
	if a.Start < b.End && b.Start < a.End {
		return true
	}
	return (a.Start == a.End || b.Start == b.End) && a.Start <= b.End && b.Start <= a.End
}

// Edits returns the edits taken, in the order they were added.
func (s *EditSet) Edits() []TextEdit { return slices.Clone(s.edits) }

// Fixes returns the number of fixes taken.
func (s *EditSet) Fixes() int { return s.fixes }
