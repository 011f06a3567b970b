package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/pqls/pqls/report"
)

// noProject explains that the paths of pqls check hold no connector
// project, and what pqls looked for.
func noProject(stderr io.Writer, paths []string) {
	fmt.Fprintf(stderr, "pqls check: no connector project found in %s\n", strings.Join(paths, ", "))
	fmt.Fprintf(stderr, "  pqls looked for a folder holding a project file (.proj or .mproj) or a section\n"+
		"  document (.pq or .m, not *.query.pq), in the paths and the folders below them\n"+
		"  (skipping bin, obj, .git and node_modules); a file or a .mez archive may be named too.\n")
}

// filterBaseline hides the findings recorded in the baseline and says on
// stderr how many it hid, so that nobody takes a quiet run for a clean one.
func filterBaseline(stderr io.Writer, base *report.Baseline, path string, files []report.File) []report.File {
	before := countFindings(files)
	files = base.Filter(files)
	if hidden := before - countFindings(files); hidden > 0 {
		noun := "findings"
		if hidden == 1 {
			noun = "finding"
		}
		fmt.Fprintf(stderr, "pqls check: the baseline %s hid %d %s\n", path, hidden, noun)
	}
	return files
}
