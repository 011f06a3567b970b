package structure

import (
	"strings"

	"github.com/pqls/pqls/model"
)

// stMainDSF picks the function a kind's TestConnection should call: the
// first one that is published, else the first.
func stMainDSF(k *model.Kind) *model.DSF {
	for _, d := range k.DSFs {
		if d.Publish != "" {
			return d
		}
	}
	if len(k.DSFs) > 0 {
		return k.DSFs[0]
	}
	return nil
}

// stTestConnectionText builds a TestConnection handler that calls d with
// the values of its data source path: nothing for a singleton, the path for
// one Uri.Type parameter, the fields of the path decoded with Json.Document
// otherwise. indent is the indentation of the field.
func stTestConnectionText(prog *model.Program, d *model.DSF, indent, nl string) (string, bool) {
	req, ok := prog.RequiredParams(d)
	if !ok {
		return "", false
	}
	name := model.QuoteText(d.Member.Name)
	switch len(req) {
	case 0:
		return "TestConnection = (dataSourcePath) => { " + name + " }", true
	case 1:
		// A single Uri.Type parameter is the path itself; any other
		// parameters arrive as a JSON record of their values.
		if strings.TrimPrefix(req[0].Type, "nullable ") == "Uri.Type" {
			return "TestConnection = (dataSourcePath) => { " + name + ", dataSourcePath }", true
		}
	}
	items := []string{name}
	for _, p := range req {
		items = append(items, "json["+model.IdentText(p.Name)+"]")
	}
	in := indent + "    "
	return "TestConnection = (dataSourcePath) =>" + nl +
		in + "let" + nl +
		in + "    json = Json.Document(dataSourcePath)" + nl +
		in + "in" + nl +
		in + "    { " + strings.Join(items, ", ") + " }", true
}
