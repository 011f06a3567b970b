// Package parser parses Power Query M documents into syntax trees, reporting
// every syntax error and recovering from each, and reparses incrementally
// after an edit.
package parser

// Edit replaces the bytes [Start, End) of a file's text with Text.
type Edit struct {
	Start, End int
	Text       []byte
}

// Apply returns the text that results from applying e to src.
func (e Edit) Apply(src []byte) []byte {
	out := make([]byte, 0, len(src)-(e.End-e.Start)+len(e.Text))
	out = append(out, src[:e.Start]...)
	out = append(out, e.Text...)
	return append(out, src[e.End:]...)
}
