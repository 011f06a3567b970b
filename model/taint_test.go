package model_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// load builds the model of a one-file connector.
func load(t *testing.T, src string) (*model.Program, *model.File) {
	t.Helper()
	ast := parser.Parse("/p/C.pq", []byte(src))
	if len(ast.Errors) > 0 {
		t.Fatalf("syntax error: %s", ast.Message(ast.Errors[0]))
	}
	f := &model.File{Path: "/p/C.pq", AST: ast, Role: project.Main}
	prog := model.New(&project.Project{Root: "/p", Main: "/p/C.pq"}, f)
	return prog, f
}

// probe returns the taint of the value bound to the name `probe`.
func probe(t *testing.T, src string) model.TaintSet {
	t.Helper()
	prog, f := load(t, src)
	for _, d := range f.Defs() {
		if d.Name == "probe" {
			return prog.Taint(f, d.Value)
		}
	}
	t.Fatal("no binding named probe")
	return model.TaintSet{}
}

const kind = `section C;
[DataSource.Kind = "C"]
shared C.Contents = (url as text, optional n as number) => Helper(url, n);
C = [Authentication = [Key = []], TestConnection = (dataSourcePath) => {"C.Contents", dataSourcePath}];
`

func TestTaint(t *testing.T) {
	tests := []struct {
		name      string
		src       string
		want, not model.Taint
	}{
		{"direct credential", `section C; probe = Extension.CurrentCredential()[Key];`, model.Credential | model.KeyOrPassword, 0},
		{"plural spelling", `section C; probe = Extension.CurrentCredentials()[access_token];`, model.Credential, model.KeyOrPassword},
		{"authentication kind is not secret", `section C; probe = Extension.CurrentCredential()[AuthenticationKind];`, 0, model.Credential},
		{"username is identity", `section C; probe = Extension.CurrentCredential()[Username];`, model.Identity, model.Credential},
		{"through let and concatenation", `section C; f = () => let c = Extension.CurrentCredential(), k = c[Key], probe = "?api_key=" & k in probe;`, model.Credential, 0},
		{"through a token getter", `section C; GetToken = () => Extension.CurrentCredential()[access_token]; probe = "Bearer " & GetToken();`, model.Credential, 0},
		{"through a wrapper's parameter", `section C; MakeUrl = (key) => "https://x/?k=" & key; probe = MakeUrl(Extension.CurrentCredential()[Key]);`, model.Credential, 0},
		{"wrapper called without a credential", `section C; MakeUrl = (key) => "https://x/?k=" & key; other = MakeUrl(Extension.CurrentCredential()[Key]); probe = MakeUrl("public");`, 0, model.Credential},
		{"parameter seen from inside", `section C; MakeUrl = (key) => let probe = "https://x/?k=" & key in probe; x = MakeUrl(Extension.CurrentCredential()[Key]);`, model.Credential, 0},
		{"record field selection", `section C; cfg = [url = "https://x", key = Extension.CurrentCredential()[Key]]; probe = cfg[url];`, 0, model.Credential},
		{"record field carrying a secret", `section C; cfg = [url = "https://x", key = Extension.CurrentCredential()[Key]]; probe = cfg[key];`, model.Credential, 0},
		{"query string builder", `section C; probe = Uri.BuildQueryString([access_token = Extension.CurrentCredential()[access_token]]);`, model.Credential, 0},
		{"base64", `section C; probe = Binary.ToText(Text.ToBinary(Extension.CurrentCredential()[Password]));`, model.Credential, 0},
		{"if and try", `section C; probe = if true then try Extension.CurrentCredential()[Key] otherwise "" else "x";`, model.Credential, 0},
		{"length reveals nothing", `section C; probe = Text.Length(Extension.CurrentCredential()[Key]);`, 0, model.Credential},
		{"secret file", `section C; probe = Text.FromBinary(Extension.Contents("client_secret"));`, model.Credential | model.SecretFile, 0},
		{"module file is not secret", `section C; probe = Text.FromBinary(Extension.Contents("Diagnostics.pqm"));`, 0, model.Credential},
		{"web response", `section C; probe = Json.Document(Web.Contents("https://x"));`, model.Web, 0},
		{"web response is not a credential", `section C; probe = Web.Contents("https://x", [Headers = [Authorization = Extension.CurrentCredential()[Key]]]);`, model.Web, model.Credential},
		{"resource string", `section C; probe = Extension.LoadString("Url");`, model.Resource, 0},
		{"user input into helper", kind + `Helper = (u, n) => let probe = u in probe;`, model.UserInput | model.UncheckedURL, 0},
		{"number parameter is not a URL", kind + `Helper = (u, n) => let probe = n in probe;`, model.UserInput, model.UncheckedURL},
		{"test connection path", kind + `Helper = (u, n) => 1; T = C[TestConnection]; probe = 1;`, 0, model.UserInput},
		{"fixed scheme", kind + `Helper = (u, n) => let probe = "https://" & u & "/api" in probe;`, model.UserInput, model.UncheckedURL},
		{"user URL first", kind + `Helper = (u, n) => let probe = u & "/api" in probe;`, model.UncheckedURL, 0},
		{"list element", `section C; l = {Extension.CurrentCredential()[Key], "https://x"}; probe = l{1};`, 0, model.Credential},
		{"list element holding the key", `section C; l = {Extension.CurrentCredential()[Key], "https://x"}; probe = l{0};`, model.Credential, 0},
		{"record field through a parameter", `section C; H = (cfg) => let probe = cfg[host] in probe; x = H([host = "https://x", token = Extension.CurrentCredential()[access_token]]);`, 0, model.Credential},
		{"record field through a parameter, secret", `section C; H = (cfg) => let probe = cfg[token] in probe; x = H([host = "https://x", token = Extension.CurrentCredential()[access_token]]);`, model.Credential, 0},
		{"properties are not secret", `section C; probe = Extension.CurrentCredential()[Properties][region];`, 0, model.Credential},
		{"Record.Field reads the password", `section C; probe = Record.Field(Extension.CurrentCredential(), "Password");`, model.Credential | model.KeyOrPassword, 0},
		{"token from a sign-in", `section C; probe = Json.Document(Web.Contents("https://x/login", [Content = Text.ToBinary(Extension.CurrentCredential()[Password])]))[access_token];`, model.Credential, 0},
		{"data from an API that takes the key in the body", `section C; probe = Json.Document(Web.Contents("https://x/graphql", [Content = Text.ToBinary(Extension.CurrentCredential()[Key])]));`, model.Web, model.Credential},
		{"secret-named data-source parameter", `section C; [DataSource.Kind = "C"] shared C.Contents = (url as text, apiKey as text) => let probe = apiKey in probe; C = [Authentication = [Anonymous = []]];`, model.Credential, 0},
		{"user name is user input", `section C; probe = Extension.CurrentCredential()[Username];`, model.UserInput | model.UncheckedURL, model.Credential},
		{"Text.Format with an https base", kind + `Helper = (u, n) => let probe = Text.Format("#{0}/t/#{1}", {"https://x", u}) in probe;`, model.UserInput, model.UncheckedURL},
		{"Text.Format with the user URL first", kind + `Helper = (u, n) => let probe = Text.Format("#{0}/t", {u}) in probe;`, model.UncheckedURL, 0},
		{"guard function", kind + `ValidateUrlScheme = (url as text) as text => if (Uri.Parts(url)[Scheme] <> "https") then error "Url scheme must be HTTPS" else url;
Helper = (u, n) => let probe = ValidateUrlScheme(u) in probe;`, model.UserInput, model.UncheckedURL},
		{"helper called past a scheme check", `section C; [DataSource.Kind = "C"] shared C.Contents = (url as text) => if Uri.Parts(url)[Scheme] <> "https" then error "https" else Get(url); Get = (u) => let probe = u in probe; C = [Authentication = [Anonymous = []]];`, model.UserInput, model.UncheckedURL},
		{"helper called before a scheme check", `section C; [DataSource.Kind = "C"] shared C.Contents = (url as text) => Get(url); Get = (u) => let probe = u in probe; C = [Authentication = [Anonymous = []]];`, model.UncheckedURL, 0},
		{"inline guard", kind + `Helper = (u, n) => let probe = if not Text.StartsWith(u, "https://") then error "https" else u in probe;`, model.UserInput, model.UncheckedURL},
		{"field of a record a function returns", `section C; Settings = () => [Host = "https://x/", Key = Extension.CurrentCredential()[Key]]; probe = Settings()[Host];`, 0, model.Credential},
		{"secret field of a record a function returns", `section C; Settings = () => let r = [Host = "https://x/", Key = Extension.CurrentCredential()[Key]] in r; probe = Settings()[Key];`, model.Credential, 0},
		{"each item of a web list", `section C; probe = List.Transform(Json.Document(Web.Contents("https://x")), each _[url]);`, model.Web, 0},
		{"each column of literal rows", `section C; rows = Table.FromRecords({[Key = "a", Name = Extension.LoadString("A")]}); t = Table.AddColumn(rows, "Data", each let probe = [Key] in probe);`, 0, model.Resource},
		{"each column carrying a secret", `section C; rows = {[Key = "a", Token = Extension.CurrentCredential()[access_token]]}; probe = List.Transform(rows, each [Token]);`, model.Credential, 0},
		{"refresh token", `section C; Refresh = (resourceUrl, refresh_token) => let probe = refresh_token in probe; C = [Authentication = [OAuth = [Refresh = Refresh]]]; [DataSource.Kind = "C"] shared C.Contents = () => 1;`, model.Credential, 0},
		{"allowed https values", `section C; T = type function (url as (type text meta [Documentation.AllowedValues = {"https://a", "https://b"}])) as any; I = (url) => let probe = url in probe; [DataSource.Kind = "C"] shared C.Contents = Value.ReplaceType(I, T); C = [Authentication = [Anonymous = []]];`, model.UserInput, model.UncheckedURL},
		{"recursion ends", `section C; f = (x) => f(x & Extension.CurrentCredential()[Key]); probe = f("a");`, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := probe(t, tt.src)
			if got.Kinds&tt.want != tt.want {
				t.Errorf("taint %b lacks %b", got.Kinds, tt.want)
			}
			if got.Kinds&tt.not != 0 {
				t.Errorf("taint %b has %b", got.Kinds, tt.not&got.Kinds)
			}
			if got.Kinds != 0 {
				if o, ok := got.Origin(got.Kinds); !ok || o.File == nil || o.Node == nil {
					t.Errorf("no origin for %b", got.Kinds)
				}
			}
		})
	}
}

func TestTestConnectionPath(t *testing.T) {
	prog, f := load(t, kind+`Helper = (u, n) => 1;`)
	for _, d := range f.Defs() {
		if d.Name == "dataSourcePath" && d.Kind == model.DefParam {
			if !prog.ParamTaint(d).Has(model.UserInput) {
				t.Error("dataSourcePath is not user input")
			}
			return
		}
	}
	t.Fatal("no dataSourcePath")
}

func TestRequests(t *testing.T) {
	prog, f := load(t, `section C;
base = [Headers = [Accept = "application/json"]];
a = Web.Contents("https://x", base & [Query = [page = "1"], CredentialQuery = [k = "v"], ManualCredentials = true]);
b = Web.Contents("https://x", [Content = Text.ToBinary("x")]);
c = (opts) => Web.Contents("https://x", opts);
d = OData.Feed("https://x", [Authorization = "y"], [Implementation = "2.0"]);`)
	reqs := prog.Requests(f, nil)
	if len(reqs) != 4 {
		t.Fatalf("got %d requests", len(reqs))
	}
	a, b, c, d := reqs[0], reqs[1], reqs[2], reqs[3]
	for _, name := range []string{"Headers", "Query", "CredentialQuery", "ManualCredentials"} {
		if _, ok := a.Fields.Get(name); !ok {
			t.Errorf("a lacks %s", name)
		}
	}
	if !a.Get() || !a.ManualCredentials() {
		t.Error("a should be a GET with manual credentials")
	}
	if b.Get() || !b.Post() {
		t.Error("b is a POST")
	}
	if c.Known {
		t.Error("c's options are unknown")
	}
	if _, ok := d.Fields.Get("Headers"); !ok || !d.Known {
		t.Error("d's headers")
	}
}

func TestModuleLink(t *testing.T) {
	mainSrc := `section C;
Extension.LoadFunction = (name as text) => Expression.Evaluate(Text.FromBinary(Extension.Contents(name)), #shared);
Requests = Extension.LoadFunction("Requests.pqm");
Direct = Expression.Evaluate(Text.FromBinary(Extension.Contents("Direct.pqm")), #shared);
probe = Requests[Get](Extension.CurrentCredential()[Key]);
clean = Direct("x");`
	modSrc := `let Get = (key) => "https://x/?k=" & key, Other = 1 in [Get = Get, Other = Other]`
	directSrc := `(x) => x & "!"`
	parse := func(path, src string, role project.Role) *model.File {
		a := parser.Parse(path, []byte(src))
		if len(a.Errors) > 0 {
			t.Fatalf("%s: %s", path, a.Message(a.Errors[0]))
		}
		return &model.File{Path: path, AST: a, Role: role}
	}
	main := parse("/p/C.pq", mainSrc, project.Main)
	mod := parse("/p/Requests.pqm", modSrc, project.Module)
	direct := parse("/p/Direct.pqm", directSrc, project.Module)
	prog := model.New(&project.Project{Root: "/p", Main: "/p/C.pq"}, main, mod, direct)
	for _, d := range main.Defs() {
		switch d.Name {
		case "probe":
			if !prog.Taint(main, d.Value).Has(model.Credential) {
				t.Error("the credential does not flow through the module function")
			}
		case "clean":
			if fn, f := prog.FuncOf(main, d.Value.(*ast.InvokeExpr).Fun); fn == nil || f != direct {
				t.Error("Direct does not resolve to the module's function")
			}
		}
	}
	// The module function's parameter sees the main document's call.
	for _, d := range mod.Defs() {
		if d.Name == "key" && d.Kind == model.DefParam && !prog.ParamTaint(d).Has(model.Credential) {
			t.Error("the module parameter does not see the credential passed from the main document")
		}
	}
}

func TestConstantFlags(t *testing.T) {
	src := `section C;
Off = false;
On = not Off;
Diagnostics.LogValue = if Off then (p, v) => Diagnostics.Trace(TraceLevel.Information, p, v) else (p, v) => v;
Live = (x) => Diagnostics.Trace(TraceLevel.Information, "x", x);
A = if (Off <> true) then 1 else Diagnostics.Trace(TraceLevel.Information, "dead", 1);
B = if On and Off then Diagnostics.Trace(TraceLevel.Information, "dead", 1) else 2;
D = Diagnostics.LogValue("value", 3);
E = Live(4);
`
	prog, f := load(t, src)
	traces := map[string]bool{}
	for _, d := range f.Defs() {
		if d.Kind != model.DefMember {
			continue
		}
		ast.Inspect(d.Value, func(n ast.Node) bool {
			if c, ok := n.(*ast.InvokeExpr); ok {
				if id, ok := c.Fun.(*ast.Ident); ok && (id.Name == "Diagnostics.Trace" || id.Name == "Diagnostics.LogValue") {
					traces[d.Name] = traces[d.Name] || prog.Traces(f, c)
				}
			}
			return true
		})
	}
	want := map[string]bool{"A": false, "B": false, "D": false, "Live": true, "Diagnostics.LogValue": false}
	for name, w := range want {
		if traces[name] != w {
			t.Errorf("%s traces = %v, want %v", name, traces[name], w)
		}
	}
}

// TestCallSitesOfShadowingMember checks the call-site index over edits
// that make a member take, and give up, the name of a library function:
// the calls of that name in members the edits leave alone then call the
// member, and then the library again.
func TestCallSitesOfShadowingMember(t *testing.T) {
	src := []byte("section S;\n" +
		"Trim = (u as text) => Web.Contents(u);\n" +
		"A = Text.Trim(\"https://a\");\n" +
		"B = Trim(\"https://b\");\n")
	p := &project.Project{Root: "/p", Main: "/p/C.pq"}
	file := parser.Parse(p.Main, src)
	steps := []struct {
		find, replace string
		want          []string // the members whose calls reach Trim's function
	}{
		{"", "", []string{"B"}},
		{"Trim = (u", "Text.Trim = (u", []string{"A"}}, // shadows the library's
		{"Text.Trim = (u", "Trim = (u", []string{"B"}},
	}
	for i, st := range steps {
		if st.find != "" {
			at := bytes.Index(file.Src, []byte(st.find))
			file = parser.Reparse(file, parser.Edit{Start: at, End: at + len(st.find), Text: []byte(st.replace)})
		}
		prog := model.New(p, &model.File{Path: p.Main, AST: file, Role: project.Main})
		fn, _ := prog.MemberList[0].Node.Value.(*ast.FunctionExpr)
		var got []string
		for _, s := range prog.CallSites(fn) {
			for _, m := range prog.MemberList {
				if s.File.AST.Offset(m.Node.Pos()) <= s.File.AST.Offset(s.Call.Pos()) && s.File.AST.Offset(s.Call.End()) <= s.File.AST.Offset(m.Node.End()) {
					got = append(got, m.Name)
				}
			}
		}
		if !slices.Equal(got, st.want) {
			t.Errorf("step %d: the calls of %s are in %v, want %v", i, prog.MemberList[0].Name, got, st.want)
		}
	}
}
