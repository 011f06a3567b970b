package analysis

import (
	"strings"
	"testing"
)

func TestApplyEdits(t *testing.T) {
	src := []byte("0123456789")
	e := func(start, end int, text string) TextEdit { return TextEdit{Start: start, End: end, NewText: text} }
	tests := []struct {
		name  string
		edits []TextEdit
		want  string
		err   string
	}{
		{"none", nil, "0123456789", ""},
		{"replace", []TextEdit{e(2, 4, "ab")}, "01ab456789", ""},
		{"delete and insert", []TextEdit{e(8, 10, ""), e(0, 0, ">")}, ">01234567", ""},
		{"any order", []TextEdit{e(6, 7, "X"), e(1, 2, "Y")}, "0Y2345X789", ""},
		{"insert at a replacement's edges", []TextEdit{e(5, 8, "-"), e(5, 5, "["), e(8, 8, "]")}, "01234[-]89", ""},
		{"two inserts keep their order", []TextEdit{e(3, 3, "a"), e(3, 3, "b")}, "012ab3456789", ""},
		{"grow at end", []TextEdit{e(10, 10, "!")}, "0123456789!", ""},
		{"overlap", []TextEdit{e(2, 5, "x"), e(4, 6, "y")}, "", "overlaps"},
		{"insert inside a replacement", []TextEdit{e(2, 5, "x"), e(3, 3, "y")}, "", "overlaps"},
		{"same range twice", []TextEdit{e(2, 5, "x"), e(2, 5, "x")}, "", "overlaps"},
		{"past the end", []TextEdit{e(9, 11, "")}, "", "outside"},
		{"backwards", []TextEdit{e(5, 4, "")}, "", "outside"},
		{"negative", []TextEdit{e(-1, 0, "")}, "", "outside"},
	}
	for _, tt := range tests {
		// CheckEdits accepts exactly the edits ApplyEdits applies.
		if err := CheckEdits(len(src), tt.edits); (err == nil) != (tt.err == "") || err != nil && !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s: CheckEdits = %v, want error %q", tt.name, err, tt.err)
		}
		got, err := ApplyEdits(src, tt.edits)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.name, err)
		case string(got) != tt.want:
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
	if string(src) != "0123456789" {
		t.Errorf("ApplyEdits modified its input: %q", src)
	}
}

// Fixes conflict when their edits overlap or touch an insertion; an edit
// that is the same as one taken is shared, so that fixes inserting the same
// helper are all taken, and the helper inserted once.
func TestEditSet(t *testing.T) {
	e := func(path string, start, end int, text string) TextEdit {
		return TextEdit{Path: path, Start: start, End: end, NewText: text}
	}
	tests := []struct {
		name  string
		first []TextEdit
		then  []TextEdit
		taken bool
		edits int // edits in the set afterwards
	}{
		{"apart", []TextEdit{e("a", 0, 5, "x")}, []TextEdit{e("a", 6, 8, "y")}, true, 2},
		{"touching replacements", []TextEdit{e("a", 0, 5, "x")}, []TextEdit{e("a", 5, 8, "y")}, true, 2},
		{"overlapping", []TextEdit{e("a", 0, 5, "x")}, []TextEdit{e("a", 4, 8, "y")}, false, 1},
		{"other file", []TextEdit{e("a", 0, 5, "x")}, []TextEdit{e("b", 0, 5, "y")}, true, 2},
		{"two insertions at one place", []TextEdit{e("a", 3, 3, "x")}, []TextEdit{e("a", 3, 3, "y")}, false, 1},
		{"insertion at a replacement's end", []TextEdit{e("a", 0, 3, "x")}, []TextEdit{e("a", 3, 3, "y")}, false, 1},
		{"same insertion", []TextEdit{e("a", 3, 3, "helper")}, []TextEdit{e("a", 3, 3, "helper")}, true, 1},
		{"same insertion and more", []TextEdit{e("a", 0, 0, "helper"), e("a", 5, 6, "x")},
			[]TextEdit{e("a", 0, 0, "helper"), e("a", 8, 9, "y")}, true, 3},
		{"same insertion, other edit conflicts", []TextEdit{e("a", 0, 0, "helper"), e("a", 5, 6, "x")},
			[]TextEdit{e("a", 0, 0, "helper"), e("a", 5, 7, "y")}, false, 2},
	}
	for _, tt := range tests {
		var s EditSet
		if !s.Add(tt.first) {
			t.Fatalf("%s: the first fix was not taken", tt.name)
		}
		if got := s.Add(tt.then); got != tt.taken {
			t.Errorf("%s: Add = %v, want %v", tt.name, got, tt.taken)
		}
		if got := len(s.Edits()); got != tt.edits {
			t.Errorf("%s: %d edits in the set, want %d: %v", tt.name, got, tt.edits, s.Edits())
		}
		want := 1
		if tt.taken {
			want = 2
		}
		if s.Fixes() != want {
			t.Errorf("%s: Fixes = %d, want %d", tt.name, s.Fixes(), want)
		}
		// Whatever was taken applies cleanly.
		if _, err := ApplyEdits([]byte("0123456789"), byPath(s.Edits(), "a")); err != nil {
			t.Errorf("%s: the set does not apply: %v", tt.name, err)
		}
	}
}

func byPath(edits []TextEdit, path string) []TextEdit {
	var out []TextEdit
	for _, e := range edits {
		if e.Path == path {
			out = append(out, e)
		}
	}
	return out
}
