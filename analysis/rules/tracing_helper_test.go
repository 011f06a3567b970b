package rules_test

import (
	"strings"
	"testing"

	"github.com/pqls/pqls/analysis/rules/tracing"
	"github.com/pqls/pqls/config"
)

// TestLoggingHelperRelated: a secret handed to a generic logging helper is
// reported at the call that hands it over, once, with the trace inside the
// helper as related information; the helper itself and the calls that pass
// no secret get nothing. (The third argument of Diagnostics.Trace is
// returned, not written, so only the message carries the value.)
func TestLoggingHelperRelated(t *testing.T) {
	src := `section Contoso;

Log = (label as text, value) => Diagnostics.Trace(TraceLevel.Information, label & " = " & Text.From(value), value);

[DataSource.Kind = "Contoso"]
shared Contoso.Contents = () =>
    let
        secret = Extension.CurrentCredential()[Key],
        a = Log("key", secret),
        b = Log("rows", 12)
    in
        {a, b};

Contoso = [Authentication = [Key = []]];
`
	ds := runOn(t, tracing.PQC036, "Contoso.pq", src, config.Default())
	if len(ds) != 1 {
		t.Fatalf("got %d findings, want 1: %v", len(ds), ds)
	}
	d := ds[0]
	if got := src[d.Start:d.End]; got != "secret" {
		t.Errorf("finding on %q, want the argument secret at the call", got)
	}
	var helper bool
	for _, r := range d.Related {
		if r.Path == d.Path && strings.Contains(src[r.Start:r.End], "Text.From(value)") && strings.Contains(r.Message, "helper") {
			helper = true
		}
	}
	if !helper {
		t.Errorf("no related information at the helper's trace: %+v", d.Related)
	}
}
