// Command pqls checks Power Query custom connectors against the
// certification rules and serves the same checks to editors.
//
// Usage:
//
//	pqls check [flags] [PATH...] report findings in connector projects (in . by default)
//	pqls rules [flags]           list the rules
//	pqls explain ID              explain one rule
//	pqls serve [flags]           run the language server on stdin/stdout
//	pqls parse [flags] FILE...   print syntax trees and errors
//	pqls fmt [flags] PATH...     format M files
//	pqls version                 print the version, commit and Go version
//	pqls help [COMMAND]          print help
//
// Exit status: 0 for success, 1 when check finds something at or above
// its --fail-on severity, 2 for usage and I/O errors.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2 // also I/O errors
)

// command is a subcommand.
type command struct {
	name    string
	args    string // what follows the name in a synopsis
	summary string
	flags   func(fs *flag.FlagSet) // defines the command's flags; nil for none
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
	doc     string // more help after the summary, or ""
}

// commands returns the subcommands in the order help lists them.
func commands() []command {
	return []command{
		{"check", "[flags] [PATH...]", "report findings in connector projects: folders (. by default), files or .mez archives",
			func(fs *flag.FlagSet) { checkFlags(fs) }, runCheck, ""},
		{"rules", "[flags]", "list the rules",
			func(fs *flag.FlagSet) { rulesFlags(fs) }, runRules, ""},
		{"explain", "ID", "explain a rule, with examples", nil, runExplain, ""},
		{"serve", "[flags]", "run the language server over standard input and output",
			func(fs *flag.FlagSet) { serveFlags(fs) }, runServe, ""},
		{"parse", "[flags] FILE...", "print the syntax errors, and with -ast the syntax trees, of M files",
			func(fs *flag.FlagSet) { parseFlagsOf(fs) },
			func(args []string, _ io.Reader, stdout, stderr io.Writer) int { return runParse(args, stdout, stderr) },
			parseDoc},
		{"fmt", "[flags] PATH...", "format M files in the canonical layout",
			func(fs *flag.FlagSet) { fmtFlags(fs) }, runFmt, fmtDoc},
		{"version", "", "print the version, the commit and the Go version pqls was built with", nil, runVersion, ""},
		{"help", "[COMMAND]", "print help", nil, runHelp, ""},
	}
}

func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// run runs the command line args (without the program name) and returns
// the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help":
		usage(stdout)
		return exitOK
	case "-version", "--version":
		return runVersion(nil, stdin, stdout, stderr)
	}
	cmd, ok := lookup(args[0])
	if !ok {
		unknownCommand(stderr, args[0])
		return exitUsage
	}
	return cmd.run(args[1:], stdin, stdout, stderr)
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "pqls checks Power Query custom connectors against the certification rules.\n\nUsage:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "  pqls %-8s %-16s %s\n", c.name, c.args, c.summary)
	}
	fmt.Fprintf(w, "\nRun 'pqls help COMMAND' for a command's flags.\n")
}

// commandUsage prints the synopsis and flags of cmd.
func commandUsage(w io.Writer, cmd command) {
	fmt.Fprintf(w, "usage: pqls %s %s\n\n%s.\n", cmd.name, cmd.args, upperFirst(cmd.summary))
	if cmd.doc != "" {
		fmt.Fprintf(w, "\n%s", cmd.doc)
	}
	if cmd.flags == nil {
		return
	}
	fs := flag.NewFlagSet(cmd.name, flag.ContinueOnError)
	cmd.flags(fs)
	fmt.Fprintf(w, "\nFlags:\n")
	fs.SetOutput(w)
	fs.PrintDefaults()
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func runHelp(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	switch len(args) {
	case 0:
		usage(stdout)
		return exitOK
	case 1:
		cmd, ok := lookup(args[0])
		if !ok {
			fmt.Fprintf(stderr, "pqls help: unknown command %q\n", args[0])
			return exitUsage
		}
		commandUsage(stdout, cmd)
		return exitOK
	}
	fmt.Fprintf(stderr, "usage: pqls help [COMMAND]\n")
	return exitUsage
}

// parseFlags parses the arguments of the command name, whose flags are
// defined on fs. Flags may come after operands, as in
// `pqls check . --format json`; "--" ends the flags. It returns the
// operands, or an exit status (ok false) when the command should stop: 0
// after -h, 2 after a usage error, in both cases with the usage printed on
// stderr.
func parseFlags(fs *flag.FlagSet, name string, args []string, stderr io.Writer) (operands []string, status int, ok bool) {
	fs.SetOutput(stderr)
	fs.Usage = func() {
		if cmd, ok := lookup(name); ok {
			commandUsage(stderr, cmd)
		}
	}
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, exitOK, false
			}
			return nil, exitUsage, false
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return operands, 0, true
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(operands, rest...), 0, true
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}

// usageError reports a mistake in the command line of the command name.
func usageError(stderr io.Writer, name, format string, args ...any) int {
	fmt.Fprintf(stderr, "pqls %s: %s\n", name, fmt.Sprintf(format, args...))
	fmt.Fprintf(stderr, "Run 'pqls help %s' for usage.\n", name)
	return exitUsage
}
