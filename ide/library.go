package ide

import "github.com/pqls/pqls/model"

// connectorSignatures are the signatures of the functions only connectors
// can call (the Extension.* library of the Power Query SDK), which the
// standard library table does not list.
var connectorSignatures = map[string]string{
	"Extension.Contents":           "Extension.Contents(name as text) as binary",
	"Extension.LoadString":         "Extension.LoadString(name as text) as text",
	"Extension.CurrentCredential":  "Extension.CurrentCredential(optional forceRefresh as nullable logical) as record",
	"Extension.CurrentCredentials": "Extension.CurrentCredentials() as record",
	"Extension.CredentialError":    "Extension.CredentialError(reason as text, optional message as nullable text, optional detail as any) as record",
	"Extension.InvokeWithCredentials": "Extension.InvokeWithCredentials(" +
		"credentialsFunction as function, function as function) as any",
	"Extension.CurrentApplication": "Extension.CurrentApplication() as record",
	"Extension.Module":             "Extension.Module(name as text) as any",
}

// summaries say in one line what the functions connector code calls most
// do. They are pqls's own words; the reference link has the full story.
var summaries = map[string]string{
	"Web.Contents":                    "Downloads the contents of a URL as binary; the options record sets headers, query, relative path, timeout and status handling.",
	"Web.Headers":                     "Makes a request to a URL and returns only the response headers as a record.",
	"Json.Document":                   "Parses JSON text or binary into M records, lists and values.",
	"Json.FromValue":                  "Serializes an M value to JSON as binary, for request bodies.",
	"Xml.Tables":                      "Reads an XML document into nested tables.",
	"Csv.Document":                    "Reads CSV text or binary into a table.",
	"OData.Feed":                      "Returns the tables of an OData service, with query folding to the service.",
	"Odbc.DataSource":                 "Connects through an ODBC driver with a connection string and returns the navigation table of its databases.",
	"Odbc.Query":                      "Runs a native query through an ODBC driver and returns the result table.",
	"Sql.Database":                    "Connects to a SQL Server database and returns its tables, views and functions.",
	"Value.ReplaceType":               "Gives a value a new type; connectors use it to attach documented function types to data source functions.",
	"Value.Metadata":                  "Returns the metadata record attached to a value.",
	"Value.ReplaceMetadata":           "Returns the value with its metadata record replaced.",
	"Value.Is":                        "Tells whether a value is compatible with a type.",
	"Value.WaitFor":                   "Calls a producer repeatedly, with a delay between tries, until it returns a non-null value or the count runs out.",
	"Expression.Evaluate":             "Evaluates M source text in an environment record; connectors load their .pqm modules with it.",
	"Extension.Contents":              "Reads a file packaged in the connector (.mez) as binary.",
	"Extension.LoadString":            "Returns the string of the given key from the connector's resources.resx, for the user's language.",
	"Extension.CurrentCredential":     "Returns the credential the user gave for the current data source: its kind and fields such as access_token, Key or Username.",
	"Extension.CredentialError":       "Builds the error that tells Power Query the credential is missing, expired or refused, so it asks the user again.",
	"Extension.InvokeWithCredentials": "Calls a function with credentials other than the current ones.",
	"Extension.Module":                "Returns a module of the connector by name.",
	"Diagnostics.Trace":               "Writes a message to the trace log when the value is evaluated and returns the value.",
	"Diagnostics.LogValue":            "Writes a value to the trace log and returns it.",
	"Error.Record":                    "Builds the record (Reason, Message, Detail) that `error` raises.",
	"Function.InvokeAfter":            "Calls a function after a delay; used for retry and back-off.",
	"Table.ToNavigationTable":         "Marks a table as a navigation table, naming its key, name, data, item kind and leaf columns (a helper connectors copy in).",
	"Table.FromRecords":               "Builds a table from a list of records, one row per record.",
	"Table.FromList":                  "Builds a table from a list, splitting each item into columns.",
	"Table.FromRows":                  "Builds a table from a list of row lists and column names.",
	"Table.AddColumn":                 "Adds a column computed from each row.",
	"Table.SelectRows":                "Keeps the rows for which the condition is true.",
	"Table.SelectColumns":             "Keeps only the named columns, in the order given.",
	"Table.RemoveColumns":             "Removes the named columns.",
	"Table.RenameColumns":             "Renames columns from {old, new} pairs.",
	"Table.TransformColumns":          "Applies a function to the values of the named columns.",
	"Table.TransformColumnTypes":      "Converts columns to the given types.",
	"Table.ExpandRecordColumn":        "Turns the fields of a record column into columns of their own.",
	"Table.ExpandListColumn":          "Turns each item of a list column into a row of its own.",
	"Table.Combine":                   "Appends tables into one.",
	"Table.Schema":                    "Describes the columns of a table: names, types and facets.",
	"Table.GenerateByPage":            "Builds a table from pages fetched one after another until the page function returns null (a helper connectors copy in).",
	"Record.Field":                    "Returns the value of the named field of a record.",
	"Record.FieldOrDefault":           "Returns the named field of a record, or a default when the field is missing.",
	"Record.AddField":                 "Returns the record with a field added.",
	"Record.ToTable":                  "Turns a record into a table of Name and Value rows.",
	"Record.RemoveFields":             "Returns the record without the named fields.",
	"Text.Combine":                    "Joins a list of texts, with an optional separator.",
	"Text.Format":                     "Fills #{0} or #[name] placeholders of a format text from a list or record.",
	"Text.Contains":                   "Tells whether a text holds another.",
	"Text.Replace":                    "Replaces every occurrence of a text with another.",
	"Text.From":                       "Converts a value to text.",
	"Text.FromBinary":                 "Decodes binary into text, UTF-8 by default.",
	"Binary.Buffer":                   "Reads a binary value into memory once, so it is not downloaded again on each use.",
	"Binary.FromText":                 "Decodes base64 or hex text into binary.",
	"Binary.ToText":                   "Encodes binary as base64 or hex text.",
	"Uri.Combine":                     "Resolves a relative URL against a base URL.",
	"Uri.BuildQueryString":            "Builds a URL-encoded query string from a record.",
	"Uri.EscapeDataString":            "Percent-encodes text for use in a URL.",
	"Uri.Parts":                       "Splits a URL into scheme, host, port, path, query and fragment.",
	"List.Transform":                  "Applies a function to each item of a list.",
	"List.Generate":                   "Builds a list from an initial value, a condition and a next-value function; used for paging.",
	"List.Accumulate":                 "Folds a list into one value with an accumulator function.",
	"List.Select":                     "Keeps the items for which the condition is true.",
	"List.Combine":                    "Appends lists into one.",
	"DateTimeZone.UtcNow":             "Returns the current date and time in UTC.",
}

// Summary returns the one-line description of a library function, or "".
func Summary(name string) string { return summaries[name] }

// libraryFunc returns the library entry for name, with the signature of a
// connector function the table lacks.
func libraryFunc(name string) (model.LibraryFunc, bool) {
	fn, ok := model.Library()[name]
	if sig, extra := connectorSignatures[name]; extra {
		fn.Name, ok = name, true
		if fn.Signature == "" {
			fn.Signature = sig
		}
	}
	return fn, ok
}
