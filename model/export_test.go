package model

// TaintSteps returns how many expressions the last taint query of prog
// evaluated, for tests that bound the work of a query by the size of its
// input.
func TaintSteps(prog *Program) int {
	e := prog.engine()
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.steps
}
