package structure

import (
	"bytes"
	"sort"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC053 checks that every data source kind has a valid kind record.
var PQC053 = &analysis.Analyzer{
	ID:       "PQC053",
	Fix:      analysis.SafeFix,
	Title:    "Data source kind record missing or invalid",
	Severity: analysis.Error,
	Doc: "The DataSource.Kind attribute names a section member that describes the data source: a " +
		"record whose Authentication field lists at least one way to sign in (Anonymous or Implicit, " +
		"OAuth, Aad, UsernamePassword, Windows, Key). Power Query cannot load a function whose kind " +
		"record is missing, is not a record, or has no usable Authentication; OAuth needs StartLogin " +
		"and FinishLogin and Aad needs AuthorizationUri. The fix for a missing record adds a skeleton " +
		"with anonymous access.",
	HelpURI:    "https://learn.microsoft.com/power-query/handling-data-access",
	Bad:        "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => ...;",
	Good:       "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => ...;\n\nContoso = [\n    Authentication = [Anonymous = []]\n];",
	Scope:      analysis.ConnectorScope,
	Absence:    true,
	DataSource: true,
	Run:        runPQC053,
}

var stAuthKinds = map[string][]string{
	"Anonymous": nil, "Implicit": nil, "UsernamePassword": nil, "Windows": nil, "Key": nil,
	"OAuth": {"StartLogin", "FinishLogin"},
	"Aad":   {"AuthorizationUri"},
}

func runPQC053(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	for _, k := range prog.Kinds {
		if k.Record == nil {
			stReportMissingKind(p, k)
			continue
		}
		if k.Record.Node.Value == nil {
			continue
		}
		recs, complete := prog.Records(f, k.Record.Node.Value)
		if len(recs) == 0 {
			switch prog.Value(f, k.Record.Node.Value).(type) {
			case *ast.Literal, *ast.ListExpr, *ast.FunctionExpr, *ast.EachExpr:
				p.ReportNode(f, k.Record.Node.Name, "the data source kind "+k.Name+" must be a record with an Authentication field, not this value")
			}
			continue
		}
		fl, at := model.FieldIn(recs, "Authentication")
		if fl == nil {
			if complete {
				p.ReportNode(f, k.Record.Node.Name, "the data source kind record "+k.Name+" has no Authentication field: add at least one authentication kind, such as Authentication = [Anonymous = []]",
					analysis.Fix{Title: "Add Authentication = [Anonymous = []]", Edits: []analysis.TextEdit{analysis.PrependField(recs[0].File, recs[0].Rec, "Authentication = [Anonymous = []]")}})
			}
			continue
		}
		auths, acomplete := prog.Records(at.File, fl.Value)
		if len(auths) == 0 || !acomplete {
			continue
		}
		n := 0
		for _, a := range auths {
			n += len(a.Rec.Fields)
		}
		if n == 0 {
			p.ReportNode(at.File, fl, "Authentication of kind "+k.Name+" is empty: list at least one authentication kind, such as Anonymous = []")
			continue
		}
		for _, a := range auths {
			for _, af := range a.Rec.Fields {
				if af.Name == nil {
					continue
				}
				required, known := stAuthKinds[af.Name.Name]
				if !known {
					var fixes []analysis.Fix
					for name := range stAuthKinds {
						if strings.EqualFold(name, af.Name.Name) {
							fixes = append(fixes, analysis.Fix{Title: "Change to " + name, Safe: true, Preferred: true, Edits: []analysis.TextEdit{analysis.Replace(a.File, af.Name, name)}})
						}
					}
					p.ReportNode(a.File, af.Name, "unknown authentication kind "+af.Name.Name+": use one of "+stAuthKindList(), fixes...)
					continue
				}
				if len(required) == 0 || af.Value == nil {
					continue
				}
				fields, fcomplete := prog.Records(a.File, af.Value)
				if !fcomplete {
					continue
				}
				var missing []string
				for _, r := range required {
					if x, _ := model.FieldIn(fields, r); x == nil {
						missing = append(missing, r)
					}
				}
				if len(missing) > 0 {
					p.ReportNode(a.File, af.Name, af.Name.Name+" authentication of kind "+k.Name+" lacks "+strings.Join(missing, " and "))
				}
			}
		}
	}
}

func stAuthKindList() string {
	var names []string
	for n := range stAuthKinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// stReportMissingKind reports a DataSource.Kind value that names no member,
// once, at its first attribute, with a fix that adds a kind record.
func stReportMissingKind(p *analysis.Pass, k *model.Kind) {
	f := p.Prog.Main
	for _, m := range p.Prog.MemberList {
		l := connector.AttrLiteral(m, "DataSource.Kind")
		if l == nil {
			continue
		}
		if v, _ := model.Text(l); v != k.Name {
			continue
		}
		nl := analysis.Newline(f)
		body := "    Authentication = [" + nl + "        Anonymous = []" + nl + "    ]"
		if d := stMainDSF(k); d != nil {
			if tc, ok := stTestConnectionText(p.Prog, d, "    ", nl); ok {
				body = "    " + tc + "," + nl + body
			}
		}
		_, end := analysis.Span(f, m.Node)
		text := nl + nl + model.IdentText(k.Name) + " = [" + nl + body + nl + "];"
		var fixes []analysis.Fix
		// A member of that name the parser could not read is the record
		// being typed: no second one.
		if !stDefinesName(f.AST.Src, model.IdentText(k.Name)) {
			fixes = append(fixes, analysis.Fix{Title: "Add a kind record for " + k.Name, Preferred: true, Edits: []analysis.TextEdit{analysis.Insert(f, end, text)}})
		}
		p.ReportNode(f, l, "the data source kind "+k.Name+" has no record: add a section member "+k.Name+" = [Authentication = …]", fixes...)
		return
	}
}

// stDefinesName reports whether a line of src starts, after blanks and an
// optional `shared`, with name and then `=`. It reads bytes, not a regular
// expression: a kind name from a text literal may hold bytes that are not
// UTF-8, which a regular expression cannot be built from (FuzzFixes found
// `[DataSource.Kind = "\x90"]` panicking here).
func stDefinesName(src []byte, name string) bool {
	assigns := func(rest []byte) bool {
		r, ok := bytes.CutPrefix(rest, []byte(name))
		return ok && bytes.HasPrefix(bytes.TrimLeft(r, " \t"), []byte("="))
	}
	for line := range bytes.Lines(src) {
		rest := bytes.TrimLeft(line, " \t")
		if assigns(rest) {
			return true
		}
		if r, ok := bytes.CutPrefix(rest, []byte("shared")); ok && len(r) > 0 && (r[0] == ' ' || r[0] == '\t') && assigns(bytes.TrimLeft(r, " \t")) {
			return true
		}
	}
	return false
}
