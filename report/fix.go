package report

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pqls/pqls/analysis"
)

// ApplyFixes returns src with the edits applied. All edits are for src;
// their Path fields are not consulted. Offsets refer to src as given, so the
// edits are independent of one another and may come in any order. Edits
// that overlap are an error, since no order of applying them is right;
// insertions at the same offset are applied in the order given, and an
// insertion at the start or end of a replaced range is not an overlap.
func ApplyFixes(src []byte, edits []analysis.TextEdit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b analysis.TextEdit) int {
		// At one offset, insertions go before a replacement starting there.
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	size := len(src)
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("apply fixes: edit [%d, %d) outside the text of %d bytes", e.Start, e.End, len(src))
		}
		if i > 0 && e.Start < sorted[i-1].End {
			p := sorted[i-1]
			return nil, fmt.Errorf("apply fixes: edit [%d, %d) overlaps edit [%d, %d)", e.Start, e.End, p.Start, p.End)
		}
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

// Overlaps reports whether any edit of a overlaps any edit of b, in the
// sense of ApplyFixes. Edits are compared only with edits for the same
// path, so paths must be written alike.
func Overlaps(a, b []analysis.TextEdit) bool {
	for _, x := range a {
		for _, y := range b {
			if x.Path == y.Path && x.Start < y.End && y.Start < x.End {
				return true
			}
		}
	}
	return false
}
