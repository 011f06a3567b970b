package analysis

// ReusedMembers returns how many members' findings the check that
// returned inc took from the check before.
func ReusedMembers(inc *Incremental) int {
	if inc == nil {
		return 0
	}
	return inc.reused
}
