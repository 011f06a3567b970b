//go:build race

package main

// raceEnabled reports whether the race detector is on; it multiplies memory
// use, so memory budgets are not checked under it.
const raceEnabled = true
