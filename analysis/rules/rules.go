// Package rules lists every certification rule pqls has, as gopls lists its
// analyzers. The framework in package analysis never imports a rule; the
// command line and the server take their set from here.
//
// Rules live by area, so the folder shows what pqls checks:
//
//	structure      the section document, version, kinds, TestConnection, Publish
//	metadata       documentation and formatting metadata of functions
//	naming         names of kinds, functions, sections and projects
//	resources      icons, packaged files and resources.resx
//	security       credentials in URLs, HTTPS, Expression.Evaluate, ODBC
//	auth           OAuth flows, client secrets and key headers
//	tracing        Diagnostics.Trace and its flags
//	navigation     navigation tables and native query properties
package rules

import (
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/auth"
	"github.com/pqls/pqls/analysis/rules/metadata"
	"github.com/pqls/pqls/analysis/rules/naming"
	"github.com/pqls/pqls/analysis/rules/navigation"
	"github.com/pqls/pqls/analysis/rules/resources"
	"github.com/pqls/pqls/analysis/rules/security"
	"github.com/pqls/pqls/analysis/rules/structure"
	"github.com/pqls/pqls/analysis/rules/tracing"
)

// All returns every rule, ordered by ID. The slice is new on each call.
func All() []*analysis.Analyzer {
	all := []*analysis.Analyzer{
		structure.PQC001, structure.PQC002, structure.PQC003, metadata.PQC004,
		structure.PQC005, structure.PQC006, naming.PQC007, naming.PQC008,
		naming.PQC009, structure.PQC010, structure.PQC011, structure.PQC012,
		resources.PQC020, resources.PQC021, resources.PQC022, navigation.PQC023,
		resources.PQC024, resources.PQC025, resources.PQC026,
		security.PQC030, security.PQC031, security.PQC032, security.PQC033,
		security.PQC034, security.PQC035, tracing.PQC036, tracing.PQC037,
		tracing.PQC038, tracing.PQC039, security.PQC040, security.PQC041,
		security.PQC042, security.PQC043,
		structure.PQC050, security.PQC051, structure.PQC052, structure.PQC053,
		structure.PQC054, auth.PQC055, auth.PQC056, auth.PQC057,
		structure.PQC058, navigation.PQC059, navigation.PQC060, structure.PQC061,
		structure.PQC062, metadata.PQC063, auth.PQC064, structure.PQC065,
		naming.PQC066, structure.PQC067, security.PQC068, navigation.PQC069,
	}
	slices.SortFunc(all, func(a, b *analysis.Analyzer) int { return strings.Compare(a.ID, b.ID) })
	return all
}

// Lookup returns the rule with the given ID (any case), or nil.
func Lookup(id string) *analysis.Analyzer {
	for _, a := range All() {
		if strings.EqualFold(a.ID, id) {
			return a
		}
	}
	return nil
}
