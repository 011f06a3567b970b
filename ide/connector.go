package ide

import (
	"context"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pqls/pqls/grammar/token"
	"github.com/pqls/pqls/model"
)

// Completion of the records and texts whose shape the Power Query SDK
// fixes: the options records of the data-access functions, the data source
// kind record and its Authentication record, the Publish record, the
// metadata records of function types, the keys of resources.resx and the
// files of the project. The field lists are written from the Power Query
// documentation; the descriptions are pqls's own.

// recordField is a field a record of a known shape may have.
type recordField struct {
	Name, Doc string
}

// optionFields are the fields of the options record of data-access
// functions, by function, with the index of the argument that takes it.
var optionFields = map[string]struct {
	arg    int
	fields []recordField
}{
	"Web.Contents": {1, webOptions},
	"Web.Headers":  {1, webOptions},
	"OData.Feed": {2, []recordField{
		{"Query", "Query parameters, as a record, added to the URL."},
		{"Headers", "HTTP request headers, as a record."},
		{"ApiKeyName", "The name of the query parameter that carries an API key; keeps the key out of the cache key and the logs."},
		{"Timeout", "How long to wait for the service, as a duration (100 seconds if left out)."},
		{"ExcludedFromCacheKey", "Header names, as a list, that do not make requests differ for the cache."},
		{"EnableBatch", "Whether to send several requests in one OData $batch request."},
		{"MaxUriLength", "The longest URL to send; longer requests are batched or split."},
		{"Concurrent", "Whether requests may run in parallel."},
		{"ODataVersion", "The OData protocol version to use: 3 or 4."},
		{"Implementation", `The OData implementation to use; "2.0" selects the newer one.`},
		{"FunctionOverloads", "Whether to expose function overloads as separate navigation entries."},
		{"MoreColumns", "Whether to add a column holding the properties of open types."},
		{"IncludeAnnotations", "The term names, or patterns, of the annotations to read."},
		{"IncludeMetadataAnnotations", "The term names of the metadata annotations to read."},
		{"OmitValues", "Values the service may leave out of responses, such as ODataOmitValues.Nulls."},
		{"CreateNavigationProperties", "Whether to add navigation columns for the relationships between tables."},
	}},
	"Odbc.DataSource": {1, odbcOptions},
	"Odbc.Query":      {2, odbcOptions},
	"OleDb.DataSource": {1, []recordField{
		{"CreateNavigationProperties", "Whether to add navigation columns for the relationships between tables."},
		{"NavigationPropertyNameGenerator", "A function that names the navigation columns."},
		{"Query", "A native query to run instead of listing the tables."},
		{"HierarchicalNavigation", "Whether to group tables by schema in the navigator."},
		{"ConnectionTimeout", "How long to wait for a connection, as a duration."},
		{"CommandTimeout", "How long a query may run, as a duration."},
		{"SqlCompatibleWindowsAuth", "Whether to use SQL Server compatible options for Windows authentication."},
	}},
	"AdoDotNet.DataSource": {2, []recordField{
		{"CommandTimeout", "How long a query may run, as a duration."},
		{"ConnectionTimeout", "How long to wait for a connection, as a duration."},
		{"HierarchicalNavigation", "Whether to group tables by schema in the navigator."},
		{"TypeMap", "How the provider's types map to M types."},
	}},
	"Sql.Database": {2, []recordField{
		{"Query", "A native SQL query to run instead of listing the tables."},
		{"CommandTimeout", "How long a query may run, as a duration."},
		{"ConnectionTimeout", "How long to wait for a connection, as a duration."},
		{"CreateNavigationProperties", "Whether to add navigation columns for the relationships between tables."},
		{"NavigationPropertyNameGenerator", "A function that names the navigation columns."},
		{"HierarchicalNavigation", "Whether to group tables by schema in the navigator."},
		{"MaxDegreeOfParallelism", "The MAXDOP query hint to add to generated queries."},
		{"MultiSubnetFailover", "Whether to set MultiSubnetFailover in the connection string."},
		{"UnsafeTypeConversions", "Whether to fold type conversions that could fail on the server."},
		{"ContextInfo", "A binary value set as CONTEXT_INFO before each command."},
		{"OmitSRID", "Whether to leave the SRID out of geography and geometry values."},
		{"EnableCrossDatabaseFolding", "Whether queries may fold across databases of the same server."},
	}},
	"Csv.Document": {1, []recordField{
		{"Delimiter", "The column delimiter, as text."},
		{"Columns", "The number of columns, a list of column names, or a table type."},
		{"Encoding", "The text encoding of the file, as a code page number."},
		{"CsvStyle", "How quotes are read: CsvStyle.QuoteAfterDelimiter or CsvStyle.QuoteAlways."},
		{"QuoteStyle", "Whether quoted values may hold line breaks: QuoteStyle.Csv or QuoteStyle.None."},
	}},
}

var webOptions = []recordField{
	{"Query", "Query parameters, as a record of texts (or lists of texts), added to the URL with escaping."},
	{"ApiKeyName", "The name of the query parameter that carries the Key credential; Power Query adds it and keeps the key out of logs."},
	{"Headers", "HTTP request headers, as a record."},
	{"Timeout", "How long to wait for the response, as a duration (100 seconds if left out)."},
	{"ExcludedFromCacheKey", "Header names, as a list, whose values do not make requests differ for the cache."},
	{"IsRetry", "true to skip the cache and fetch the response again."},
	{"ManualStatusHandling", "HTTP status codes, as a list, that the connector handles itself instead of getting an error."},
	{"RelativePath", "A path appended to the base URL; keeps the base URL the data source path."},
	{"Content", "A binary request body; its presence makes the request a POST."},
	{"ManualCredentials", "true to send no stored credential, when the connector adds authentication itself."},
	{"CredentialQuery", "Query parameters, as a record, that carry credentials and are kept out of the data source path."},
}

var odbcOptions = []recordField{
	{"ClientConnectionPooling", "Whether to use client-side connection pooling."},
	{"ConnectionTimeout", "How long to wait for a connection, as a duration."},
	{"CommandTimeout", "How long a query may run, as a duration."},
	{"CreateNavigationProperties", "Whether to add navigation columns for the relationships between tables."},
	{"CredentialConnectionString", "The credential part of the connection string, as a record; kept out of the data source path."},
	{"HideNativeQuery", "Whether to hide the generated SQL in the query diagnostics."},
	{"HierarchicalNavigation", "Whether to group tables by catalog and schema in the navigator."},
	{"ImplicitTypeConversions", "A table of the implicit type conversions the driver performs."},
	{"OnError", "A function called with the error record when an ODBC call fails; may rethrow a friendlier error."},
	{"SoftNumbers", "Whether to relax the checks on numeric type conversions when folding."},
	{"SqlCapabilities", "A record describing the SQL the driver supports, overriding SQLGetInfo."},
	{"SQLColumns", "A function that adjusts the result of SQLColumns."},
	{"SQLGetFunctions", "A record of SQLGetFunctions values that override the driver's."},
	{"SQLGetInfo", "A record of SQLGetInfo values that override the driver's."},
	{"SQLGetTypeInfo", "A table, or a function, that adjusts the driver's SQLGetTypeInfo result."},
	{"SQLTables", "A function that adjusts the result of SQLTables."},
	{"AstVisitor", "A record of functions that rewrite parts of the generated SQL, such as LimitClause."},
	{"CancelQueryExplicitly", "Whether to cancel running queries with SQLCancel before closing the connection."},
	{"TolerateConcatOverflow", "Whether to fold text concatenation that may overflow."},
	{"UseEmbeddedDriver", "Whether to use the driver shipped with Power Query."},
}

var kindFields = []recordField{
	{"Authentication", "The authentication kinds the data source supports, as a record with one field per kind."},
	{"Label", "The display name of the data source kind in the credentials dialog."},
	{"TestConnection", "A function that, given the data source path, returns the call that tests the connection (required for refresh in the service)."},
	{"SupportsEncryption", "Whether the connector connects over encrypted channels; the user is asked about unencrypted connections otherwise."},
	{"NativeQueryProperties", "How the connector supports native queries."},
	{"Type", "The kind of connector, for custom connector metadata."},
}

var publishFields = []recordField{
	{"Beta", "Marks the connector as beta (preview) in the Get Data dialog."},
	{"Category", `The Get Data category: "Azure", "Database", "File", "Online Services", "Other".`},
	{"ButtonText", "The title and tooltip in the Get Data dialog, as a list of two texts (use Extension.LoadString)."},
	{"LearnMoreUrl", "The address of the page that documents the connector."},
	{"SupportsDirectQuery", "Whether the connector supports DirectQuery."},
	{"SourceImage", "The icons of the Get Data dialog, as a record with Icon16 … Icon32 fields."},
	{"SourceTypeImage", "The icons of the data source type, as a record with Icon16 … Icon32 fields."},
}

var authKinds = []recordField{
	{"OAuth", "OAuth 2.0: the connector implements StartLogin and FinishLogin (and Refresh, Logout)."},
	{"Aad", "Microsoft Entra ID (Azure AD) sign-in handled by Power Query."},
	{"Key", "An API key typed by the user."},
	{"UsernamePassword", "A user name and a password."},
	{"Windows", "Windows credentials: the current user or another one."},
	{"Anonymous", "No credential."},
	{"Implicit", "No credential (the older name of Anonymous)."},
}

var authFields = map[string][]recordField{
	"OAuth": {
		{"StartLogin", "(resourceUrl, state, display) => record: returns the authorization URL, the callback URL, the window size and the context to keep."},
		{"FinishLogin", "(context, callbackUri, state) => record: exchanges the authorization code for the token record."},
		{"Refresh", "(resourceUrl, refresh_token) => record: gets a new access token with the refresh token."},
		{"Logout", "(token) => text: returns the URL that signs the user out."},
		{"Label", "The name of this authentication kind in the credentials dialog."},
	},
	"Aad": {
		{"AuthorizationUri", "The Entra ID authorization endpoint, as text or a function of the data source path."},
		{"Resource", "The resource identifier to request a token for."},
		{"Scope", "The scopes to request, instead of Resource."},
		{"Label", "The name of this authentication kind in the credentials dialog."},
	},
	"Key": {
		{"KeyLabel", "The label of the key box in the credentials dialog."},
		{"Label", "The name of this authentication kind in the credentials dialog."},
	},
	"UsernamePassword": {
		{"UsernameLabel", "The label of the user name box."},
		{"PasswordLabel", "The label of the password box."},
		{"Label", "The name of this authentication kind in the credentials dialog."},
	},
	"Windows": {
		{"UsernameLabel", "The label of the user name box."},
		{"PasswordLabel", "The label of the password box."},
		{"SupportsAlternateCredentials", "Whether the user may give Windows credentials other than their own."},
		{"Label", "The name of this authentication kind in the credentials dialog."},
	},
	"Anonymous": {{"Label", "The name of this authentication kind in the credentials dialog."}},
	"Implicit":  {{"Label", "The name of this authentication kind in the credentials dialog."}},
}

var metaFields = []recordField{
	{"Documentation.Name", "The title of the function's dialog."},
	{"Documentation.Caption", "The caption of a parameter or function."},
	{"Documentation.Description", "A short description, shown under the title."},
	{"Documentation.LongDescription", "The full description of the function."},
	{"Documentation.Examples", "Examples, as a list of records with Description, Code and Result."},
	{"Documentation.FieldCaption", "The caption of a parameter, shown in the dialog."},
	{"Documentation.FieldDescription", "The tooltip of a parameter."},
	{"Documentation.SampleValues", "Sample values of a parameter, as a list; the first is shown as a placeholder."},
	{"Documentation.AllowedValues", "The values a parameter may take, as a list; the dialog shows a drop-down."},
	{"Formatting.IsMultiLine", "Shows a multi-line text box for a text parameter."},
	{"Formatting.IsCode", "Shows a text parameter in a fixed-width font, for code."},
	{"DataSource.Path", "false to keep a parameter out of the data source path (the credential key)."},
}

var iconFields = []recordField{
	{"Icon16", "16×16 icons, as a list of Extension.Contents values."},
	{"Icon20", "20×20 icons."},
	{"Icon24", "24×24 icons."},
	{"Icon32", "32×32 icons."},
}

var headerFields = []recordField{
	{"Accept", "The media types the connector takes, such as application/json."},
	{"Authorization", "The credential sent to the service; prefer the Authentication record where Power Query can manage it."},
	{"#\"Content-Type\"", "The media type of the request body."},
	{"#\"User-Agent\"", "The client name sent to the service."},
	{"#\"Accept-Encoding\"", "The compressions the connector takes."},
	{"#\"x-ms-client-request-id\"", "A request id, for the service's logs."},
}

// recordRole returns the fields of the record opened by stack[i], and
// whether its shape is known.
func recordRole(prog *model.Program, stack []frame, i int) ([]recordField, bool) {
	fr := stack[i]
	if !fr.record {
		return nil, false
	}
	// An argument of a data-access function.
	if i > 0 && stack[i-1].open == token.LPAREN {
		call := stack[i-1]
		if o, ok := optionFields[call.callee]; ok && call.arg == o.arg {
			return o.fields, true
		}
		return nil, false
	}
	// Nested records: each level's owner says what it is.
	within := func(j int) bool { return j >= 0 && stack[j].record }
	switch {
	case fr.owner == "meta":
		return metaFields, true
	case i == 0 && isKindName(prog, fr.owner):
		return kindFields, true
	case i == 0 && isPublishName(prog, fr.owner):
		return publishFields, true
	case i == 1 && within(0) && isKindName(prog, stack[0].owner) && fr.owner == "Authentication":
		return authKinds, true
	case i == 2 && within(1) && stack[1].owner == "Authentication" && isKindName(prog, stack[0].owner):
		fs, ok := authFields[fr.owner]
		return fs, ok
	case i == 1 && within(0) && isPublishName(prog, stack[0].owner) && (fr.owner == "SourceImage" || fr.owner == "SourceTypeImage"):
		return iconFields, true
	case fr.owner == "Headers" && i >= 2 && within(i-1) && stack[i-2].open == token.LPAREN:
		o, ok := optionFields[stack[i-2].callee]
		if ok && stack[i-2].arg == o.arg {
			return headerFields, true
		}
	}
	return nil, false
}

// isKindName reports whether name is a data source kind of the connector.
func isKindName(prog *model.Program, name string) bool {
	if name == "" {
		return false
	}
	for _, k := range prog.Kinds {
		if k.Name == name {
			return true
		}
	}
	return false
}

// isPublishName reports whether name is a Publish record: named by a
// Publish attribute, or named like one (Contoso.Publish).
func isPublishName(prog *model.Program, name string) bool {
	if name == "" {
		return false
	}
	if strings.HasSuffix(name, ".Publish") {
		return true
	}
	for _, k := range prog.Kinds {
		for _, p := range k.Publish {
			if p.Name == name {
				return true
			}
		}
	}
	return false
}

// ConnectorComplete returns the completions of the SDK's fixed shapes at
// off and the start of the text they replace; ok is false where the cursor
// is in no such place, and the general completion applies. It stops with
// ctx's error when ctx is cancelled while it reads the member at off.
func ConnectorComplete(ctx context.Context, prog *model.Program, f *model.File, off int) (items []Completion, start int, ok bool, err error) {
	p := newPoller(ctx)
	cur := scanContext(p, f.AST.Src, unitStart(f.AST, off), off)
	if p.err != nil {
		return nil, 0, false, p.err
	}
	if cur.textStart >= 0 {
		items, start, ok = textCompletions(prog, f, cur, off)
		return items, start, ok, nil
	}
	stack := cur.frames
	if len(stack) == 0 {
		return nil, 0, false, nil
	}
	i := len(stack) - 1
	fr := stack[i]
	if !fr.record || fr.afterAssign {
		return nil, 0, false, nil
	}
	fields, known := recordRole(prog, stack, i)
	if !known {
		return nil, 0, false, nil
	}
	start, prefix := Prefix(f.AST.Src, off)
	if fr.fieldStart >= 0 && fr.fieldStart < start {
		// A field name of several words, or a quoted name being typed.
		start, prefix = fr.fieldStart, string(f.AST.Src[fr.fieldStart:off])
	}
	written := map[string]bool{}
	for _, n := range fr.fields {
		written[n] = true
	}
	lower := strings.ToLower(strings.TrimPrefix(prefix, `#"`))
	for _, fl := range fields {
		plain := fl.Name
		if strings.HasPrefix(plain, `#"`) {
			plain = strings.TrimSuffix(strings.TrimPrefix(plain, `#"`), `"`)
		}
		if written[plain] || !strings.HasPrefix(strings.ToLower(plain), lower) {
			continue
		}
		items = append(items, Completion{Label: fl.Name, Kind: CompleteField, Detail: "field", Doc: fl.Doc, Insert: fl.Name + " = "})
	}
	return items, start, true, nil
}

// textCompletions completes inside a text literal: the keys of
// resources.resx in Extension.LoadString("…"), and the files of the project
// in Extension.Contents("…").
func textCompletions(prog *model.Program, f *model.File, ctx cursorContext, off int) ([]Completion, int, bool) {
	call, ok := enclosingCall(ctx.frames)
	if !ok || call.arg != 0 || len(ctx.frames) == 0 || ctx.frames[len(ctx.frames)-1].pos != call.pos {
		return nil, 0, false
	}
	src := f.AST.Src
	if ctx.textStart >= len(src) || src[ctx.textStart] != '"' {
		return nil, 0, false
	}
	start := ctx.textStart + 1
	typed := strings.ToLower(string(src[start:off]))
	var out []Completion
	switch call.callee {
	case "Extension.LoadString":
		if prog.Project == nil {
			return nil, 0, false
		}
		keys := make([]string, 0, len(prog.Project.Resources))
		for k := range prog.Project.Resources {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if strings.HasPrefix(strings.ToLower(k), typed) && !strings.Contains(k, `"`) {
				out = append(out, Completion{Label: k, Kind: CompleteResource, Detail: firstLine(prog.Project.Resources[k]), Insert: k})
			}
		}
	case "Extension.Contents":
		if prog.Project == nil {
			return nil, 0, false
		}
		for _, p := range projectFiles(prog) {
			name := filepath.Base(p)
			if p == f.Path || !strings.HasPrefix(strings.ToLower(name), typed) || strings.Contains(name, `"`) {
				continue
			}
			out = append(out, Completion{Label: name, Kind: CompleteFile, Detail: relTo(prog.Project.Root, p), Insert: name})
		}
	default:
		return nil, 0, false
	}
	return out, start, true
}
