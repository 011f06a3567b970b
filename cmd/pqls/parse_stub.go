package main

import (
	"fmt"
	"io"
)

// runParse implements pqls parse. This stand-in keeps the command line
// building until the real one, in parse.go, replaces this file.
func runParse(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "pqls parse: not built yet")
	return exitUsage
}
