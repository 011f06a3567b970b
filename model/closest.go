package model

import "strings"

// EditDistance is the Levenshtein distance between a and b, counted in
// runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// ClosestName returns the name among known that name most likely
// misspells: one that differs only in case, else the single nearest one
// within maxDist edits. ok is false when name is itself known, when nothing
// is close enough, or when two candidates are equally close.
func ClosestName(name string, known []string, maxDist int) (closest string, ok bool) {
	for _, k := range known {
		if k == name {
			return "", false
		}
	}
	for _, k := range known {
		if strings.EqualFold(k, name) {
			return k, true
		}
	}
	best, tie := maxDist+1, false
	for _, k := range known {
		d := EditDistance(strings.ToLower(name), strings.ToLower(k))
		if cd := EditDistance(name, k); cd < d {
			d = cd
		}
		switch {
		case d < best:
			best, closest, tie = d, k, false
		case d == best:
			tie = true
		}
	}
	if best > maxDist || tie {
		return "", false
	}
	return closest, true
}
