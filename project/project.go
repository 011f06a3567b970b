// Package project models a Power Query connector project: its main section
// document, modules, test queries, resources and icons. (Stub: the full
// version replaces it.)
package project

import "io/fs"

// Source reads the files of projects: the disk, a .mez archive, or editor
// buffers over the disk.
type Source interface {
	ReadFile(path string) ([]byte, error)
	ReadDir(dir string) ([]fs.DirEntry, error)
}

// Project is one connector project.
type Project struct {
	Root      string            // the project folder
	Name      string            // project name
	ProjFile  string            // .proj or .mproj, or ""
	Main      string            // main section document, or ""
	Modules   []string          // .pqm modules
	Tests     []string          // *.query.pq and other test files
	Resx      string            // resources.resx, or ""
	Resources map[string]string // resx data name → value
	Icons     []string          // icon files
	Packaged  []string          // files the project file packages
}
