package main

import (
	"fmt"
	"sync"

	"github.com/pqls/pqls/grammar/ast"
	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/project"
)

// fileCache reads and parses the files of one project once each. It
// implements analysis.Files for the command line, where the files come
// from the disk or a .mez archive and do not change during a check.
type fileCache struct {
	src project.Source

	mu     sync.Mutex // the analysis may ask from several goroutines
	texts  map[string][]byte
	errs   map[string]error
	parsed map[string]*ast.File
}

func newFileCache(src project.Source) *fileCache {
	return &fileCache{
		src:    src,
		texts:  make(map[string][]byte),
		errs:   make(map[string]error),
		parsed: make(map[string]*ast.File),
	}
}

// text returns the content of the file at path.
func (c *fileCache) text(path string) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.textLocked(path)
}

func (c *fileCache) textLocked(path string) ([]byte, error) {
	if data, ok := c.texts[path]; ok {
		return data, nil
	}
	if err, ok := c.errs[path]; ok {
		return nil, err
	}
	data, err := c.src.ReadFile(path)
	if err != nil {
		c.errs[path] = err
		return nil, err
	}
	c.texts[path] = data
	return data, nil
}

// drop forgets the syntax trees, so that they can be collected while the
// texts are still read for the report.
func (c *fileCache) drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.parsed)
}

// Parsed returns the syntax tree of the M file at path.
func (c *fileCache) Parsed(path string) (*ast.File, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if f, ok := c.parsed[path]; ok {
		return f, nil
	}
	data, err := c.textLocked(path)
	if err != nil {
		return nil, err
	}
	f := parser.Parse(path, data)
	if f == nil {
		return nil, fmt.Errorf("parse %s: no syntax tree", path)
	}
	c.parsed[path] = f
	return f, nil
}
