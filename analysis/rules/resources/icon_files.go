package resources

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/model"
)

var sizeInName = regexp.MustCompile(`\d+`)

// existingIconFiles returns the Extension.Contents calls for an icon of
// each size, naming files that exist in the project: named as the icons
// already listed in known are (Logo16.png gives Logo20.png), else
// <kind><size>.png. It reports false when a size has no file, so that no
// fix ever points at a file that is not there.
func existingIconFiles(prog *model.Program, kind string, known []string, sizes ...int) (string, bool) {
	proj := prog.Project
	if proj == nil {
		return "", false
	}
	exists := func(name string) bool {
		info, err := proj.Source().Stat(filepath.Join(proj.Root, filepath.FromSlash(name)))
		return err == nil && !info.IsDir()
	}
	var out []string
	for _, n := range sizes {
		var candidates []string
		for _, k := range known {
			if locs := sizeInName.FindAllStringIndex(k, -1); len(locs) > 0 {
				l := locs[len(locs)-1] // the size is the last number: Logo_v2_16.png
				candidates = append(candidates, k[:l[0]]+strconv.Itoa(n)+k[l[1]:])
			}
		}
		candidates = append(candidates, fmt.Sprintf("%s%d.png", kind, n))
		found := ""
		for _, c := range candidates {
			if exists(c) {
				found = c
				break
			}
		}
		if found == "" {
			return "", false
		}
		out = append(out, "Extension.Contents("+model.QuoteText(found)+")")
	}
	return strings.Join(out, ", "), true
}

// iconNames lists the file names an icon list reads with Extension.Contents.
func iconNames(l *ast.ListExpr) []string {
	var out []string
	for _, it := range l.Items {
		if c, ok := model.Unparen(it).(*ast.InvokeExpr); ok && len(c.Args) == 1 {
			if s, ok := model.Text(model.Unparen(c.Args[0])); ok {
				out = append(out, s)
			}
		}
	}
	return out
}
