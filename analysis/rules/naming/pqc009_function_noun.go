package naming

import (
	"strings"

	"github.com/pqls/pqls/analysis"
	"github.com/pqls/pqls/analysis/rules/internal/connector"
	"github.com/pqls/pqls/model"
)

// PQC009 hints when a data-source function's name is a verb or a
// technical word rather than what it returns.
var PQC009 = &analysis.Analyzer{
	ID:       "PQC009",
	Title:    "Function name is not a domain noun",
	Severity: analysis.Hint,
	Doc: "The part of a data-source function's name after the kind should say what the function " +
		"returns, in the words of the domain: Contents, Tables, Document, Databases, Feed. Names that " +
		"describe an action or the implementation (GetData, FetchRows, Main, Impl, TestConnection) or " +
		"that repeat the kind (Contoso.ContosoData) read poorly in the function library. This is a " +
		"hint; the reviewer decides.",
	HelpURI: "https://learn.microsoft.com/fabric/data-factory/connector-certification",
	Bad:     "[DataSource.Kind = \"Contoso\"]\nshared Contoso.GetData = () => ...;",
	Good:    "[DataSource.Kind = \"Contoso\"]\nshared Contoso.Contents = () => ...;",
	Scope:   analysis.ConnectorScope,
	Run:     runPQC009,
}

// stVerbPrefixes are verbs that start a name. Function and Test are also
// nouns: FunctionCatalog names a catalogue, so only the bare words count.
var stVerbPrefixes = map[string]bool{"get": true, "fetch": true, "load": true, "call": true, "invoke": true, "navigate": true, "test": true, "function": true}

// stNounToo are the verb prefixes that are nouns when more words follow.
var stNounToo = map[string]bool{"function": true}

var stTechnicalNames = map[string]bool{"main": true, "run": true, "impl": true, "func": true, "fn": true}

func runPQC009(p *analysis.Pass) {
	f := p.Prog.Main
	if f == nil || f.AST.Section == nil {
		return
	}
	tested := connector.TestConnectionTargets(p.Prog)
	for _, k := range p.Prog.Kinds {
		for _, d := range k.DSFs {
			name := d.Member.Name
			if tested[name] && d.Publish == "" {
				continue // exists for TestConnection, not shown to users
			}
			if !strings.HasPrefix(name, k.Name+".") || stNameAllowed(p, name) {
				continue // PQC008's business
			}
			last := name[strings.LastIndexByte(name, '.')+1:]
			words := model.SplitWords(last)
			if len(words) == 0 {
				continue
			}
			first := strings.ToLower(words[0].Text)
			var why string
			switch {
			case stTechnicalNames[strings.ToLower(last)] || len(words) > 1 && strings.EqualFold(words[len(words)-1].Text, "Impl"):
				why = "describes the implementation"
			case stVerbPrefixes[first] && !(len(words) > 1 && stNounToo[first]) && (len(words) > 1 || first != "test" && first != "function"):
				why = "starts with the verb " + words[0].Text
			case len(k.Name) >= 3 && strings.Contains(strings.ToLower(last), strings.ToLower(k.Name)):
				why = "repeats the kind name"
			}
			if why == "" {
				continue
			}
			p.ReportNode(f, d.Member.Node.Name, "the function name "+last+" "+why+": name it after what it returns, such as Contents, Tables or Feed")
		}
	}
}
