package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/pqls/pqls/project"
	"github.com/pqls/pqls/severity"
)

func TestParse(t *testing.T) {
	def := Default().Settings
	with := func(f func(s *Settings)) Settings {
		s := Default().Settings
		f(&s)
		return s
	}
	tests := []struct {
		name     string
		in       string
		rules    map[string]RuleConfig
		settings Settings
		delay    time.Duration
	}{
		{"empty object", `{}`, nil, def, 0},
		{"rule forms", `{"rules": {
			"PQC030": "warning", "PQC031": "off", "PQC032": "Info", "PQC033": "warn",
			"PQC034": {"severity": "hint"}, "PQC035": {"enabled": false},
			"PQC036": {"severity": "error", "enabled": true}, "PQC037": false, "PQC038": true,
			"pqc039": "error", "PQC040": {"severity": "off"}}}`,
			map[string]RuleConfig{
				"PQC030": {Severity: severity.Warning}, "PQC031": {Off: true}, "PQC032": {Severity: severity.Information},
				"PQC033": {Severity: severity.Warning}, "PQC034": {Severity: severity.Hint}, "PQC035": {Off: true},
				"PQC036": {Severity: severity.Error}, "PQC037": {Off: true}, "PQC038": {}, "PQC039": {Severity: severity.Error},
				"PQC040": {Off: true},
			}, def, 0},
		{"flat settings", `{"settings": {
			"certification.initialRelease": false,
			"certification.credentialQueryOptionName": "CredentialQueryString",
			"certification.nameAllowlist": ["FabricSql"],
			"certification.forbiddenWords": [],
			"certification.reviewMode": true,
			"certification.strictTracing": true,
			"certification.traceCallThreshold": 5}}`,
			nil, Settings{
				CredentialQueryOptionName: "CredentialQueryString",
				NameAllowlist:             []string{"FabricSql"},
				ForbiddenWords:            []string{},
				ReviewMode:                true,
				StrictTracing:             true,
				TraceCallThreshold:        5,
			}, 0},
		{"nested settings", `{"settings": {"certification": {"initialRelease": false, "forbiddenWords": ["X"]}}}`,
			nil, with(func(s *Settings) { s.InitialRelease = false; s.ForbiddenWords = []string{"X"} }), 0},
		{"delay and schema", `{"$schema": "https://example.invalid/pqls.schema.json", "diagnosticsDelay": 250}`,
			nil, def, 250 * time.Millisecond},
		{"byte order mark", "\ufeff{\"diagnosticsDelay\": 1}", nil, def, time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.Rules, tt.rules) {
				t.Errorf("Rules = %+v, want %+v", c.Rules, tt.rules)
			}
			if !reflect.DeepEqual(c.Settings, tt.settings) {
				t.Errorf("Settings = %+v, want %+v", c.Settings, tt.settings)
			}
			if c.DiagnosticsDelay != tt.delay {
				t.Errorf("DiagnosticsDelay = %v, want %v", c.DiagnosticsDelay, tt.delay)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name         string
		in           string
		line, column int
		msg          string // a part of the message
	}{
		{"trailing comma", "{\n  \"rules\": {},\n}", 3, 1, "trailing comma"},
		{"missing colon", `{"rules" {}}`, 1, 10, "after object key"},
		{"bad literal", "{\"settings\": {\"certification.reviewMode\": tru}}", 1, 46, "in literal true"},
		{"unterminated", "{\"rules\": {\n", 2, 1, "unexpected end of file"},
		{"empty", "", 1, 1, "unexpected end of file"},
		{"comment", "{\n  // no\n}", 2, 3, "comment"},
		{"not an object", `[]`, 1, 1, "must be an object"},
		{"unknown field", `{"rule": {}}`, 1, 2, `unknown field "rule"`},
		{"rules not object", `{"rules": "all"}`, 1, 11, "rules must be an object"},
		{"bad rule id", `{"rules": {"PQC30": "off"}}`, 1, 12, `"PQC30" is not a rule ID`},
		{"bad severity", "{\"rules\": {\n\t\"PQC030\": \"fatal\"}}", 2, 12, `unknown severity "fatal"`},
		{"bad severity in object", `{"rules": {"PQC030": {"severity": "loud"}}}`, 1, 35, `unknown severity "loud"`},
		{"bad rule value", `{"rules": {"PQC030": 3}}`, 1, 22, "must be a severity"},
		{"bad rule field", `{"rules": {"PQC030": {"level": "error"}}}`, 1, 23, `unknown field "level" in rule PQC030`},
		{"bad enabled", `{"rules": {"PQC030": {"enabled": "no"}}}`, 1, 34, "PQC030.enabled must be true or false"},
		{"duplicate rule", `{"rules": {"PQC030": "off", "PQC030": "error"}}`, 1, 29, "appears twice"},
		{"duplicate rule by case", `{"rules": {"PQC030": "off", "pqc030": "error"}}`, 1, 29, "configured twice"},
		{"unknown setting", `{"settings": {"certification.initalRelease": true}}`, 1, 15, `unknown setting "certification.initalRelease"`},
		{"unknown nested setting", `{"settings": {"certification": {"x": 1}}}`, 1, 33, `unknown setting "certification.x"`},
		{"setting twice", `{"settings": {"certification.reviewMode": true, "certification": {"reviewMode": false}}}`, 1, 67, "given twice"},
		{"wrong type", `{"settings": {"certification.initialRelease": "yes"}}`, 1, 47, "must be true or false, not \"yes\""},
		{"list of numbers", `{"settings": {"certification.forbiddenWords": ["A", 1]}}`, 1, 53, "must hold only strings"},
		{"bad option name", `{"settings": {"certification.credentialQueryOptionName": "Query"}}`, 1, 58, "must be \"CredentialQuery\""},
		{"negative threshold", `{"settings": {"certification.traceCallThreshold": -1}}`, 1, 51, "0 or more"},
		{"fractional delay", `{"diagnosticsDelay": 1.5}`, 1, 22, "whole number"},
		{"huge delay", `{"diagnosticsDelay": 99999999}`, 1, 22, "between 0 and"},
		// Columns count UTF-16 units: é is one, 😀 two.
		{"column units", "{\"é😀\": 1}", 1, 2, "unknown field"},
		{"after wide text", "{\"settings\": {\"certification.forbiddenWords\": [\"😀\", 2]}}", 1, 54, "must hold only strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := Parse([]byte(tt.in))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error = %v, want an *Error", tt.in, err)
			}
			if e.Line != tt.line || e.Column != tt.column || !strings.Contains(e.Msg, tt.msg) {
				t.Errorf("Parse(%q) = %d:%d: %s\nwant %d:%d: …%s…", tt.in, e.Line, e.Column, e.Msg, tt.line, tt.column, tt.msg)
			}
			if !reflect.DeepEqual(c, Default()) {
				t.Errorf("Parse returned %+v with its error, want the defaults", c)
			}
		})
	}
}

func TestKnownRule(t *testing.T) {
	p := Parser{KnownRule: func(id string) bool { return id == "PQC030" }}
	if _, err := p.Parse([]byte(`{"rules": {"PQC030": "off"}}`)); err != nil {
		t.Errorf("known rule: %v", err)
	}
	_, err := p.Parse([]byte(`{"rules": {"PQC030": "off", "PQC099": "off"}}`))
	var e *Error
	if !errors.As(err, &e) || e.Column != 29 || !strings.Contains(e.Msg, "unknown rule PQC099") {
		t.Errorf("unknown rule: %v", err)
	}
}

func TestFromJSON(t *testing.T) {
	for _, in := range []string{"", "  ", "null"} {
		c, err := FromJSON([]byte(in))
		if err != nil || !reflect.DeepEqual(c, Default()) {
			t.Errorf("FromJSON(%q) = %+v, %v; want the defaults", in, c, err)
		}
	}
	if _, err := FromJSON([]byte(`{"rules": 1}`)); err == nil {
		t.Error("FromJSON accepted a malformed value")
	}
}

func TestMerge(t *testing.T) {
	base, err := Parse([]byte(`{"rules": {"PQC030": "off", "PQC031": "hint"}, "settings": {"certification.reviewMode": true, "certification.forbiddenWords": ["A"]}, "diagnosticsDelay": 100}`))
	if err != nil {
		t.Fatal(err)
	}
	over, err := FromJSON([]byte(`{"rules": {"PQC030": "error"}, "settings": {"certification": {"initialRelease": false}}}`))
	if err != nil {
		t.Fatal(err)
	}
	m := Merge(base, over)
	want := map[string]RuleConfig{"PQC030": {Severity: severity.Error}, "PQC031": {Severity: severity.Hint}}
	if !reflect.DeepEqual(m.Rules, want) {
		t.Errorf("Rules = %+v, want %+v", m.Rules, want)
	}
	// Settings over does not name keep base's values, not the defaults.
	s := m.Settings
	if !s.ReviewMode || s.InitialRelease || !reflect.DeepEqual(s.ForbiddenWords, []string{"A"}) || m.DiagnosticsDelay != 100*time.Millisecond {
		t.Errorf("merged = %+v, delay %v", s, m.DiagnosticsDelay)
	}
	// Explicit tells a setting given in either file from a default.
	if !m.Explicit("certification.initialRelease") || !m.Explicit("certification.reviewMode") || m.Explicit("certification.strictTracing") || base.Explicit("certification.initialRelease") {
		t.Errorf("Explicit: initialRelease %v, reviewMode %v, strictTracing %v, base initialRelease %v",
			m.Explicit("certification.initialRelease"), m.Explicit("certification.reviewMode"),
			m.Explicit("certification.strictTracing"), base.Explicit("certification.initialRelease"))
	}
	// The arguments are left alone.
	if base.Rules["PQC030"] != (RuleConfig{Off: true}) || !base.Settings.InitialRelease {
		t.Errorf("Merge modified base: %+v", base)
	}
	// A merged configuration merges again with what it was given.
	m2 := Merge(Default(), m)
	if !reflect.DeepEqual(m2.Settings, m.Settings) || m2.DiagnosticsDelay != m.DiagnosticsDelay {
		t.Errorf("re-merge lost settings: %+v", m2)
	}
	m.Settings.ForbiddenWords[0] = "changed"
	if base.Settings.ForbiddenWords[0] != "A" {
		t.Error("Merge shares slices with base")
	}
}

func TestFindAndLoad(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "a", "b", FileName), 0o755); err != nil { // a folder, not a file
		t.Fatal(err)
	}
	cfg := filepath.Join(dir, "a", FileName)
	if err := os.WriteFile(cfg, []byte("{\n  \"rules\": {\"PQC030\": \"loud\"}\n}"), 0o644); err != nil {
		t.Fatal(err)
	}
	src := project.OS()
	got, ok := Find(src, deep)
	if !ok || got != cfg {
		t.Fatalf("Find = %q, %v; want %q", got, ok, cfg)
	}
	if got, ok := Find(src, dir); ok && strings.HasPrefix(got, dir) {
		t.Errorf("Find above the file = %q", got)
	}
	_, err := Load(src, cfg)
	var e *Error
	if !errors.As(err, &e) || e.Path != cfg || e.Line != 2 || e.Column != 23 {
		t.Fatalf("Load error = %v", err)
	}
	if want := cfg + ":2:23: unknown severity"; !strings.HasPrefix(e.Error(), want) {
		t.Errorf("Error() = %q, want prefix %q", e.Error(), want)
	}
	if _, err := Load(src, filepath.Join(dir, "none.json")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load of a missing file: %v", err)
	}
	// Editor buffers count too.
	over := project.Overlay(src, map[string][]byte{filepath.Join(deep, FileName): []byte(`{}`)})
	if got, ok := Find(over, deep); !ok || got != filepath.Join(deep, FileName) {
		t.Errorf("Find through an overlay = %q, %v", got, ok)
	}
}
