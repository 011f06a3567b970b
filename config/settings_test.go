package config

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pqls/pqls/project"
)

func TestMaxFileSize(t *testing.T) {
	tests := []struct {
		json string
		want int64
		err  string
	}{
		{`{}`, project.DefaultMaxFileSize, ""},
		{`{"maxFileSizeMB": 64}`, 64 << 20, ""},
		{`{"maxFileSizeMB": 0}`, project.DefaultMaxFileSize, "between 1 and 4096"},
		{`{"maxFileSizeMB": 5000}`, project.DefaultMaxFileSize, "between 1 and 4096"},
		{`{"maxFileSizeMB": "32MB"}`, project.DefaultMaxFileSize, "whole number"},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(tt.json))
		if tt.err == "" && err != nil || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("%s: error %v, want %q", tt.json, err, tt.err)
		}
		if c.MaxFileSize != tt.want {
			t.Errorf("%s: MaxFileSize %d, want %d", tt.json, c.MaxFileSize, tt.want)
		}
	}
	editor, err := FromJSON([]byte(`{"maxFileSizeMB": 8}`))
	if err != nil {
		t.Fatal(err)
	}
	if got := Merge(Default(), editor).MaxFileSize; got != 8<<20 {
		t.Errorf("Merge: MaxFileSize %d, want %d", got, 8<<20)
	}
	if got := Merge(editor, Default()).MaxFileSize; got != 8<<20 {
		t.Errorf("Merge over defaults that set nothing: MaxFileSize %d", got)
	}
}

// Origin names the settings in force, and says when the file lies in a
// folder above the project, where it applies without being in sight.
func TestOrigin(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	c, err := Load(overlay(map[string]string{filepath.Join(dir, FileName): `{}`}), filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Origin(proj), filepath.Join(dir, FileName)+" (found in a folder above "+proj+")"; got != want {
		t.Errorf("Origin = %q, want %q", got, want)
	}
	if got := c.Origin(dir); got != filepath.Join(dir, FileName) {
		t.Errorf("Origin in its own folder = %q", got)
	}
	if got := Default().Origin(proj); !strings.HasPrefix(got, "the defaults") {
		t.Errorf("Origin of the defaults = %q", got)
	}
}

func overlay(files map[string]string) project.Source {
	m := make(map[string][]byte, len(files))
	for k, v := range files {
		m[k] = []byte(v)
	}
	return project.Overlay(project.OS(), m)
}
