package resources

import (
	"github.com/pqls/pqls/model"
)

// prjCodeFiles returns the connector's own code: the main document and the
// modules, not the test queries. Rules about packaged files and resources
// look at modules too, since modules read them the same way.
func prjCodeFiles(prog *model.Program) []*model.File {
	var out []*model.File
	for _, f := range prog.Files {
		if f.Role != model.TestDoc {
			out = append(out, f)
		}
	}
	return out
}
