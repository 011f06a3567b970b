package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/pqls/pqls/internal/testconnector"
)

// TestCheckMemory runs `pqls check --format json` in a fresh process (this
// test binary, as the command; see TestMain) over the generated 20 MB
// folder of 100 projects and over one generated 20 MB file, and reads the
// peak resident memory of each from the kernel (ru_maxrss). Issue 10's
// budget for the folder is 150 MB; the single file has no budget yet and is
// logged.
func TestCheckMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("slow")
	}
	folder := t.TempDir()
	writeFolder(t, folder)
	one := t.TempDir()
	if err := os.WriteFile(filepath.Join(one, "Big.pq"), testconnector.Section(20<<20), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		dir    string
		budget int64 // MB, or 0
	}{
		{"20 MB folder of 100 projects", folder, 150},
		{"one 20 MB file", one, 0},
	} {
		cmd := exec.Command(os.Args[0], "check", "--format", "json", "--fail-on", "hint", tc.dir)
		cmd.Env = append(os.Environ(), "PQLS_TEST_RUN_MAIN=1")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != exitFindings {
			t.Fatalf("%s: pqls check: %v, want exit status %d", tc.name, err, exitFindings)
		}
		ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
		if !ok {
			t.Skip("no rusage on this system")
		}
		peak := ru.Maxrss >> 10 // kilobytes on Linux
		t.Logf("%s: peak RSS %d MB", tc.name, peak)
		if tc.budget > 0 && peak > tc.budget && !raceEnabled {
			t.Errorf("%s: peak RSS %d MB, over the %d MB budget", tc.name, peak, tc.budget)
		}
	}
}
