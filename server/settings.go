package server

import (
	"bytes"
	"context"
	"encoding/json"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"

	"github.com/pqls/pqls/config"
)

// The editor sends the settings of pqls.json — {"rules": …, "settings": …,
// "diagnosticsDelay": …} — in initializationOptions, in the answer to
// workspace/configuration (section "pqls"), and in
// workspace/didChangeConfiguration. Each of these may also wrap them as
// {"pqls": {…}}, the shape VS Code's settings have. A project's pqls.json is
// laid over them (see configFor): what the file sets wins, for every
// setting the two share — rules, settings, format, diagnosticsDelay and
// maxFileSizeMB —, since the file is the project's, shared with its team
// and with `pqls check` in CI; what it leaves out comes from the editor,
// then from the defaults. maxFileSizeMB from the editor also bounds what
// the server reads before it knows a document's project (the pqls.json
// itself, the project files that say which project it is).

// settings are the editor's settings.
type settings struct {
	raw      json.RawMessage
	cfg      *config.Config
	features editorFeatures // see features.go
}

func defaultSettings() settings { return settings{cfg: config.Default(), features: defaultFeatures()} }

// section returns the pqls settings inside raw: raw.pqls if raw is an
// object with such a member that is an object, else raw.
func section(raw json.RawMessage) json.RawMessage {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		if inner, ok := obj["pqls"]; ok {
			if t := bytes.TrimSpace(inner); len(t) > 0 && t[0] == '{' {
				return inner
			}
		}
	}
	return raw
}

// setEditorSettingsLocked takes new settings from the editor. Settings that
// do not parse are logged and the previous ones kept; the message goes to
// the log, not to the user, because the editor validated them (a pqls.json
// is the user's own typing, and its mistakes are shown).
func (s *session) setEditorSettingsLocked(raw json.RawMessage, from string) bool {
	raw = section(raw)
	rest, features, err := splitFeatures(raw)
	if err != nil {
		s.log.Warn("editor settings ignored", zap.String("from", from), zap.Error(err), zap.ByteString("settings", clip(raw, 500)))
		return false
	}
	cfg, err := configParser().FromJSON(rest)
	if err != nil {
		s.log.Warn("editor settings ignored", zap.String("from", from), zap.Error(err), zap.ByteString("settings", clip(raw, 500)))
		return false
	}
	s.settings = settings{raw: append(json.RawMessage(nil), raw...), cfg: cfg, features: features}
	s.log.Info("editor settings", zap.String("from", from), zap.ByteString("settings", clip(raw, 500)))
	return true
}

// fetchConfiguration asks the client for the "pqls" section and, if it
// changed, checks every project again. It calls the client, so it must not
// run on the read loop.
func (s *session) fetchConfiguration() {
	res, err := s.client.Configuration(s.ctx, &protocol.ConfigurationParams{
		Items: []protocol.ConfigurationItem{{Section: ptr("pqls")}},
	})
	if err != nil {
		s.log.Warn("workspace/configuration failed", zap.Error(err))
		return
	}
	if len(res) == 0 {
		return
	}
	raw := json.RawMessage(res[0])
	s.mu.Lock()
	changed := !bytes.Equal(bytes.TrimSpace(raw), bytes.TrimSpace(s.settings.raw))
	if changed && s.setEditorSettingsLocked(raw, "workspace/configuration") {
		s.touchAllLocked()
	}
	s.mu.Unlock()
	if changed {
		s.refreshPulled()
	}
}

// didChangeConfiguration takes the settings the notification carries, or,
// from a client that answers workspace/configuration (and may send null
// here), fetches them.
func (s *session) didChangeConfiguration(ctx context.Context, raw jsonrpc2.RawMessage) error {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := decodeJSON(raw, &p); err != nil {
		return err
	}
	if s.clientCaps().configuration {
		s.goBackground("workspace/configuration", s.fetchConfiguration)
		return nil
	}
	s.mu.Lock()
	ok := s.setEditorSettingsLocked(p.Settings, "workspace/didChangeConfiguration")
	if ok {
		s.touchAllLocked()
	}
	s.mu.Unlock()
	if ok {
		s.goBackground("diagnostic refresh", s.refreshPulled)
	}
	return nil
}

// refreshPulled asks a client that pulls diagnostics to pull them again.
func (s *session) refreshPulled() {
	if c := s.clientCaps(); !c.pull || !c.pullRefresh {
		return
	}
	if err := s.client.DiagnosticRefresh(s.ctx); err != nil {
		s.log.Warn("workspace/diagnostic/refresh failed", zap.Error(err))
	}
}
