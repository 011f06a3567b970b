package config

import (
	"testing"
	"unicode/utf8"
)

// FuzzParse feeds arbitrary bytes to the pqls.json parser. It must never
// panic; a rejected file yields an *Error located inside the input and the
// defaults; an accepted one sane values. Run longer with
//
//	go test -run '^$' -fuzz FuzzParse -fuzztime 2m ./config
func FuzzParse(f *testing.F) {
	for _, seed := range []string{
		`{}`,
		`{"rules": {"PQC030": "warning", "PQC024": "off", "PQC050": {"severity": "hint", "enabled": true}}}`,
		`{"settings": {"certification": {"initialRelease": false, "forbiddenWords": ["a", "b"]}}}`,
		`{"settings": {"certification.traceCallThreshold": 5}, "diagnosticsDelay": 300, "maxFileSizeMB": 64}`,
		"\xef\xbb\xbf{\"maxFileSizeMB\": 0}",
		`{"rules": {"PQC030": "warning",}}`,
		`{"rules": [`,
		`null`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if c == nil {
			t.Fatal("Parse returned no configuration")
		}
		if err != nil {
			e, ok := err.(*Error)
			if !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if e.Line < 1 || e.Column < 1 || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("error located outside the input of %d bytes: %+v", len(data), e)
			}
			if !utf8.ValidString(e.Msg) && utf8.Valid(data) {
				t.Fatalf("message not UTF-8: %q", e.Msg)
			}
			if c.MaxFileSize != Default().MaxFileSize {
				t.Fatalf("a rejected file changed the defaults: %+v", c)
			}
			return
		}
		if c.MaxFileSize < 1<<20 || c.MaxFileSize > maxSizeMB<<20 || c.DiagnosticsDelay < 0 || c.Settings.TraceCallThreshold < 0 {
			t.Fatalf("accepted values out of range: %+v", c)
		}
		// Parsing is deterministic, and Merge over the defaults keeps it.
		again, err := Parse(data)
		if err != nil || again.MaxFileSize != c.MaxFileSize || len(again.Rules) != len(c.Rules) {
			t.Fatalf("second parse differs: %v", err)
		}
		if m := Merge(Default(), c); m.MaxFileSize != c.MaxFileSize || m.DiagnosticsDelay != c.DiagnosticsDelay {
			t.Fatalf("Merge lost settings: %+v", m)
		}
	})
}
