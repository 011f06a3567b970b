package analysis

import (
	"cmp"
	"fmt"
	"slices"
)

// ApplyEdits returns src with the edits applied. All edits are for src;
// their Path fields are not consulted. Offsets refer to src as given, so the
// edits are independent of one another and may come in any order. Edits
// that overlap are an error, since no order of applying them is right;
// insertions at the same offset are applied in the order given, and an
// insertion at the start or end of a replaced range is not an overlap.
// src is not modified.
//
// This, with EditSet, is the one way edits are applied: by pqls check
// --fix, by the editor's fix-all action and by the fix tests.
func ApplyEdits(src []byte, edits []TextEdit) ([]byte, error) {
	sorted := slices.Clone(edits)
	slices.SortStableFunc(sorted, func(a, b TextEdit) int {
		// At one offset, insertions go before a replacement starting there.
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	size := len(src)
	for i, e := range sorted {
		if e.Start < 0 || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("apply edits: edit [%d, %d) outside the text of %d bytes", e.Start, e.End, len(src))
		}
		if i > 0 && e.Start < sorted[i-1].End {
			p := sorted[i-1]
			return nil, fmt.Errorf("apply edits: edit [%d, %d) overlaps edit [%d, %d)", e.Start, e.End, p.Start, p.End)
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
