// Package testfiles is what tests that reach outside Go share: finding an
// external program, which may be missing only outside CI, listing the M
// files of the repository that the differential and formatter tests read,
// and running the Node scripts that drive Microsoft's packages beside ours.
package testfiles

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// NeedProgram returns the path of program. When it is missing the test is
// skipped, unless the CI environment variable is set: in CI every test runs.
func NeedProgram(tb testing.TB, program string) string {
	tb.Helper()
	p, err := exec.LookPath(program)
	if err != nil {
		if os.Getenv("CI") == "" {
			tb.Skipf("%s not installed (set CI=1 to make this a failure)", program)
		}
		tb.Fatalf("%s not installed, and CI is set: %v", program, err)
	}
	return p
}

// MFiles returns every .pq, .pqm and .m file under the folders tops, sorted,
// passing over node_modules and folders that do not exist.
func MFiles(tb testing.TB, tops ...string) []string {
	tb.Helper()
	var files []string
	for _, top := range tops {
		err := filepath.WalkDir(top, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				if os.IsNotExist(err) {
					return filepath.SkipDir
				}
				return err
			}
			if d.IsDir() {
				if d.Name() == "node_modules" {
					return filepath.SkipDir
				}
				return nil
			}
			switch filepath.Ext(path) {
			case ".pq", ".pqm", ".m":
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
	sort.Strings(files)
	return files
}

// NodePackages makes sure the npm packages of the folder dir (a test's
// package.json and package-lock.json) are installed, running npm ci when
// node_modules lacks pkg, and returns the absolute path of dir.
func NodePackages(tb testing.TB, dir, pkg string) string {
	tb.Helper()
	abs, err := filepath.Abs(dir)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "node_modules", filepath.FromSlash(pkg), "package.json")); err != nil {
		cmd := exec.Command(NeedProgram(tb, "npm"), "ci", "--no-audit", "--no-fund")
		cmd.Dir = abs
		if out, err := cmd.CombinedOutput(); err != nil {
			tb.Fatalf("npm ci in %s: %v\n%s", abs, err, out)
		}
	}
	return abs
}

// RunNode runs the Node script with args, the files listed on its standard
// input one a line, for at most timeout, and decodes each line it prints, a
// JSON object, into a T; key says which file a result is for. It is how the
// differential tests and the side-by-side benchmark read Microsoft's
// results. A failed run (its first lines of standard error say why), a line
// that does not decode or a file without a result is an error.
func RunNode[T any](tb testing.TB, timeout time.Duration, script string, args, files []string, key func(T) string) (map[string]T, error) {
	tb.Helper()
	node := NeedProgram(tb, "node")
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, append([]string{script}, args...)...)
	cmd.Stdin = strings.NewReader(strings.Join(files, "\n") + "\n")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("node %s: %v: %s", filepath.Base(script), err, firstLines(stderr.String(), 12))
	}
	res := make(map[string]T, len(files))
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<26)
	for sc.Scan() {
		var r T
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("bad line from %s: %v: %.200q", filepath.Base(script), err, sc.Text())
		}
		res[key(r)] = r
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading the output of %s: %w", filepath.Base(script), err)
	}
	if len(res) != len(files) {
		return nil, fmt.Errorf("%s printed %d results for %d files: %s", filepath.Base(script), len(res), len(files), firstLines(stderr.String(), 12))
	}
	return res, nil
}

// firstLines returns the first n non-blank lines of s, joined by " / ".
func firstLines(s string, n int) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" && len(out) < n {
			out = append(out, l)
		}
	}
	return strings.Join(out, " / ")
}
