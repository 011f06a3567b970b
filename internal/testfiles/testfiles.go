// Package testfiles is what tests that reach outside Go share: finding an
// external program, which may be missing only outside CI, and listing the M
// files of the repository that the differential and formatter tests read.
package testfiles

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
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
