package server

import (
	"bytes"
	"encoding/json"
	"fmt"

	"go.lsp.dev/protocol"
)

// Two editor settings are the editor's own, not a pqls.json's, and are
// taken out of the settings before the rest is read as a configuration:
//
//	"features": "all" | "complement"
//	"inlayHints": {"parameterNames": true}
//
// features "complement" is for an editor that also runs Microsoft's Power
// Query language service (the Power Query SDK in VS Code installs it): pqls
// then leaves it what both do — completion, hover, document symbols,
// semantic tokens and syntax errors — and adds the rest (findings, fixes,
// references, rename, formatting, signature help, folding, links, …), so
// that nothing shows twice.

// featureMode says which features pqls provides.
type featureMode string

const (
	featuresAll        featureMode = "all"
	featuresComplement featureMode = "complement"
)

// editorFeatures are the settings that choose features.
type editorFeatures struct {
	mode           featureMode
	parameterHints bool // inlay hints naming parameters at calls
}

func defaultFeatures() editorFeatures { return editorFeatures{mode: featuresAll} }

// overlapping reports whether the features Microsoft's extension also has
// are left to it.
func (f editorFeatures) overlapping() bool { return f.mode != featuresComplement }

// splitFeatures takes the editor-only settings out of raw, a settings
// object, and returns the rest. raw that is not an object is returned as
// it is, for the configuration parser to report.
func splitFeatures(raw json.RawMessage) (rest json.RawMessage, f editorFeatures, err error) {
	f = defaultFeatures()
	t := bytes.TrimSpace(raw)
	if len(t) == 0 || t[0] != '{' {
		return raw, f, nil
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(t, &obj) != nil {
		return raw, f, nil
	}
	fv, hasF := obj["features"]
	hv, hasH := obj["inlayHints"]
	if !hasF && !hasH {
		return raw, f, nil
	}
	if hasF && string(bytes.TrimSpace(fv)) != "null" {
		var mode string
		if err := json.Unmarshal(fv, &mode); err != nil {
			return raw, f, fmt.Errorf(`features must be "all" or "complement"`)
		}
		switch featureMode(mode) {
		case featuresAll, featuresComplement:
			f.mode = featureMode(mode)
		default:
			return raw, f, fmt.Errorf(`features must be "all" or "complement", not %q`, mode)
		}
	}
	if hasH && string(bytes.TrimSpace(hv)) != "null" {
		var h struct {
			ParameterNames *bool `json:"parameterNames"`
		}
		if err := json.Unmarshal(hv, &h); err != nil {
			return raw, f, fmt.Errorf(`inlayHints must be an object such as {"parameterNames": true}: %w`, err)
		}
		f.parameterHints = h.ParameterNames != nil && *h.ParameterNames
	}
	delete(obj, "features")
	delete(obj, "inlayHints")
	out, err := json.Marshal(obj)
	if err != nil {
		return raw, f, err
	}
	return out, f, nil
}

// featureSettings returns the editor's feature settings.
func (s *session) featureSettings() editorFeatures {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings.features
}

// overlappingMethods are the requests that Microsoft's extension answers
// too. With features "complement" they answer null; the server does not
// offer them at initialize either. (Hover and completion stay: they answer
// what only pqls knows — findings, the SDK's records — see hover and
// completion.)
var overlappingMethods = map[string]bool{
	"textDocument/documentSymbol":      true,
	"textDocument/semanticTokens/full": true,
}

// editingCapabilities adds the editing features to the capabilities, and
// takes out those left to Microsoft's extension in complement mode.
func editingCapabilities(c *protocol.ServerCapabilities, f editorFeatures) {
	c.SignatureHelpProvider = &protocol.SignatureHelpOptions{TriggerCharacters: signatureTriggers, RetriggerCharacters: signatureRetriggers}
	c.FoldingRangeProvider = protocol.Boolean(true)
	c.SelectionRangeProvider = protocol.Boolean(true)
	c.DocumentHighlightProvider = protocol.Boolean(true)
	c.DocumentLinkProvider = &protocol.DocumentLinkOptions{}
	c.InlayHintProvider = protocol.Boolean(true)
	c.WorkspaceSymbolProvider = protocol.Boolean(true)
	if !f.overlapping() {
		c.DocumentSymbolProvider = nil
		c.SemanticTokensProvider = nil
	}
}
