package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/pqls/pqls/server"
)

// serveOptions are the flags of pqls serve.
type serveOptions struct {
	stdio    bool
	logFile  string
	logLevel string
}

func serveFlags(fs *flag.FlagSet) *serveOptions {
	o := new(serveOptions)
	fs.BoolVar(&o.stdio, "stdio", true, "talk LSP over standard input and output (the only transport; accepted because editors pass it)")
	fs.StringVar(&o.logFile, "log-file", "", "write the log to this `file` instead of standard error")
	fs.StringVar(&o.logLevel, "log-level", "warn", "log `level`: debug, info, warn or error; info adds a line per request of note")
	return o
}

// runServe implements pqls serve. Standard output carries the protocol and
// nothing else: usage and errors go to standard error.
func runServe(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	o := serveFlags(fs)
	operands, status, ok := parseFlags(fs, "serve", args, stderr)
	if !ok {
		return status
	}
	if len(operands) > 0 {
		return usageError(stderr, "serve", "unexpected arguments %q", operands)
	}
	switch o.logLevel {
	case "debug", "info", "warn", "error":
	default:
		return usageError(stderr, "serve", "unknown log level %q (want debug, info, warn or error)", o.logLevel)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := server.Run(ctx, stdin, stdout, server.Options{LogFile: o.logFile, LogLevel: o.logLevel, Stderr: stderr})
	var code server.ExitCode
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	}
	fmt.Fprintf(stderr, "pqls serve: %v\n", err)
	return 1
}
