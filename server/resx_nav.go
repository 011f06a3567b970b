package server

import "github.com/pqls/pqls/model"

// withResx runs f on the request's model when the request's document is
// its project's resources.resx, where references and rename of a string's
// key start from the name of its <data> element. It reports whether f ran.
func (r *ideRequest) withResx(f func(prog *model.Program, path string)) bool {
	if r.file != nil || r.prog == nil || r.prog.Project == nil || r.prog.Project.Resx == "" || cleanKey(r.prog.Project.Resx) != cleanKey(r.doc.path) {
		return false
	}
	f(r.prog, r.prog.Project.Resx)
	return true
}
