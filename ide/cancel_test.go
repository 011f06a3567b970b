package ide

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pqls/pqls/grammar/parser"
	"github.com/pqls/pqls/internal/testconnector"
	"github.com/pqls/pqls/model"
	"github.com/pqls/pqls/project"
)

// bg is the context of calls that are not cancelled.
var bg = context.Background()

func complete(t *testing.T, prog *model.Program, f *model.File, off int) []Completion {
	t.Helper()
	cs, err := Complete(bg, prog, f, off)
	if err != nil {
		t.Fatal(err)
	}
	return cs
}

func semanticTokens(t *testing.T, prog *model.Program, f *model.File) []SemanticToken {
	t.Helper()
	toks, err := SemanticTokens(bg, prog, f)
	if err != nil {
		t.Fatal(err)
	}
	return toks
}

// pollCtx is a context that counts how often its Err is looked at and is
// cancelled from the look numbered cancelAt on (never if cancelAt is 0).
// It shows, without timing anything, whether a call looks at its context
// during its work and whether it stops as soon as it sees it cancelled.
type pollCtx struct {
	cancelAt int64
	looks    atomic.Int64
}

func (c *pollCtx) Deadline() (time.Time, bool) { return time.Time{}, false }
func (c *pollCtx) Done() <-chan struct{}       { return nil }
func (c *pollCtx) Value(any) any               { return nil }
func (c *pollCtx) Err() error {
	if n := c.looks.Add(1); c.cancelAt > 0 && n >= c.cancelAt {
		return context.Canceled
	}
	return nil
}

// TestLongRequestsHonourCancellation runs each long editor request on a
// 1 MB document three ways: not cancelled (it must give a result and look
// at its context many times along the way, not only before and after),
// cancelled before the call, and cancelled in the middle of its walk (it
// must return the context's error and no result, and look no more once it
// has seen the cancellation).
func TestLongRequestsHonourCancellation(t *testing.T) {
	src := testconnector.Section(1 << 20)
	main := &model.File{Path: "/big/Bench.pq", AST: parser.Parse("Bench.pq", src), Role: project.Main}
	prog := model.New(&project.Project{Root: "/big"}, main)
	last := strings.LastIndex(string(src), "typed otherwise") + 2

	// One member of 1 MB: the record the cursor is in is read from the
	// member's start.
	var b strings.Builder
	b.WriteString("[Version = \"1.0.0\"]\nsection Big;\n[DataSource.Kind = \"Big\"]\nshared Big.Contents = () => 1;\nBig = [ Label = Text.Combine({")
	for b.Len() < 1<<20 {
		b.WriteString(`"part", `)
	}
	b.WriteString(`"end"}), `)
	bigSrc := []byte(b.String())
	big := &model.File{Path: "/one/Big.pq", AST: parser.Parse("Big.pq", bigSrc), Role: project.Main}
	bigProg := model.New(&project.Project{Root: "/one"}, big)

	// 1 MB of members naming a resources.resx string: its references and
	// rename, asked from resources.resx, walk every call.
	var rb strings.Builder
	rb.WriteString("section Res;\n")
	for i := 0; rb.Len() < 1<<20; i++ {
		fmt.Fprintf(&rb, "Title%d = Extension.LoadString(\"Title\");\n", i)
	}
	resx := "/res/resources.resx"
	res := &model.File{Path: "/res/Res.pq", AST: parser.Parse("Res.pq", []byte(rb.String())), Role: project.Main}
	resProg := model.New(&project.Project{Root: "/res", Resx: resx,
		Resources:     map[string]string{"Title": "A title"},
		ResourceSpans: map[string]project.ResourceSpan{"Title": {Name: project.Span{Start: 40, End: 45}}},
	}, res)

	ref := strings.Index(string(src), "BenchImpl")
	requests := []struct {
		name string
		call func(ctx context.Context) (int, error)
	}{
		{"semantic tokens", func(ctx context.Context) (int, error) {
			r, err := SemanticTokens(ctx, prog, main)
			return len(r), err
		}},
		{"references", func(ctx context.Context) (int, error) {
			r, err := References(ctx, prog, main, strings.Index(string(src), "Web.Contents")+1, true)
			return len(r), err
		}},
		{"rename", func(ctx context.Context) (int, error) {
			r, err := Rename(ctx, prog, main, ref+1, "BenchImplementation")
			return len(r), err
		}},
		{"references from resources.resx", func(ctx context.Context) (int, error) {
			r, err := ResxReferences(ctx, resProg, resx, 42, true)
			return len(r), err
		}},
		{"rename from resources.resx", func(ctx context.Context) (int, error) {
			r, err := ResxRename(ctx, resProg, resx, 42, "Heading")
			return len(r), err
		}},
		{"highlights", func(ctx context.Context) (int, error) {
			r, err := Highlights(ctx, prog, main, strings.Index(string(src), "Json.Document")+1)
			return len(r), err
		}},
		{"workspace symbols", func(ctx context.Context) (int, error) {
			r, err := WorkspaceSymbols(ctx, prog, "")
			return len(r), err
		}},
		{"completion", func(ctx context.Context) (int, error) {
			r, err := Complete(ctx, prog, main, last)
			return len(r), err
		}},
		{"connector completion in a 1 MB member", func(ctx context.Context) (int, error) {
			r, _, _, err := ConnectorComplete(ctx, bigProg, big, len(bigSrc))
			return len(r), err
		}},
	}
	for _, rq := range requests {
		t.Run(rq.name, func(t *testing.T) {
			whole := &pollCtx{}
			n, err := rq.call(whole)
			if err != nil || n == 0 {
				t.Fatalf("not cancelled: %d results, error %v; want results and no error", n, err)
			}
			looks := whole.looks.Load()
			if looks < 8 {
				t.Fatalf("the context was looked at %d times over a 1 MB walk; want it looked at along the way", looks)
			}

			pre, cancel := context.WithCancel(bg)
			cancel()
			if n, err := rq.call(pre); !errors.Is(err, context.Canceled) || n != 0 {
				t.Errorf("cancelled before the call: %d results, error %v; want none and context.Canceled", n, err)
			}

			at := looks / 2
			mid := &pollCtx{cancelAt: at}
			if n, err := rq.call(mid); !errors.Is(err, context.Canceled) || n != 0 {
				t.Errorf("cancelled at look %d of %d: %d results, error %v; want none and context.Canceled", at, looks, n, err)
			}
			if got := mid.looks.Load(); got != at {
				t.Errorf("cancelled at look %d: looked %d times; want it to stop at the look that saw the cancellation", at, got)
			}
		})
	}
}
