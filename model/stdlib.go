package model

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed stdlib.tsv
var stdlibTSV string

// LibraryFunc is a standard-library name with its signature and reference page.
type LibraryFunc struct {
	Name      string
	Signature string
	URL       string
}

// Returns is the type the signature says the function returns, without
// nullable ("table" for "Table.Sort(…) as table"), or "" when it says none.
func (f LibraryFunc) Returns() string {
	i := strings.LastIndex(f.Signature, ")")
	if i < 0 {
		return ""
	}
	ret, ok := strings.CutPrefix(strings.TrimSpace(f.Signature[i+1:]), "as ")
	if !ok {
		return ""
	}
	return strings.TrimPrefix(strings.TrimSpace(ret), "nullable ")
}

// Library is the M standard library, read once from the embedded table.
var Library = sync.OnceValue(func() map[string]LibraryFunc {
	lib := make(map[string]LibraryFunc, 720)
	for i, line := range strings.Split(stdlibTSV, "\n") {
		if i == 0 || line == "" {
			continue // header
		}
		cols := strings.Split(strings.TrimRight(line, "\r"), "\t")
		f := LibraryFunc{Name: cols[0]}
		if len(cols) > 1 {
			f.Signature = cols[1]
		}
		if len(cols) > 2 {
			f.URL = cols[2]
		}
		lib[f.Name] = f
	}
	// Names that connectors use but the table does not list.
	for _, n := range []string{"Extension.CurrentCredential", "Extension.CurrentCredentials", "Extension.LoadString",
		"Extension.Contents", "Extension.CredentialError", "Extension.InvokeWithCredentials",
		"Extension.CurrentApplication", "Extension.Module", "Extension.LoadFunction"} {
		if _, ok := lib[n]; !ok && n != "Extension.LoadFunction" {
			lib[n] = LibraryFunc{Name: n}
		}
	}
	return lib
})
