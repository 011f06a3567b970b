// Package config reads pqls settings: pqls.json files and the same settings
// sent by an editor.
package config

// Config is the settings for one project. (Stub: the full version replaces it.)
type Config struct {
	Rules    map[string]RuleConfig `json:"rules"`
	Settings Settings              `json:"settings"`
}

// RuleConfig turns a rule off or overrides its severity.
type RuleConfig struct {
	Off      bool
	Severity string // "", error, warning, information, hint
}

// Settings are the rule settings of the certification catalogue §6.2.
type Settings struct {
	InitialRelease            bool
	CredentialQueryOptionName string
	NameAllowlist             []string
	ForbiddenWords            []string
	ReviewMode                bool
	StrictTracing             bool
	TraceCallThreshold        int
}

// Default returns the settings used when nothing is configured.
func Default() *Config {
	return &Config{Settings: Settings{
		InitialRelease:            true,
		CredentialQueryOptionName: "CredentialQuery",
		ForbiddenWords:            []string{"Fabric", "Power BI", "Connector", "API"},
		TraceCallThreshold:        20,
	}}
}
