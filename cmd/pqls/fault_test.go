package main

// The fault suite of the command line (docs/reliability.md): unreadable
// and special files, --fix safety and its fixpoint, settings. Tests that
// need permissions to matter run pqls as the unprivileged user 65534
// through setpriv, since tests run as root in CI.

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets the test binary stand in for pqls when re-run by asNobody.
func TestMain(m *testing.M) {
	if os.Getenv("PQLS_TEST_RUN_MAIN") == "1" {
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

const fixable = "section Fixable;\nshared Fixable.Contents = 1;\n"
const fixed = "[Version = \"1.0.0\"]\n" + fixable

// openTree writes files like writeTree in a folder that every user may
// read and enter, and returns it.
func openTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "pqls-fault-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { os.Chmod(p, 0o755); return nil })
		os.RemoveAll(dir)
	})
	must(t, os.Chmod(dir, 0o755))
	writeTree(t, dir, files)
	return dir
}

// pqlsWithin runs pqls in-process and fails the test if it does not end
// within a minute.
func pqlsWithin(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	type result struct {
		out, err string
		status   int
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		s := run(args, strings.NewReader(""), &out, &errOut)
		done <- result{out.String(), errOut.String(), s}
	}()
	select {
	case r := <-done:
		return r.out, r.err, r.status
	case <-time.After(time.Minute):
		t.Fatalf("pqls %v did not end: blocked", args)
	}
	return "", "", 0
}

// asNobody runs pqls as user and group 65534 in folder dir. Running as
// another user is only possible as root; a test already running without
// root runs pqls as itself. Without setpriv the test is skipped, except
// in CI.
func asNobody(t *testing.T, dir string, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var cmd *exec.Cmd
	if os.Geteuid() != 0 {
		cmd = exec.Command(self, args...)
	} else {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("setpriv is needed to run as another user (apt-get install util-linux)")
			}
			t.Skip("setpriv not found: cannot run as an unprivileged user")
		}
		// The test binary may sit in a folder only root can enter.
		bin := filepath.Join(openTree(t, nil), "pqls")
		copyFile(t, self, bin, 0o755)
		cmd = exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", bin}, args...)...)
	}
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PQLS_TEST_RUN_MAIN=1")
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), 0
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	in, err := os.Open(from)
	must(t, err)
	defer in.Close()
	out, err := os.OpenFile(to, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode)
	must(t, err)
	_, err = io.Copy(out, in)
	must(t, err)
	must(t, out.Close())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func readString(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	must(t, err)
	return string(data)
}

// Item 1: a project document that cannot be read fails the check with
// status 2 and says which and why, for every reason it can have.
func TestFaultUnreadableFilesFail(t *testing.T) {
	project := map[string]string{
		"P.pq":  "section P;\nshared P.Contents = 1;\n",
		"A.pqm": "let a = 1 in a\n",
	}
	t.Run("permission", func(t *testing.T) {
		for _, name := range []string{"P.pq", "A.pqm"} {
			dir := openTree(t, project)
			must(t, os.Chmod(filepath.Join(dir, name), 0))
			_, stderr, status := asNobody(t, dir, "check", ".")
			if status != exitUsage || !strings.Contains(stderr, name+": cannot be read") || !strings.Contains(stderr, "permission denied") {
				t.Errorf("%s unreadable: status %d, stderr %q", name, status, stderr)
			}
		}
	})
	t.Run("dangling link", func(t *testing.T) {
		dir := openTree(t, map[string]string{"A.pqm": "1"})
		must(t, os.Symlink("Gone.pq", filepath.Join(dir, "P.pq")))
		_, stderr, status := pqlsWithin(t, "check", dir)
		if status != exitUsage || !strings.Contains(stderr, "P.pq: cannot be read") {
			t.Errorf("status %d, stderr %q", status, stderr)
		}
	})
	t.Run("special files", func(t *testing.T) {
		dir := openTree(t, project)
		must(t, syscall.Mkfifo(filepath.Join(dir, "Pipe.pqm"), 0o644))
		must(t, os.Symlink("/dev/zero", filepath.Join(dir, "Zero.pqm")))
		stdout, stderr, status := pqlsWithin(t, "check", dir)
		for _, name := range []string{"Pipe.pqm", "Zero.pqm"} {
			if !strings.Contains(stderr, name+": cannot be read: not a regular file") || !strings.Contains(stdout, name+":1:1: error project") {
				t.Errorf("%s: stdout %q, stderr %q", name, stdout, stderr)
			}
		}
		if status != exitUsage {
			t.Errorf("status %d, want %d", status, exitUsage)
		}
	})
	t.Run("size limit", func(t *testing.T) {
		big := "// " + strings.Repeat("x", 3<<19) + "\nlet a = 1 in a\n" // 1.5 MB
		dir := openTree(t, map[string]string{"P.pq": project["P.pq"], "Big.pqm": big, "pqls.json": `{"maxFileSizeMB": 1}`})
		_, stderr, status := pqlsWithin(t, "check", dir)
		if status != exitUsage || !strings.Contains(stderr, "Big.pqm: cannot be read: file too large") || !strings.Contains(stderr, "maxFileSizeMB") {
			t.Errorf("over the limit: status %d, stderr %q", status, stderr)
		}
		must(t, os.WriteFile(filepath.Join(dir, "pqls.json"), []byte(`{"maxFileSizeMB": 2}`), 0o644))
		if _, stderr, status := pqlsWithin(t, "check", dir); status == exitUsage {
			t.Errorf("under a raised limit: status %d, stderr %q", status, stderr)
		}
	})
}

// Item 3: includes that lead outside the project are findings, and the
// file they name is never read.
func TestFaultOutsideInclude(t *testing.T) {
	root := openTree(t, map[string]string{
		"secret.pqm":     "let secret = \"x\" in secret\n",
		"proj/P.proj":    `<Project><ItemGroup><MezContent Include="P.pq" /><MezContent Include="..\secret.pqm" /></ItemGroup></Project>`,
		"proj/P.pq":      "[Version = \"1.0.0\"]\nsection P;\nshared P.Contents = 1;\n",
		"proj/pqls.json": `{}`,
	})
	stdout, _, _ := pqlsWithin(t, "check", filepath.Join(root, "proj"))
	if !strings.Contains(stdout, `the item "../secret.pqm" is outside the project folder`) {
		t.Errorf("no finding for the .. include:\n%s", stdout)
	}
	if strings.Contains(stdout, "secret.pqm:") {
		t.Errorf("the file outside the project was checked:\n%s", stdout)
	}
}

// Item 4: --fix writes only files inside the project, resolved; refuses
// read-only and unwritable files; keeps mode, owner and hard links.
func TestFaultFixSafety(t *testing.T) {
	t.Run("link out of the project", func(t *testing.T) {
		root := openTree(t, map[string]string{"outside/Fixable.pq": fixable, "proj/A.pqm": "1"})
		must(t, os.Symlink(filepath.Join(root, "outside", "Fixable.pq"), filepath.Join(root, "proj", "Fixable.pq")))
		pqlsWithin(t, "check", "--fix", filepath.Join(root, "proj"))
		if got := readString(t, filepath.Join(root, "outside", "Fixable.pq")); got != fixable {
			t.Errorf("the file outside the project was changed:\n%s", got)
		}
	})
	t.Run("link inside the project", func(t *testing.T) {
		root := openTree(t, map[string]string{"proj/src/Real.pq": fixable})
		link := filepath.Join(root, "proj", "Fixable.pq")
		must(t, os.Symlink(filepath.Join("src", "Real.pq"), link))
		pqlsWithin(t, "check", "--fix", filepath.Join(root, "proj"))
		if got := readString(t, filepath.Join(root, "proj", "src", "Real.pq")); got != fixed {
			t.Errorf("the link's target inside the project was not fixed:\n%s", got)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link was replaced: %v", err)
		}
	})
	t.Run("read-only", func(t *testing.T) {
		dir := openTree(t, map[string]string{"Fixable.pq": fixable})
		must(t, os.Chmod(filepath.Join(dir, "Fixable.pq"), 0o444))
		_, stderr, status := pqlsWithin(t, "check", "--fix", dir)
		if got := readString(t, filepath.Join(dir, "Fixable.pq")); got != fixable {
			t.Errorf("a read-only file was changed")
		}
		if status != exitUsage || !strings.Contains(stderr, "read-only; not written") {
			t.Errorf("status %d, stderr %q", status, stderr)
		}
	})
	t.Run("not permitted", func(t *testing.T) {
		dir := openTree(t, map[string]string{"Fixable.pq": fixable})
		_, stderr, status := asNobody(t, dir, "check", "--fix", ".")
		if got := readString(t, filepath.Join(dir, "Fixable.pq")); got != fixable {
			t.Errorf("a file the user may not write was changed")
		}
		if status != exitUsage || !strings.Contains(stderr, "not written") {
			t.Errorf("status %d, stderr %q", status, stderr)
		}
	})
	t.Run("mode and owner", func(t *testing.T) {
		dir := openTree(t, map[string]string{"Fixable.pq": fixable})
		p := filepath.Join(dir, "Fixable.pq")
		must(t, os.Chmod(p, 0o640))
		uid, gid := os.Getuid(), os.Getgid()
		if uid == 0 {
			uid, gid = 65534, 65534
			must(t, os.Chown(p, uid, gid))
		}
		pqlsWithin(t, "check", "--fix", dir)
		info, err := os.Stat(p)
		must(t, err)
		st := info.Sys().(*syscall.Stat_t)
		if readString(t, p) != fixed || info.Mode().Perm() != 0o640 || int(st.Uid) != uid || int(st.Gid) != gid {
			t.Errorf("after --fix: mode %v, owner %d:%d, want 0640 %d:%d", info.Mode().Perm(), st.Uid, st.Gid, uid, gid)
		}
	})
	t.Run("hard link", func(t *testing.T) {
		root := openTree(t, map[string]string{"proj/Fixable.pq": fixable})
		p, other := filepath.Join(root, "proj", "Fixable.pq"), filepath.Join(root, "Other.pq")
		must(t, os.Link(p, other))
		before, err := os.Stat(p)
		must(t, err)
		pqlsWithin(t, "check", "--fix", filepath.Join(root, "proj"))
		after, err := os.Stat(p)
		must(t, err)
		if !os.SameFile(before, after) || readString(t, other) != fixed {
			t.Errorf("the hard link was broken: same file %v, other name reads %q", os.SameFile(before, after), readString(t, other))
		}
		if entries, _ := os.ReadDir(filepath.Join(root, "proj")); len(entries) != 1 {
			t.Errorf("backup or temporary files left: %v", entries)
		}
	})
}

// Item 5: --fix reaches its fixpoint in one run: a second run on the
// output of the first applies nothing, on the repository's example
// connector.
func TestFaultFixFixpoint(t *testing.T) {
	dir := t.TempDir()
	must(t, os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "examples"))))
	_, stderr, _ := pqlsWithin(t, "check", "--fix", dir)
	if !strings.Contains(stderr, "applied") || strings.Contains(stderr, "left") {
		t.Fatalf("first --fix: %q", stderr)
	}
	if _, stderr, _ := pqlsWithin(t, "check", "--fix", dir); strings.Contains(stderr, "applied") || strings.Contains(stderr, "left") {
		t.Errorf("second --fix: %q", stderr)
	}
}

// Item 7: a project file that does not parse gives its parse error and not
// also a warning for every file it would have had to list; -v says which
// settings file is in force, also one in a folder above.
func TestFaultMessages(t *testing.T) {
	root := openTree(t, map[string]string{
		"pqls.json":   `{"rules": {"PQC002": "off"}}`,
		"proj/P.proj": `<Project><ItemGroup><MezContent Include="P.pq"`,
		"proj/P.pq":   "section P;\nshared P.Contents = Extension.Contents(\"A.pqm\");\n",
		"proj/A.pqm":  "1",
	})
	proj := filepath.Join(root, "proj")
	stdout, stderr, _ := pqlsWithin(t, "check", "-v", proj)
	if !strings.Contains(stdout, "P.proj:") || strings.Contains(stdout, "PQC021") {
		t.Errorf("want only the parse error of P.proj:\n%s", stdout)
	}
	if want := filepath.Join(root, "pqls.json") + " (found in a folder above " + proj + ")"; !strings.Contains(stderr, want) {
		t.Errorf("-v does not name the settings in force: %q, want %q", stderr, want)
	}
}
