package config

import (
	"errors"
	"strings"
	"testing"
)

func TestFormatSection(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{`{}`, Format{}},
		{`{"format": {}}`, Format{}},
		{`{"format": {"indent": 2}}`, Format{IndentWidth: 2}},
		{`{"format": {"indent": "tab", "lineWidth": 100}}`, Format{Tabs: true, LineWidth: 100}},
	}
	for _, tt := range tests {
		c, err := Parse([]byte(tt.in))
		if err != nil {
			t.Fatalf("Parse(%s): %v", tt.in, err)
		}
		if c.Format != tt.want {
			t.Errorf("Parse(%s).Format = %+v, want %+v", tt.in, c.Format, tt.want)
		}
	}
}

func TestFormatSectionErrors(t *testing.T) {
	tests := []struct{ in, msg string }{
		{`{"format": 4}`, "format must be an object"},
		{`{"format": {"indent": 0}}`, "from 1 to 16"},
		{`{"format": {"indent": "tabs"}}`, `not "tabs"`},
		{`{"format": {"indent": true}}`, "from 1 to 16"},
		{`{"format": {"lineWidth": 5}}`, "between 20 and 1000"},
		{`{"format": {"width": 80}}`, `unknown field "width" of format`},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.in))
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("Parse(%s) error = %v, want one saying …%s…", tt.in, err, tt.msg)
		}
	}
}

func TestMergeFormat(t *testing.T) {
	base, err := Parse([]byte(`{"format": {"indent": "tab", "lineWidth": 90}}`))
	if err != nil {
		t.Fatal(err)
	}
	over, err := Parse([]byte(`{"format": {"indent": 2}}`))
	if err != nil {
		t.Fatal(err)
	}
	got := Merge(base, over).Format
	if want := (Format{IndentWidth: 2, LineWidth: 90}); got != want {
		t.Errorf("Merge = %+v, want %+v (indent from over, width from base)", got, want)
	}
}
