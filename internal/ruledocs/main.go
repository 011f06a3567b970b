// Command ruledocs writes the rule documentation pages, docs/rules/*.md,
// from the rules' definitions:
//
//	go generate ./report    (or: go run ./internal/ruledocs -o docs/rules)
//
// It removes pages of rules that no longer exist. A test in report fails
// when the checked-in pages differ from what it would write.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/report"
)

func main() {
	out := flag.String("o", filepath.Join("docs", "rules"), "the `folder` to write the pages to")
	flag.Parse()
	if err := write(*out); err != nil {
		fmt.Fprintf(os.Stderr, "ruledocs: %v\n", err)
		os.Exit(1)
	}
}

// rulePage matches the names of generated rule pages.
var rulePage = regexp.MustCompile(`^PQC\d{3}\.md$`)

func write(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	docs := report.RuleDocs(rules.All())
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if _, keep := docs[e.Name()]; !keep && rulePage.MatchString(e.Name()) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				return err
			}
		}
	}
	for name, data := range docs {
		path := filepath.Join(dir, name)
		if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, data) {
			continue
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
	}
	return nil
}
