// Package config reads pqls settings: pqls.json files and the same settings
// sent by an editor.
//
// A pqls.json file looks like this:
//
//	{
//	  "rules": {
//	    "PQC030": "warning",
//	    "PQC024": "off",
//	    "PQC050": {"severity": "hint", "enabled": true}
//	  },
//	  "settings": {
//	    "certification.initialRelease": false,
//	    "certification.forbiddenWords": ["Fabric", "Power BI", "Connector", "API"]
//	  },
//	  "diagnosticsDelay": 300,
//	  "maxFileSizeMB": 32,
//	  "format": {"indent": 4, "lineWidth": 120}
//	}
//
// Settings may also be nested: {"settings": {"certification": {"initialRelease": false}}}.
// The file applies to the folder it is in and every folder below (see Find).
// Mistakes — bad JSON, unknown rules or settings, values of the wrong type —
// are errors that say where they are (see Error), never silently ignored.
package config

import (
	"maps"
	"path/filepath"
	"slices"
	"time"

	"github.com/pqls/pqls/project"
	"github.com/pqls/pqls/severity"
)

// FileName is the name of configuration files.
const FileName = "pqls.json"

// Config is the settings for one project.
type Config struct {
	// Rules turns rules off or changes their severity, by rule ID.
	Rules    map[string]RuleConfig
	Settings Settings
	// DiagnosticsDelay is how long the language server waits after an edit
	// before it checks again; zero leaves the choice to the server.
	DiagnosticsDelay time.Duration
	// MaxFileSize is the largest project file, in bytes, that pqls reads
	// (maxFileSizeMB in pqls.json); larger files are reported, not read.
	MaxFileSize int64

	// Path is the configuration file the settings were read from, or ""
	// for the defaults and settings sent by an editor.
	Path string

	// Format is the formatter's layout.
	Format Format

	// set records which settings were given explicitly, by their
	// flat name, so that Merge overrides only those.
	set map[string]bool
}

// RuleConfig turns a rule off or overrides its severity.
type RuleConfig struct {
	Off      bool
	Severity severity.Level // 0 for the rule's own
}

// Settings are the rule settings of the certification catalogue §6.2.
type Settings struct {
	InitialRelease            bool     // certification.initialRelease (PQC012; when not set explicitly the rule infers it from the code)
	CredentialQueryOptionName string   // certification.credentialQueryOptionName: CredentialQuery or CredentialQueryString
	NameAllowlist             []string // certification.nameAllowlist (PQC007, PQC008)
	ForbiddenWords            []string // certification.forbiddenWords (PQC007, PQC066)
	ReviewMode                bool     // certification.reviewMode: the review reminders
	StrictTracing             bool     // certification.strictTracing (PQC037 as an error)
	TraceCallThreshold        int      // certification.traceCallThreshold (PQC038)
	DocumentationStrings      bool     // certification.documentationStrings: PQC024 also on Documentation.* text
}

// Default returns the settings used when nothing is configured.
func Default() *Config {
	return &Config{Settings: Settings{
		InitialRelease:            true,
		CredentialQueryOptionName: "CredentialQuery",
		ForbiddenWords:            []string{"Fabric", "Power BI", "Connector", "API"},
		TraceCallThreshold:        5,
	}, MaxFileSize: project.DefaultMaxFileSize}
}

// Rule returns the configuration of the rule id; the zero RuleConfig if
// there is none.
func (c *Config) Rule(id string) RuleConfig { return c.Rules[id] }

// Clone returns a deep copy of c.
func (c *Config) Clone() *Config {
	d := *c
	d.Rules = maps.Clone(c.Rules)
	d.set = maps.Clone(c.set)
	d.Settings.NameAllowlist = slices.Clone(c.Settings.NameAllowlist)
	d.Settings.ForbiddenWords = slices.Clone(c.Settings.ForbiddenWords)
	return &d
}

// Merge returns base with everything over sets explicitly laid on top:
// over's rule entries replace base's for the same rule, and each setting
// over names replaces base's. Neither argument is modified. The language
// server uses it to combine a pqls.json file with an editor's settings.
func Merge(base, over *Config) *Config {
	c := base.Clone()
	if len(over.Rules) > 0 && c.Rules == nil {
		c.Rules = make(map[string]RuleConfig, len(over.Rules))
	}
	maps.Copy(c.Rules, over.Rules)
	for name := range over.set {
		switch name {
		case delayName:
			c.DiagnosticsDelay = over.DiagnosticsDelay
		case maxSizeName:
			c.MaxFileSize = over.MaxFileSize
		default:
			if mergeFormat(c, over, name) {
				break
			}
			settingTable[name].copy(&c.Settings, &over.Settings)
		}
		c.mark(name)
	}
	return c
}

// Explicit reports whether the setting or option with flat name name (such
// as "certification.initialRelease") was given explicitly rather than left
// at its default. Rules that infer a default from the code use it to let an
// explicit setting override the inference.
func (c *Config) Explicit(name string) bool { return c.set[name] }

func (c *Config) mark(name string) {
	if c.set == nil {
		c.set = make(map[string]bool)
	}
	c.set[name] = true
}

// Origin says, in words for a log or for pqls check -v, where the settings
// in force for folder dir come from: a configuration file, noting when it
// lies in a folder above dir (and so applies without being in sight), or
// the defaults.
func (c *Config) Origin(dir string) string {
	if c.Path == "" {
		return "the defaults (no " + FileName + " in " + dir + " or a folder above)"
	}
	if cfgDir := filepath.Dir(c.Path); cfgDir != filepath.Clean(dir) {
		return c.Path + " (found in a folder above " + dir + ")"
	}
	return c.Path
}

// Find returns the configuration file that applies to folder dir: the
// pqls.json in dir or in the nearest folder above it.
func Find(src project.Source, dir string) (path string, ok bool) {
	dir = filepath.Clean(dir)
	for {
		p := filepath.Join(dir, FileName)
		if info, err := src.Stat(p); err == nil && !info.IsDir() {
			return p, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}
