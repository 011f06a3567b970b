package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/pqls/pqls/model"
)

// unknownCommand reports a command name that pqls does not have and
// suggests the nearest one, as git and cargo do.
func unknownCommand(stderr io.Writer, name string) {
	fmt.Fprintf(stderr, "pqls: unknown command %q\n", name)
	if near := nearestCommand(name); near != "" {
		fmt.Fprintf(stderr, "Did you mean 'pqls %s'?\n", near)
	}
	fmt.Fprintf(stderr, "Run 'pqls help' for the list of commands.\n")
}

// nearestCommand returns the command whose name is closest to name, or ""
// when none is close enough to be a likely slip: a name that starts a
// command's name ("exp" for "explain"), or one at most two edits away
// (and fewer edits than it has letters).
func nearestCommand(name string) string {
	best, bestDist := "", 3
	for _, c := range commands() {
		if len(name) >= 2 && strings.HasPrefix(c.name, name) {
			return c.name
		}
		if d := model.EditDistance(name, c.name); d < bestDist && d < len(name) {
			best, bestDist = c.name, d
		}
	}
	return best
}
