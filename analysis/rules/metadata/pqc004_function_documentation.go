package metadata

import (
	"slices"
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

// PQC004 requires documentation metadata on exported data-source functions.
var PQC004 = &analysis.Analyzer{
	ID:       "PQC004",
	Fix:      analysis.ManualFix,
	Title:    "Data-source function lacks documentation metadata",
	Severity: analysis.Error,
	Doc: "Get Data builds its dialog from the function's type: the title and description come from " +
		"Documentation.Name and Documentation.LongDescription in the metadata of the function type, " +
		"and each parameter's label from Documentation.FieldCaption in the metadata of its type. The " +
		"type is attached with Value.ReplaceType. Certification requires this documentation for every " +
		"exported data-source function: a bare function is an error, missing fields a warning, and " +
		"missing examples a hint. A field whose text is empty or only spaces (Documentation.Name = \"\") " +
		"counts as missing; text read with Extension.LoadString or computed counts as given. The fixes ascribe a documented function type with the same parameters, " +
		"or fill in the fields an ascribed type lacks.",
	HelpURI: "https://learn.microsoft.com/power-query/handling-documentation",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = (url as text) => ...;",
	Good: "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = Value.ReplaceType(ContosoImpl, ContosoType);\n\n" +
		"ContosoType = type function (url as (type text meta [Documentation.FieldCaption = \"URL\"])) as table meta [\n" +
		"    Documentation.Name = \"Contoso\",\n    Documentation.LongDescription = \"Returns the Contoso tables.\"\n];",
	Scope: analysis.ConnectorScope,
	Run:   runPQC004,
}

func runPQC004(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	prog := p.Prog
	for _, k := range prog.Kinds {
		for _, d := range k.DSFs {
			if d.Member.Node.Value == nil {
				continue
			}
			sig := prog.Signature(f, d.Member.Node.Value)
			name := d.Member.Name
			if sig.ReplaceType && sig.Type == nil || !sig.ReplaceType && sig.Fn == nil {
				continue // the function or its type comes from somewhere we cannot see
			}
			params, paramsKnown := prog.Params(sig)
			documented, unknown := stHasDocumentation(sig.Metas), sig.MetaUnknown || !paramsKnown
			for _, prm := range params {
				documented = documented || stHasDocumentation(prm.Metas)
				unknown = unknown || prm.MetaUnknown
			}
			if !documented {
				if unknown {
					continue
				}
				var fixes []analysis.Fix
				if !sig.ReplaceType {
					if fix, ok := stDocSkeletonFix(p, k, d, sig); ok {
						fixes = append(fixes, fix)
					}
				} else if fix, ok := stDocCompleteFix(k, sig, params); ok {
					fixes = append(fixes, fix)
				}
				msg := "the data-source function " + name + " has no documentation: ascribe a function type whose metadata has Documentation.Name and Documentation.LongDescription with Value.ReplaceType"
				if sig.ReplaceType {
					msg = "the function type of " + name + " has no documentation: add Documentation.Name and Documentation.LongDescription in its metadata, and Documentation.FieldCaption on its parameters"
				}
				p.ReportNode(f, d.Member.Node.Name, msg, fixes...)
				continue
			}
			// A field written with no text is missing too: Get Data shows
			// nothing for it, and no reviewer accepts Documentation.Name = "".
			// Text from Extension.LoadString, or computed, counts as present
			// (a LoadString key absent from resources.resx is PQC026's).
			var missing, blank []string
			var related []analysis.Related
			noText := func(what string, fl *ast.Field, file *model.File) {
				blank = append(blank, what)
				if file != nil {
					s, e := analysis.Span(file, fl.Value)
					related = append(related, analysis.Related{Path: file.Path, Start: s, End: e, Message: what + " has no text here"})
				}
			}
			if !sig.MetaUnknown {
				for _, field := range []string{"Documentation.Name", "Documentation.LongDescription"} {
					switch fl := sig.MetaField(field); {
					case fl == nil:
						missing = append(missing, field)
					case stBlankText(fl):
						noText(field, fl, stMetaFile(sig, fl))
					}
				}
			}
			for _, prm := range params {
				if !prm.Required() || prm.MetaUnknown {
					continue
				}
				switch fl := prm.MetaField("Documentation.FieldCaption"); {
				case fl == nil:
					missing = append(missing, "Documentation.FieldCaption of "+prm.Name)
				case stBlankText(fl):
					noText("Documentation.FieldCaption of "+prm.Name, fl, stParamFile(sig, prm, fl))
				}
			}
			if len(missing) > 0 || len(blank) > 0 {
				var fixes []analysis.Fix
				if len(missing) > 0 {
					if fix, ok := stDocCompleteFix(k, sig, params); ok {
						fixes = append(fixes, fix)
					}
				}
				// One finding a function, whatever it lacks: the fixes fill
				// in missing fields with empty text, and what they leave
				// for the author to write is the same finding's next state.
				var what []string
				if len(missing) > 0 {
					what = append(what, "add "+strings.Join(missing, ", "))
				}
				if len(blank) == 1 {
					what = append(what, blank[0]+" has no text, write what Get Data should show")
				} else if len(blank) > 1 {
					what = append(what, strings.Join(blank, ", ")+" have no text, write what Get Data should show")
				}
				p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Warning, Start: f.AST.Offset(d.Member.Node.Name.Pos()), End: f.AST.Offset(d.Member.Node.Name.End()),
					Message: "the documentation of " + name + " is incomplete: " + strings.Join(what, "; "), Fixes: fixes, Related: related})
				continue
			}
			if !sig.MetaUnknown && sig.MetaField("Documentation.Examples") == nil {
				p.Report(analysis.Diagnostic{Path: f.Path, Severity: analysis.Hint, Start: f.AST.Offset(d.Member.Node.Name.Pos()), End: f.AST.Offset(d.Member.Node.Name.End()),
					Message: "the documentation of " + name + " has no Documentation.Examples: examples help users call it"})
			}
		}
	}
}

// stDocSkeletonFix wraps an undocumented data-source function with
// Value.ReplaceType and a documented function type. The text fields are
// left empty for the author, the example's code and result too: invented
// text would be shipped as it is, and user-visible text belongs in
// resources.resx (PQC024).
func stDocSkeletonFix(p *analysis.Pass, k *model.Kind, d *model.DSF, sig *model.Sig) (analysis.Fix, bool) {
	f := p.Prog.Main
	m := d.Member
	value := model.Unparen(m.Node.Value)
	fn := sig.Fn
	base := strings.ReplaceAll(m.Name, ".", "")
	if !model.IsRegularIdent(base) {
		return analysis.Fix{}, false
	}
	typeName := connector.FreeName(p.Prog, base+"Type", nil)
	implName := connector.FreeName(p.Prog, base+"Impl", nil)
	if implName == typeName {
		return analysis.Fix{}, false
	}
	nl := analysis.Newline(f)
	var params []string
	for _, prm := range fn.Params {
		if prm.Name == nil {
			return analysis.Fix{}, false
		}
		t := "any"
		if prm.Type != nil {
			t = analysis.Source(sig.FnFile, prm.Type)
		}
		s := "    "
		if prm.Optional.IsValid() {
			s += "optional "
		}
		s += model.IdentText(prm.Name.Name) + " as (type " + t + " meta [" + nl +
			"        Documentation.FieldCaption = \"\"," + nl +
			"        Documentation.FieldDescription = \"\"," + nl +
			"        Documentation.SampleValues = {}" + nl +
			"    ])"
		params = append(params, s)
	}
	// Without a declared return type nothing says the function returns a
	// table, and the ascribed type would claim it does.
	ret := "any"
	if fn.Return != nil {
		ret = analysis.Source(sig.FnFile, fn.Return)
	}
	paramText := ""
	if len(params) > 0 {
		paramText = nl + strings.Join(params, ","+nl) + nl
	}
	typ := typeName + " = type function (" + paramText + ") as " + ret + " meta [" + nl +
		"    Documentation.Name = \"\"," + nl +
		"    Documentation.LongDescription = \"\"," + nl +
		"    Documentation.Examples = {[" + nl +
		"        Description = \"\"," + nl +
		"        Code = \"\"," + nl +
		"        Result = \"\"" + nl +
		"    ]}" + nl + "];"
	_, end := analysis.Span(f, m.Node)
	var edits []analysis.TextEdit
	switch v := value.(type) {
	case *ast.FunctionExpr:
		if v != fn {
			return analysis.Fix{}, false
		}
		edits = []analysis.TextEdit{
			analysis.Replace(f, m.Node.Value, "Value.ReplaceType("+implName+", "+typeName+")"),
			analysis.Insert(f, end, nl+nl+typ+nl+nl+implName+" = "+analysis.Source(f, v)+";"),
		}
	case *ast.Ident:
		edits = []analysis.TextEdit{
			analysis.Replace(f, m.Node.Value, "Value.ReplaceType("+analysis.Source(f, v)+", "+typeName+")"),
			analysis.Insert(f, end, nl+nl+typ),
		}
	default:
		return analysis.Fix{}, false
	}
	return analysis.Fix{Title: "Add a documentation skeleton (" + typeName + ") with Value.ReplaceType", Preferred: true, Edits: edits}, true
}

// stHasDocumentation reports whether any of the records has a Documentation.*
// field.
func stHasDocumentation(recs []*ast.RecordExpr) bool {
	for _, r := range recs {
		for _, fl := range r.Fields {
			if fl.Name != nil && strings.HasPrefix(fl.Name.Name, "Documentation.") {
				return true
			}
		}
	}
	return false
}

// stBlankText reports whether the field's value is a text literal with
// nothing but white space in it. Any other value (Extension.LoadString, a
// name, a computation) is taken to give text.
func stBlankText(fl *ast.Field) bool {
	s, ok := model.Text(model.Unparen(fl.Value))
	return ok && strings.TrimSpace(s) == ""
}

// stMetaFile returns the file of a field of the signature's metadata when
// it is written in the metadata of the ascribed type, else nil.
func stMetaFile(sig *model.Sig, fl *ast.Field) *model.File {
	for _, at := range sig.TypeMetas {
		if slices.Contains(at.Rec.Fields, fl) {
			return at.File
		}
	}
	return nil
}

// stParamFile returns the file of a field of a parameter's metadata when
// the record is written in the parameter itself, else nil.
func stParamFile(sig *model.Sig, prm model.ParamInfo, fl *ast.Field) *model.File {
	file := sig.FnFile
	if sig.Type != nil {
		file = sig.TypeFile
	}
	inside := false
	ast.Inspect(prm.Param, func(n ast.Node) bool {
		inside = inside || n == ast.Node(fl)
		return !inside
	})
	if !inside {
		return nil
	}
	return file
}

// stDocCompleteFix adds the missing documentation fields to an ascribed
// function type: Documentation.Name and Documentation.LongDescription (and
// an empty example) in its metadata, Documentation.FieldCaption on its
// required parameters.
func stDocCompleteFix(k *model.Kind, sig *model.Sig, params []model.ParamInfo) (analysis.Fix, bool) {
	if sig.Type == nil || sig.TypeExpr == nil || sig.MetaUnknown {
		return analysis.Fix{}, false
	}
	tf := sig.TypeFile
	var edits []analysis.TextEdit
	var fields []string
	if sig.MetaField("Documentation.Name") == nil {
		fields = append(fields, `Documentation.Name = ""`)
	}
	if sig.MetaField("Documentation.LongDescription") == nil {
		fields = append(fields, `Documentation.LongDescription = ""`)
	}
	// The examples too, empty like the skeleton's: otherwise the hint for
	// them, which the warning hid, is the next finding after the fix.
	if len(fields) > 0 && sig.MetaField("Documentation.Examples") == nil {
		fields = append(fields, `Documentation.Examples = {[Description = "", Code = "", Result = ""]}`)
	}
	if len(fields) > 0 {
		if n := len(sig.TypeMetas); n > 0 {
			at := sig.TypeMetas[n-1]
			sep := ", "
			if len(at.Rec.Fields) > 0 {
				// A record with one field a line gets one field a line.
				open, _ := analysis.Span(at.File, at.Rec)
				first, _ := analysis.Span(at.File, at.Rec.Fields[0])
				if strings.Contains(string(at.File.AST.Src[open:first]), "\n") {
					sep = "," + analysis.Newline(at.File) + analysis.LineIndent(at.File, first)
				}
			}
			edits = append(edits, analysis.PrependField(at.File, at.Rec, strings.Join(fields, sep)))
		} else {
			_, end := analysis.Span(tf, sig.TypeExpr)
			edits = append(edits, analysis.Insert(tf, end, " meta ["+strings.Join(fields, ", ")+"]"))
		}
	}
	for _, prm := range params {
		if !prm.Required() || prm.MetaUnknown || prm.MetaField("Documentation.FieldCaption") != nil {
			continue
		}
		field := `Documentation.FieldCaption = ""`
		if len(prm.Metas) > 0 {
			r := prm.Metas[0]
			inside := false
			ast.Inspect(prm.Param, func(n ast.Node) bool {
				inside = inside || n == ast.Node(r)
				return !inside
			})
			if !inside {
				return analysis.Fix{}, false
			}
			edits = append(edits, analysis.PrependField(tf, r, field))
			continue
		}
		t := prm.Param.Type
		if t == nil {
			return analysis.Fix{}, false
		}
		src := analysis.Source(tf, t)
		switch model.Unparen(t).(type) {
		case *ast.PrimitiveType, *ast.NullableType, *ast.RecordType, *ast.ListType, *ast.FunctionType, *ast.TableType:
			src = "type " + src
		}
		edits = append(edits, analysis.Replace(tf, t, "("+src+" meta ["+field+"])"))
	}
	if len(edits) == 0 {
		return analysis.Fix{}, false
	}
	return analysis.Fix{Title: "Add the missing documentation fields", Preferred: true, Edits: edits}, true
}
