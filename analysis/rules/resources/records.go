package resources

import (
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// prjCodeFiles returns the connector's own code: the main document and the
// modules, not the test queries. Rules about packaged files and resources
// look at modules too, since modules read them the same way.
func prjCodeFiles(prog *model.Program) []*model.File {
	var out []*model.File
	for _, f := range prog.Files {
		if f.Role != project.Test {
			out = append(out, f)
		}
	}
	return out
}
