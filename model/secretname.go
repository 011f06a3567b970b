package model

import (
	"regexp"
	"strings"
)

var nameWord = regexp.MustCompile(`[A-Z]+[a-z0-9]*|[a-z0-9]+`)

// nameWords splits an identifier into lower-case words: apiKey, API_KEY
// and api-key all give [api key].
func nameWords(name string) []string {
	var out []string
	for _, w := range nameWord.FindAllString(name, -1) {
		// split ACRONYMWord runs: "APIKey" → "API", "Key"
		for len(w) > 1 && strings.ToUpper(w) != w && strings.ToUpper(w[:2]) == w[:2] {
			i := 1
			for i+1 < len(w) && strings.ToUpper(w[:i+2]) == w[:i+2] {
				i++
			}
			out = append(out, strings.ToLower(w[:i]))
			w = w[i:]
		}
		out = append(out, strings.ToLower(w))
	}
	return out
}

// Words after which a secret-sounding word names something else: a
// column, a type, an address, a page marker.
var notSecretSuffix = map[string]bool{"type": true, "types": true, "column": true, "columns": true, "field": true,
	"name": true, "names": true, "url": true, "uri": true, "endpoint": true, "path": true, "label": true,
	"kind": true, "id": true, "expiry": true, "expires": true, "expiration": true, "length": true, "header": true,
	"location": true, "vault": true, "parameter": true, "param": true, "count": true}

var notSecretPrefix = map[string]bool{"page": true, "next": true, "continuation": true, "skip": true, "cancel": true,
	"cancellation": true, "resume": true, "sync": true, "delta": true, "paging": true,
	// identifiers that follow a request through logs: not secrets
	"trace": true, "tracing": true, "correlation": true, "activity": true, "tracking": true, "cursor": true}

// CredentialLikeName reports whether an identifier names a secret:
// password, pwd, secret, client_secret, token, access_token, apiKey,
// private_key, sas — but not tokenType, keyColumn, pageToken, TraceToken,
// correlationToken or KeyVaultUrl. Names are compared word by word.
func CredentialLikeName(name string) bool {
	ws := nameWords(name)
	if len(ws) == 0 {
		return false
	}
	if notSecretSuffix[ws[len(ws)-1]] && len(ws) > 1 {
		return false
	}
	for i, w := range ws {
		prev := ""
		if i > 0 {
			prev = ws[i-1]
		}
		switch w {
		case "password", "passwd", "pwd", "secret", "passphrase", "apikey", "sas":
			return true
		case "token":
			if !notSecretPrefix[prev] {
				return true
			}
		case "key":
			if prev == "api" || prev == "private" || prev == "access" || prev == "secret" || prev == "subscription" {
				return true
			}
		}
	}
	return false
}
