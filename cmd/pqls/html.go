package main

import (
	"io"
	"strings"

	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/report"
)

// writeHTML writes the --format html page; paths are what was checked, for
// its title.
func writeHTML(w io.Writer, files []report.File, paths []string) error {
	return report.HTML(w, files, rules.All(), strings.Join(paths, ", "))
}
