package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/project"
	"github.com/pqls/pqls/severity"
)

// Error is a mistake in configuration, located by 1-based line and column
// (the column counts UTF-16 code units, as editors do).
type Error struct {
	Path         string // the file, or "" for settings sent by an editor
	Line, Column int    // 1-based
	Offset       int    // 0-based byte offset
	Msg          string
}

func (e *Error) Error() string {
	if e.Path == "" {
		return fmt.Sprintf("%d:%d: %s", e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Column, e.Msg)
}

// A Parser reads configuration. The zero Parser accepts every rule ID of
// the form PQCnnn.
type Parser struct {
	// KnownRule, if set, reports whether a rule exists; configuring a rule
	// it does not know is an error.
	KnownRule func(id string) bool
}

// Parse parses a pqls.json file with the zero Parser.
func Parse(data []byte) (*Config, error) { return Parser{}.Parse(data) }

// FromJSON parses settings sent by an editor with the zero Parser.
func FromJSON(raw []byte) (*Config, error) { return Parser{}.FromJSON(raw) }

// Load reads and parses the configuration file at path with the zero Parser.
func Load(src project.Source, path string) (*Config, error) { return Parser{}.Load(src, path) }

// Parse parses the content of a pqls.json file over the defaults. A
// malformed file yields an *Error, and with it the default configuration,
// so that a caller can report the error and carry on.
func (p Parser) Parse(data []byte) (*Config, error) {
	c, err := p.parse(data)
	if err != nil {
		return Default(), err
	}
	return c, nil
}

// FromJSON parses settings in the shape of a pqls.json file as sent by an
// editor (LSP initializationOptions or workspace/configuration). Empty input
// and null mean no settings. Errors are as for Parse.
func (p Parser) FromJSON(raw []byte) (*Config, error) {
	if t := bytes.TrimSpace(raw); len(t) == 0 || string(t) == "null" {
		return Default(), nil
	}
	return p.Parse(raw)
}

// Load reads the configuration file at path and parses it. Errors are as
// for Parse, and an *Error carries the path.
func (p Parser) Load(src project.Source, path string) (*Config, error) {
	data, err := src.ReadFile(path)
	if err != nil {
		return Default(), fmt.Errorf("read configuration: %w", err)
	}
	c, err := p.Parse(data)
	var e *Error
	if errors.As(err, &e) {
		e.Path = path
	}
	c.Path = path
	return c, err
}

func (p Parser) parse(data []byte) (*Config, error) {
	r := &reader{data: data, known: p.KnownRule}
	// A byte order mark is not JSON but editors on Windows write one. Blank
	// it out rather than cut it, so that offsets stay those of the file.
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		data = append([]byte("   "), data[3:]...)
	}
	if err := json.Unmarshal(data, new(any)); err != nil {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			off := int(se.Offset)
			// Offset counts the offending byte; point at it, except at the
			// end of the input.
			if off > 0 && off <= len(data) && !strings.Contains(se.Error(), "end of JSON input") {
				off--
			}
			return nil, r.errorf(off, "%s", jsonMessage(se))
		}
		return nil, r.errorf(0, "%v", err)
	}
	r.dec = json.NewDecoder(bytes.NewReader(data))
	r.dec.UseNumber()
	c := Default()
	if err := r.config(c); err != nil {
		return nil, err
	}
	return c, nil
}

// jsonMessage rewords a JSON syntax error for a person editing the file.
func jsonMessage(se *json.SyntaxError) string {
	msg := se.Error()
	switch {
	case strings.Contains(msg, "end of JSON input"):
		return "unexpected end of file: a closing } or ] is missing"
	case strings.Contains(msg, "looking for beginning of object key string"):
		return "expected a quoted field name (JSON allows no trailing comma or comment): " + msg
	}
	return msg
}

// reader walks a valid JSON document token by token, keeping the byte
// offset of each token for error messages.
type reader struct {
	data  []byte
	dec   *json.Decoder
	lines *token.Lines
	known func(string) bool
}

func (r *reader) errorf(off int, format string, args ...any) *Error {
	if r.lines == nil {
		r.lines = token.NewLines(r.data)
	}
	pos := r.lines.UTF16(off)
	return &Error{Line: pos.Line + 1, Column: pos.Column + 1, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// next returns the next token and the offset where it starts.
func (r *reader) next() (json.Token, int, error) {
	off := int(r.dec.InputOffset())
	for off < len(r.data) && strings.IndexByte(" \t\r\n,:", r.data[off]) >= 0 {
		off++
	}
	tok, err := r.dec.Token()
	if err == io.EOF {
		return nil, off, r.errorf(off, "unexpected end of file")
	}
	if err != nil {
		return nil, off, r.errorf(off, "%v", err)
	}
	return tok, off, nil
}

// object reads an object, calling field for each of its fields, which must
// read the field's value. Repeated names are errors.
func (r *reader) object(what string, field func(name string, off int) error) error {
	tok, off, err := r.next()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return r.errorf(off, "%s must be an object, not %s", what, describe(tok))
	}
	return r.fields(what, field)
}

func (r *reader) config(c *Config) error {
	return r.object("the configuration", func(name string, off int) error {
		switch name {
		case "rules":
			return r.rules(c)
		case "settings":
			return r.settings(c, "")
		case delayName:
			ms, off, err := r.integer(name)
			if err != nil {
				return err
			}
			if ms < 0 || ms > maxDelay {
				return r.errorf(off, "%s must be between 0 and %d milliseconds", name, maxDelay)
			}
			c.DiagnosticsDelay = time.Duration(ms) * time.Millisecond
			c.mark(delayName)
			return nil
		case maxSizeName:
			mb, off, err := r.integer(name)
			if err != nil {
				return err
			}
			if mb < 1 || mb > maxSizeMB {
				return r.errorf(off, "%s must be between 1 and %d (megabytes)", name, maxSizeMB)
			}
			c.MaxFileSize = mb << 20
			c.mark(maxSizeName)
			return nil
		case "$schema":
			_, err := r.str(name)
			return err
		case formatName:
			return r.format(c)
		}
		return r.errorf(off, "unknown field %q (want rules, settings, %s, %s or %s)", name, formatName, delayName, maxSizeName)
	})
}

const (
	delayName   = "diagnosticsDelay"
	maxDelay    = 60_000
	maxSizeName = "maxFileSizeMB"
	maxSizeMB   = 4096
)

var ruleID = regexp.MustCompile(`^PQC[0-9]{3}$`)

func (r *reader) rules(c *Config) error {
	return r.object("rules", func(name string, off int) error {
		id := strings.ToUpper(name)
		switch {
		case !ruleID.MatchString(id):
			return r.errorf(off, "%q is not a rule ID (want PQC and three digits, such as PQC030)", name)
		case r.known != nil && !r.known(id):
			return r.errorf(off, "unknown rule %s (pqls rules lists them)", id)
		case hasKey(c.Rules, id):
			return r.errorf(off, "rule %s is configured twice", id)
		}
		rc, err := r.rule(id)
		if err != nil {
			return err
		}
		if c.Rules == nil {
			c.Rules = make(map[string]RuleConfig)
		}
		c.Rules[id] = rc
		return nil
	})
}

func hasKey(m map[string]RuleConfig, k string) bool {
	_, ok := m[k]
	return ok
}

// rule reads the value of one rule: a severity, "off", true or false, or an
// object {"severity": …, "enabled": …}.
func (r *reader) rule(id string) (RuleConfig, error) {
	tok, off, err := r.next()
	if err != nil {
		return RuleConfig{}, err
	}
	switch tok := tok.(type) {
	case bool:
		return RuleConfig{Off: !tok}, nil
	case string:
		return r.severity(id, tok, off)
	case json.Delim:
		if tok != '{' {
			break
		}
		var rc RuleConfig
		enabled := true
		err := r.fields(id, func(name string, off int) error {
			switch name {
			case "severity":
				s, off, err := r.strAt(id + ".severity")
				if err != nil {
					return err
				}
				sev, err := r.severity(id, s, off)
				rc.Severity = sev.Severity
				rc.Off = rc.Off || sev.Off
				return err
			case "enabled":
				b, err := r.boolean(id + ".enabled")
				enabled = b
				return err
			}
			return r.errorf(off, "unknown field %q in rule %s (want severity or enabled)", name, id)
		})
		rc.Off = rc.Off || !enabled
		return rc, err
	}
	return RuleConfig{}, r.errorf(off, "rule %s must be a severity (error, warning, information, hint or off) or an object, not %s", id, describe(tok))
}

// fields reads the rest of an object whose { has been read, calling field
// for each field, which must read the field's value. Repeated names are
// errors.
func (r *reader) fields(what string, field func(name string, off int) error) error {
	var seen []string
	for r.dec.More() {
		tok, off, err := r.next()
		if err != nil {
			return err
		}
		name := tok.(string)
		if slices.Contains(seen, name) {
			return r.errorf(off, "%q appears twice in %s", name, what)
		}
		seen = append(seen, name)
		if err := field(name, off); err != nil {
			return err
		}
	}
	_, _, err := r.next() // }
	return err
}

// severity reads a rule's severity name, or "off", at offset off.
func (r *reader) severity(id, s string, off int) (RuleConfig, error) {
	if strings.EqualFold(s, "off") {
		return RuleConfig{Off: true}, nil
	}
	sev, err := severity.Parse(s)
	if err != nil {
		return RuleConfig{}, r.errorf(off, "unknown severity %q for %s (want error, warning, information, hint or off)", s, id)
	}
	return RuleConfig{Severity: sev}, nil
}

// settings reads a settings object. Names are flat ("certification.x") or
// nested ({"certification": {"x": …}}); prefix is the path of the nesting.
func (r *reader) settings(c *Config, prefix string) error {
	what := "settings"
	if prefix != "" {
		what = strings.TrimSuffix(prefix, ".")
	}
	return r.object(what, func(name string, off int) error {
		full := prefix + name
		if s, ok := settingTable[full]; ok {
			if c.set[full] {
				return r.errorf(off, "setting %s is given twice", full)
			}
			if err := s.read(r, full, &c.Settings); err != nil {
				return err
			}
			c.mark(full)
			return nil
		}
		if isSettingGroup(full) {
			return r.settings(c, full+".")
		}
		return r.errorf(off, "unknown setting %q (known: %s)", full, strings.Join(settingNames(), ", "))
	})
}

// setting describes one setting: how to read it and how Merge copies it.
type setting struct {
	read func(r *reader, name string, s *Settings) error
	copy func(dst, src *Settings)
}

// settingTable lists the settings by flat name. It is never modified.
var settingTable = map[string]setting{
	"certification.initialRelease": {
		read: func(r *reader, name string, s *Settings) (err error) {
			s.InitialRelease, err = r.boolean(name)
			return err
		},
		copy: func(d, s *Settings) { d.InitialRelease = s.InitialRelease },
	},
	"certification.credentialQueryOptionName": {
		read: func(r *reader, name string, s *Settings) error {
			v, off, err := r.strAt(name)
			if err != nil {
				return err
			}
			if v != "CredentialQuery" && v != "CredentialQueryString" {
				return r.errorf(off, "%s must be \"CredentialQuery\" or \"CredentialQueryString\", not %q", name, v)
			}
			s.CredentialQueryOptionName = v
			return nil
		},
		copy: func(d, s *Settings) { d.CredentialQueryOptionName = s.CredentialQueryOptionName },
	},
	"certification.nameAllowlist": {
		read: func(r *reader, name string, s *Settings) (err error) {
			s.NameAllowlist, err = r.strings(name)
			return err
		},
		copy: func(d, s *Settings) { d.NameAllowlist = slices.Clone(s.NameAllowlist) },
	},
	"certification.forbiddenWords": {
		read: func(r *reader, name string, s *Settings) (err error) {
			s.ForbiddenWords, err = r.strings(name)
			return err
		},
		copy: func(d, s *Settings) { d.ForbiddenWords = slices.Clone(s.ForbiddenWords) },
	},
	"certification.reviewMode": {
		read: func(r *reader, name string, s *Settings) (err error) { s.ReviewMode, err = r.boolean(name); return err },
		copy: func(d, s *Settings) { d.ReviewMode = s.ReviewMode },
	},
	"certification.documentationStrings": {
		read: func(r *reader, name string, s *Settings) (err error) {
			s.DocumentationStrings, err = r.boolean(name)
			return err
		},
		copy: func(d, s *Settings) { d.DocumentationStrings = s.DocumentationStrings },
	},
	"certification.strictTracing": {
		read: func(r *reader, name string, s *Settings) (err error) {
			s.StrictTracing, err = r.boolean(name)
			return err
		},
		copy: func(d, s *Settings) { d.StrictTracing = s.StrictTracing },
	},
	"certification.traceCallThreshold": {
		read: func(r *reader, name string, s *Settings) error {
			n, off, err := r.integer(name)
			if err != nil {
				return err
			}
			if n < 0 || n > math.MaxInt32 {
				return r.errorf(off, "%s must be a count of calls, 0 or more", name)
			}
			s.TraceCallThreshold = int(n)
			return nil
		},
		copy: func(d, s *Settings) { d.TraceCallThreshold = s.TraceCallThreshold },
	},
}

// settingNames returns the flat names of all settings, sorted.
func settingNames() []string {
	return slices.Sorted(func(yield func(string) bool) {
		for name := range settingTable {
			if !yield(name) {
				return
			}
		}
	})
}

// isSettingGroup reports whether name is a prefix of setting names, such as
// "certification".
func isSettingGroup(name string) bool {
	for full := range settingTable {
		if strings.HasPrefix(full, name+".") {
			return true
		}
	}
	return false
}

// Readers of single values. Each names the setting in its errors.

func (r *reader) boolean(name string) (bool, error) {
	tok, off, err := r.next()
	if err != nil {
		return false, err
	}
	b, ok := tok.(bool)
	if !ok {
		return false, r.errorf(off, "%s must be true or false, not %s", name, describe(tok))
	}
	return b, nil
}

func (r *reader) str(name string) (string, error) {
	s, _, err := r.strAt(name)
	return s, err
}

func (r *reader) strAt(name string) (string, int, error) {
	tok, off, err := r.next()
	if err != nil {
		return "", off, err
	}
	s, ok := tok.(string)
	if !ok {
		return "", off, r.errorf(off, "%s must be a string, not %s", name, describe(tok))
	}
	return s, off, nil
}

func (r *reader) integer(name string) (int64, int, error) {
	tok, off, err := r.next()
	if err != nil {
		return 0, off, err
	}
	num, ok := tok.(json.Number)
	if !ok {
		return 0, off, r.errorf(off, "%s must be a whole number, not %s", name, describe(tok))
	}
	n, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil {
		return 0, off, r.errorf(off, "%s must be a whole number, not %s", name, num)
	}
	return n, off, nil
}

func (r *reader) strings(name string) ([]string, error) {
	tok, off, err := r.next()
	if err != nil {
		return nil, err
	}
	if tok != json.Delim('[') {
		return nil, r.errorf(off, "%s must be a list of strings, not %s", name, describe(tok))
	}
	list := []string{}
	for r.dec.More() {
		tok, off, err := r.next()
		if err != nil {
			return nil, err
		}
		s, ok := tok.(string)
		if !ok {
			return nil, r.errorf(off, "%s must hold only strings, not %s", name, describe(tok))
		}
		list = append(list, s)
	}
	_, _, err = r.next() // ]
	return list, err
}

// describe names the kind of JSON value that starts with tok.
func describe(tok json.Token) string {
	switch tok := tok.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(tok)
	case json.Number:
		return "the number " + tok.String()
	case string:
		return strconv.Quote(tok)
	case json.Delim:
		if tok == '{' {
			return "an object"
		}
		return "a list"
	}
	return fmt.Sprint(tok)
}
