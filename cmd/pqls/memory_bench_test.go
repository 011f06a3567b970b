package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/pqls/pqls/internal/testconnector"
)

// BenchmarkPeakMemory20MB measures the peak resident memory of pqls on one
// generated 20 MB connector, in a process of its own (the test binary
// re-run as pqls), as the kernel counts it (getrusage's maxrss):
//
//   - check: `pqls check DIR`;
//   - serve: `pqls serve` opening the file, publishing its diagnostics,
//     taking one edit and its diagnostics, then semantic tokens of the
//     whole file.
//
// go test -run '^$' -bench PeakMemory20MB -benchtime 1x ./cmd/pqls
func BenchmarkPeakMemory20MB(b *testing.B) {
	dir := b.TempDir()
	main := filepath.Join(dir, "Bench.pq")
	src := testconnector.Section(20 << 20)
	if err := os.WriteFile(main, src, 0o644); err != nil {
		b.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	pqls := func(args ...string) *exec.Cmd {
		cmd := exec.Command(self, args...)
		cmd.Env = append(os.Environ(), "PQLS_TEST_RUN_MAIN=1")
		cmd.Stderr = os.Stderr
		return cmd
	}
	peak := func(b *testing.B, cmd *exec.Cmd) {
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			b.Skip("no rusage on this system")
		}
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-MB") // Linux counts KB
	}

	b.Run("check", func(b *testing.B) {
		for b.Loop() {
			cmd := pqls("check", dir)
			out, err := cmd.Output()
			if _, ok := err.(*exec.ExitError); err != nil && !ok {
				b.Fatal(err)
			}
			if !strings.Contains(string(out), "findings") {
				b.Fatalf("no summary in the output of check:\n%s", out)
			}
			peak(b, cmd)
		}
	})

	b.Run("serve", func(b *testing.B) {
		for b.Loop() {
			cmd := pqls("serve")
			in, err := cmd.StdinPipe()
			if err != nil {
				b.Fatal(err)
			}
			out, err := cmd.StdoutPipe()
			if err != nil {
				b.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				b.Fatal(err)
			}
			c := &lspClient{w: in, r: bufio.NewReader(out)}
			uri := "file://" + main
			c.call(b, 1, "initialize", map[string]any{"processId": nil, "rootUri": "file://" + dir, "capabilities": map[string]any{}})
			c.notify(b, "initialized", map[string]any{})
			c.notify(b, "textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "powerquery", "version": 1, "text": string(src)}})
			c.diagnostics(b, uri, 1)
			c.notify(b, "textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": uri, "version": 2},
				"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": 20, "character": 0}, "end": map[string]any{"line": 20, "character": 0}}, "text": "// edited\n"}},
			})
			c.diagnostics(b, uri, 2)
			if res := c.call(b, 2, "textDocument/semanticTokens/full", map[string]any{"textDocument": map[string]any{"uri": uri}}); !strings.Contains(string(res), `"data":[`) {
				b.Fatalf("semantic tokens: %.200s", res)
			}
			c.call(b, 3, "shutdown", nil)
			c.notify(b, "exit", nil)
			in.Close()
			if err := cmd.Wait(); err != nil {
				b.Fatal(err)
			}
			peak(b, cmd)
		}
	})
}

// lspClient is the least of an LSP client: framed JSON-RPC over the
// server's standard input and output.
type lspClient struct {
	w io.Writer
	r *bufio.Reader
}

type lspMessage struct {
	ID     *int            `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
	Result json.RawMessage `json:"result"`
	Error  json.RawMessage `json:"error"`
}

func (c *lspClient) send(b *testing.B, msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	body, err := json.Marshal(msg)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := fmt.Fprintf(c.w, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		b.Fatal(err)
	}
}

func (c *lspClient) notify(b *testing.B, method string, params any) {
	c.send(b, map[string]any{"method": method, "params": params})
}

// read returns the next message from the server, answering the server's
// own requests (configuration, registrations) with null.
func (c *lspClient) read(b *testing.B) lspMessage {
	for {
		n := -1
		for {
			line, err := c.r.ReadString('\n')
			if err != nil {
				b.Fatalf("reading from the server: %v", err)
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(strings.ToLower(line), "content-length:"); ok {
				if n, err = strconv.Atoi(strings.TrimSpace(v)); err != nil {
					b.Fatal(err)
				}
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(c.r, body); err != nil {
			b.Fatal(err)
		}
		var m lspMessage
		if err := json.Unmarshal(body, &m); err != nil {
			b.Fatal(err)
		}
		if m.ID != nil && m.Method != "" {
			c.send(b, map[string]any{"id": *m.ID, "result": nil})
			continue
		}
		return m
	}
}

func (c *lspClient) call(b *testing.B, id int, method string, params any) json.RawMessage {
	c.send(b, map[string]any{"id": id, "method": method, "params": params})
	for {
		m := c.read(b)
		if m.ID != nil && *m.ID == id && m.Method == "" {
			if len(m.Error) > 0 {
				b.Fatalf("%s: %s", method, m.Error)
			}
			return m.Result
		}
	}
}

// diagnostics waits for the diagnostics of uri at version.
func (c *lspClient) diagnostics(b *testing.B, uri string, version int) {
	for {
		m := c.read(b)
		if m.Method != "textDocument/publishDiagnostics" {
			continue
		}
		var p struct {
			URI     string `json:"uri"`
			Version *int   `json:"version"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			b.Fatal(err)
		}
		if p.URI == uri && p.Version != nil && *p.Version == version {
			return
		}
	}
}
