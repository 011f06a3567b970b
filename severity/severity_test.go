package severity

import (
	"encoding/json"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Level
		ok   bool
	}{
		{"error", Error, true},
		{"Warning", Warning, true},
		{"warn", Warning, true},
		{"information", Information, true},
		{"INFO", Information, true},
		{"hint", Hint, true},
		{"", 0, false},
		{"fatal", 0, false},
		{"off", 0, false},
	} {
		got, err := Parse(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("Parse(%q) = %v, %v; want %v, ok %v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func TestString(t *testing.T) {
	for l, want := range map[Level]string{Error: "error", Warning: "warning", Information: "information", Hint: "hint", 0: "severity(0)", 7: "severity(7)"} {
		if got := l.String(); got != want {
			t.Errorf("Level(%d).String() = %q, want %q", int(l), got, want)
		}
	}
}

// TestJSON checks that a Level is a name in JSON, both ways, and that
// neither the zero Level nor an unknown name passes.
func TestJSON(t *testing.T) {
	b, err := json.Marshal(map[string]Level{"a": Information})
	if err != nil || string(b) != `{"a":"information"}` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	var m map[string]Level
	if err := json.Unmarshal([]byte(`{"a":"hint"}`), &m); err != nil || m["a"] != Hint {
		t.Fatalf("Unmarshal = %v, %v", m, err)
	}
	if _, err := json.Marshal(Level(0)); err == nil {
		t.Error("Marshal of the zero Level succeeded")
	}
	if err := json.Unmarshal([]byte(`"fatal"`), new(Level)); err == nil {
		t.Error(`Unmarshal of "fatal" succeeded`)
	}
}
