package project

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkOpenMez opens archives of many entries, all in one folder, the
// case that made loading quadratic (100,000 entries: 18.6 s before).
//
//	go test -run '^$' -bench OpenMez -benchtime 3x ./project
func BenchmarkOpenMez(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "Many.mez")
			f, err := os.Create(path)
			if err != nil {
				b.Fatal(err)
			}
			zw := zip.NewWriter(f)
			for i := range n {
				w, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("M%06d.pqm", i), Method: zip.Store})
				if err != nil {
					b.Fatal(err)
				}
				fmt.Fprintf(w, "let x = %d in x", i)
			}
			w, _ := zw.Create("Many.pq")
			fmt.Fprint(w, "section Many;")
			if err := zw.Close(); err != nil {
				b.Fatal(err)
			}
			f.Close()
			b.ResetTimer()
			for range b.N {
				src, root, err := OpenMez(path)
				if err != nil {
					b.Fatal(err)
				}
				p, err := Load(src, root)
				if err != nil {
					b.Fatal(err)
				}
				if len(p.Modules) != n {
					b.Fatalf("%d modules, want %d", len(p.Modules), n)
				}
			}
		})
	}
}
