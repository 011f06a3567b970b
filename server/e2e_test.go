package server

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pqls/pqls/internal/testfiles"
)

// End-to-end tests: the pqls binary, built from ./cmd/pqls, driven by real
// LSP clients. A test skips when its client program is missing, unless the
// environment variable CI is set: under CI a missing program is a failure.

var (
	binOnce sync.Once
	binPath string
	binErr  error
	binDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// repoRoot is the module root, the parent of this package's folder.
func repoRoot(t testing.TB) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Dir(wd)
}

// pqlsBinary builds the pqls command once per test run.
func pqlsBinary(t testing.TB) string {
	t.Helper()
	binOnce.Do(func() {
		binDir, binErr = os.MkdirTemp("", "pqls-e2e-")
		if binErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "pqls")
		cmd := exec.Command("go", "build", "-o", binPath, "./cmd/pqls")
		cmd.Dir = repoRoot(t)
		out, err := cmd.CombinedOutput()
		if err != nil {
			binErr = err
			binPath = string(out)
		}
	})
	if binErr != nil {
		t.Fatalf("go build ./cmd/pqls: %v\n%s", binErr, binPath)
	}
	return binPath
}

func connectorProject(t *testing.T) string {
	dir := writeProject(t, map[string]string{
		"Contoso.pq": "// A connector without a version 😀\r\nsection Contoso;\r\n\r\nshared Contoso.Contents = () => \"hello\";\r\n",
	})
	return filepath.Join(dir, "Contoso.pq")
}

// Headless Neovim 0.7+ with the plugin in editors/neovim, through its own
// test script.
func TestNeovimEndToEnd(t *testing.T) {
	nvim := testfiles.NeedProgram(t, "nvim")
	bin := pqlsBinary(t)
	script := filepath.Join(repoRoot(t), "editors", "neovim", "test", "e2e.lua")
	if _, err := os.Stat(script); err != nil {
		t.Fatalf("the Neovim test script is missing: %v", err)
	}
	file := connectorProject(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "-u", script, "--", file)
	cmd.Dir = filepath.Dir(file)
	cmd.Env = append(os.Environ(), "PQLS_BIN="+bin, "XDG_STATE_HOME="+t.TempDir(), "XDG_DATA_HOME="+t.TempDir(), "XDG_CONFIG_HOME="+t.TempDir())
	out, err := cmd.CombinedOutput()
	t.Logf("nvim output:\n%s", out)
	if err != nil {
		t.Fatalf("nvim: %v", err)
	}
	if !strings.Contains(string(out), "diag 1 0 PQC002") {
		t.Errorf("no PQC002 diagnostic on line 1 (0-based) in the output")
	}
	if !strings.Contains(string(out), "hover ```powerquery shared Contoso.Contents = () => \"hello\"") {
		t.Errorf("no hover on Contoso.Contents in the output")
	}
	if !strings.Contains(string(out), "definition 3 7") {
		t.Errorf("no definition at 3:7 (the member's name) in the output")
	}
	if !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Errorf("the script did not end with ok")
	}
}

// The vscode-languageserver-protocol client (VS Code's protocol library)
// over stdio, through server/testdata/e2e/node/client.mjs.
func TestNodeEndToEnd(t *testing.T) {
	node := testfiles.NeedProgram(t, "node")
	dir := testfiles.NodePackages(t, filepath.Join("testdata", "e2e", "node"), "vscode-languageserver-protocol")
	bin := pqlsBinary(t)
	file := connectorProject(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(dir, "client.mjs"), bin, file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	t.Logf("node output:\n%s", out)
	if err != nil {
		t.Fatalf("node client.mjs: %v", err)
	}
	if !strings.Contains(string(out), "diag 1:0 PQC002") || !strings.Contains(string(out), "action ") {
		t.Errorf("expected a PQC002 diagnostic on line 1 and a code action")
	}
	if !strings.HasSuffix(strings.TrimSpace(string(out)), "ok") {
		t.Errorf("the client did not end with ok")
	}
}
