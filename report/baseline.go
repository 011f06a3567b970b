package report

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"slices"
)

// Baseline is a record of accepted findings, typically the findings an
// existing connector had when pqls was adopted. Filter hides them so that
// only new findings are reported.
//
// Findings are recorded by file, code and fingerprint, where the file is
// relative to the baseline file's folder and the fingerprint depends on the
// text of the finding's line rather than its number: adding or removing
// lines elsewhere keeps a finding matched; changing its line makes it new.
type Baseline struct {
	dir   string        // the folder of the baseline file
	count map[entry]int // how many findings of each kind remain to hide
	n     int           // findings recorded
}

// entry identifies recorded findings.
type entry struct {
	Path, Code, Fingerprint string
}

// baselineVersion is the format version; a later format that can't be read
// as this one gets a new number.
const baselineVersion = 1

type baselineFile struct {
	Version  int               `json:"version"`
	Findings []baselineFinding `json:"findings"`
}

type baselineFinding struct {
	Path        string `json:"path"` // slash-separated, relative to the baseline file
	Code        string `json:"code"`
	Fingerprint string `json:"fingerprint"`
	Message     string `json:"message,omitempty"` // for the people reading the file; not matched
}

// WriteBaseline writes a baseline recording every finding in files, for a
// baseline file to be stored in folder dir. The paths of files and dir must
// be both absolute or both relative to the same folder.
func WriteBaseline(w io.Writer, dir string, files []File) error {
	s := newSources(files)
	out := baselineFile{Version: baselineVersion, Findings: []baselineFinding{}}
	for _, f := range files {
		rel := relPath(dir, f.Path)
		for i, fp := range fingerprints(s, f, "") {
			d := &f.Diagnostics[i]
			out.Findings = append(out.Findings, baselineFinding{Path: rel, Code: d.Code, Fingerprint: fp, Message: oneLine(d.Message)})
		}
	}
	// A stable order keeps diffs of a committed baseline small.
	slices.SortFunc(out.Findings, func(a, b baselineFinding) int {
		return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Code, b.Code), cmp.Compare(a.Fingerprint, b.Fingerprint))
	})
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ReadBaseline reads a baseline written by WriteBaseline, for a baseline
// file stored in folder dir.
func ReadBaseline(r io.Reader, dir string) (*Baseline, error) {
	var in baselineFile
	d := json.NewDecoder(r)
	d.DisallowUnknownFields()
	if err := d.Decode(&in); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if in.Version != baselineVersion {
		return nil, fmt.Errorf("read baseline: version %d, want %d", in.Version, baselineVersion)
	}
	b := &Baseline{dir: dir, count: make(map[entry]int, len(in.Findings))}
	for _, f := range in.Findings {
		if f.Path == "" || f.Code == "" || f.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: finding %+v lacks path, code or fingerprint", f)
		}
		b.count[entry{f.Path, f.Code, f.Fingerprint}]++
		b.n++
	}
	return b, nil
}

// Len returns the number of findings b records.
func (b *Baseline) Len() int { return b.n }

// Filter returns files without the findings b records. Each recorded
// finding hides one finding. The result shares the files' text; files and
// their findings are not modified.
func (b *Baseline) Filter(files []File) []File {
	s := newSources(files)
	left := make(map[entry]int, len(b.count))
	for e, n := range b.count {
		left[e] = n
	}
	out := make([]File, 0, len(files))
	for _, f := range files {
		rel := relPath(b.dir, f.Path)
		kept := f
		kept.Diagnostics = nil
		for i, fp := range fingerprints(s, f, "") {
			d := f.Diagnostics[i]
			e := entry{rel, d.Code, fp}
			if left[e] > 0 {
				left[e]--
				continue
			}
			kept.Diagnostics = append(kept.Diagnostics, d)
		}
		out = append(out, kept)
	}
	return out
}

// relPath returns path relative to dir, slash-separated; or path itself
// when it has no relative form.
func relPath(dir, path string) string {
	if rel, err := filepath.Rel(dir, path); err == nil {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(path)
}
