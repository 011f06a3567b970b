//go:build race

package server

// raceEnabled reports whether the race detector is on; it multiplies memory
// use, so the memory budget is not checked under it.
const raceEnabled = true
