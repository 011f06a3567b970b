package server

import (
	"bytes"
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// stdout carries the protocol: the server code must not write anything
// else there (lsp-stack.md §5). zap.NewExample and the "stdout" sink write
// to os.Stdout, and so do fmt.Print* and the standard log package.
func TestNothingButProtocolOnStdout(t *testing.T) {
	banned := regexp.MustCompile(`os\.Stdout|fmt\.Print|zap\.NewExample|"stdout"|\blog\.Print|\blog\.Fatal|println\(`)
	files, _ := filepath.Glob("*.go")
	checked := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if banned.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d writes to stdout: %s", f, i+1, strings.TrimSpace(line))
			}
		}
		checked++
	}
	if checked < 5 {
		t.Fatalf("checked only %d files", checked)
	}
}

func TestLogOptions(t *testing.T) {
	if _, _, err := newLogger(Options{LogLevel: "chatty"}); err == nil {
		t.Error("an unknown log level was accepted")
	}
	if _, _, err := newLogger(Options{LogFile: filepath.Join(t.TempDir(), "no", "such", "dir", "log")}); err == nil {
		t.Error("a log file that cannot be created was accepted")
	}

	// Logs go to the file; stderr stays empty; debug lines only at debug;
	// routine info lines only at info or below, not by default.
	for _, level := range []string{"debug", "info", "warn", ""} {
		logFile := filepath.Join(t.TempDir(), "pqls.log")
		var stderr bytes.Buffer
		c1, c2 := net.Pipe()
		done := make(chan error, 1)
		go func() {
			done <- Run(context.Background(), c1, c1, Options{LogFile: logFile, LogLevel: level, Stderr: &stderr})
		}()
		rc := &rawClient{t: t, conn: c2, r: newReader(c2), done: done}
		rc.initialize()
		rc.send(`{"jsonrpc":"2.0","method":"pqls/unknown","params":{}}`)
		rc.send(`{"jsonrpc":"2.0","id":2,"method":"shutdown"}`)
		rc.response("2")
		rc.send(`{"jsonrpc":"2.0","method":"exit"}`)
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Run: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return")
		}
		c2.Close()
		data, err := os.ReadFile(logFile)
		if err != nil {
			t.Fatal(err)
		}
		if stderr.Len() != 0 {
			t.Errorf("level %s: logged to stderr despite --log-file: %q", level, stderr.String())
		}
		hasDebug := strings.Contains(string(data), "notification ignored")
		if (level == "debug") != hasDebug {
			t.Errorf("level %s: debug line present = %v in\n%s", level, hasDebug, data)
		}
		hasInfo := strings.Contains(string(data), "initialize")
		if wantInfo := level == "debug" || level == "info"; hasInfo != wantInfo {
			t.Errorf("level %q: info line present = %v in\n%s", level, hasInfo, data)
		}
	}
}
