// Package severity is the one severity type of pqls: how serious a finding
// is. The analysis framework gives it to findings and rules, the settings
// (config) to the rules they override, the server and the reports turn it
// into LSP, SARIF and text. It is a package of its own because config
// cannot import analysis, which imports config.
package severity

import (
	"fmt"
	"strings"
)

// Level is how serious a finding is. The values match LSP's
// DiagnosticSeverity; the zero Level is no severity (in the settings: the
// rule's own).
type Level int

const (
	Error       Level = 1
	Warning     Level = 2
	Information Level = 3
	Hint        Level = 4
)

var names = [...]string{Error: "error", Warning: "warning", Information: "information", Hint: "hint"}

// Valid reports whether l is one of Error, Warning, Information and Hint.
func (l Level) Valid() bool { return l >= Error && l <= Hint }

func (l Level) String() string {
	if l.Valid() {
		return names[l]
	}
	return fmt.Sprintf("severity(%d)", int(l))
}

// Parse parses a severity name: error, warning (or warn), information (or
// info) and hint, in any case.
func Parse(s string) (Level, error) {
	switch strings.ToLower(s) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "information", "info":
		return Information, nil
	case "hint":
		return Hint, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, information or hint)", s)
}

// MarshalText writes the name of l, so that JSON holds "warning", not 2.
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("no severity %d", int(l))
	}
	return []byte(names[l]), nil
}

// UnmarshalText reads a name Parse accepts.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}
