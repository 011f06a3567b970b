package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules"
	"github.com/pqls/pqls/report"
)

// rulesOptions are the flags of pqls rules.
type rulesOptions struct {
	format string
}

func rulesFlags(fs *flag.FlagSet) *rulesOptions {
	o := new(rulesOptions)
	fs.StringVar(&o.format, "format", "text", "output `format`: text or json")
	return o
}

// runRules implements pqls rules: the list of analyzers.
func runRules(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules", flag.ContinueOnError)
	o := rulesFlags(fs)
	operands, status, ok := parseFlags(fs, "rules", args, stderr)
	if !ok {
		return status
	}
	if len(operands) > 0 {
		return usageError(stderr, "rules", "unexpected arguments %q", operands)
	}
	rules := rules.All()
	switch o.format {
	case "text":
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, a := range rules {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.ID, a.Severity, report.FixShort(a.Fix), a.Title, report.RuleURL(a.ID))
		}
		if err := tw.Flush(); err != nil {
			fmt.Fprintf(stderr, "pqls rules: %v\n", err)
			return exitUsage
		}
	case "json":
		type rule struct {
			ID       string `json:"id"`
			Severity string `json:"severity"`
			Title    string `json:"title"`
			HelpURI  string `json:"helpUri"` // the Microsoft page
			DocURL   string `json:"docUrl"`  // pqls's page
			Fix      string `json:"fix"`     // "", "manual" or "safe"
		}
		out := struct {
			Rules []rule `json:"rules"`
		}{Rules: []rule{}}
		for _, a := range rules {
			out.Rules = append(out.Rules, rule{a.ID, a.Severity.String(), a.Title, a.HelpURI, report.RuleURL(a.ID), string(a.Fix)})
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			fmt.Fprintf(stderr, "pqls rules: %v\n", err)
			return exitUsage
		}
	default:
		return usageError(stderr, "rules", "unknown format %q (want text or json)", o.format)
	}
	return exitOK
}

// runExplain implements pqls explain ID.
func runExplain(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("explain", flag.ContinueOnError)
	operands, status, ok := parseFlags(fs, "explain", args, stderr)
	if !ok {
		return status
	}
	if len(operands) != 1 {
		return usageError(stderr, "explain", "want one rule ID, such as PQC030")
	}
	a := findRule(operands[0])
	if a == nil {
		fmt.Fprintf(stderr, "pqls explain: unknown rule %q; 'pqls rules' lists them\n", operands[0])
		return exitUsage
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n", a.ID, a.Title)
	fmt.Fprintf(&b, "Severity: %s\n", a.Severity)
	if a.Doc != "" {
		fmt.Fprintf(&b, "\n%s\n", wrap(a.Doc, 76))
	}
	if a.Bad != "" {
		fmt.Fprintf(&b, "\nBad:\n\n%s\n", indent(a.Bad))
	}
	if a.Good != "" {
		fmt.Fprintf(&b, "\nGood:\n\n%s\n", indent(a.Good))
	}
	fmt.Fprintf(&b, "\nFix: %s\n", wrap(report.FixText(a.Fix), 76))
	fmt.Fprintf(&b, "\nTo turn it off for\n")
	for _, l := range report.SuppressText(a.ID) {
		fmt.Fprintf(&b, "  - %s\n", l)
	}
	fmt.Fprintf(&b, "\nMore: %s\n", report.RuleURL(a.ID))
	if a.HelpURI != "" {
		fmt.Fprintf(&b, "Microsoft documentation: %s\n", a.HelpURI)
	}
	if _, err := io.WriteString(stdout, b.String()); err != nil {
		fmt.Fprintf(stderr, "pqls explain: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// findRule returns the analyzer with the ID, in any case.
func findRule(id string) *analysis.Analyzer {
	for _, a := range rules.All() {
		if strings.EqualFold(a.ID, id) {
			return a
		}
	}
	return nil
}

// wrap breaks text into lines of at most width columns at spaces, keeping
// the blank lines that separate paragraphs.
func wrap(text string, width int) string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(text), "\n\n") {
		var line string
		var lines []string
		for _, w := range strings.Fields(para) {
			switch {
			case line == "":
				line = w
			case len(line)+1+len(w) > width:
				lines = append(lines, line)
				line = w
			default:
				line += " " + w
			}
		}
		if line != "" {
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n")
}

// indent indents code by four spaces.
func indent(code string) string {
	lines := strings.Split(strings.TrimRight(code, "\n"), "\n")
	for i, l := range lines {
		if l != "" {
			lines[i] = "    " + l
		}
	}
	return strings.Join(lines, "\n")
}
