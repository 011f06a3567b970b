package testconnector

import (
	"testing"

	"github.com/pqls/pqls/grammar/parser"
)

func TestGeneratedSourceParses(t *testing.T) {
	for name, src := range map[string][]byte{"section": Section(64 << 10), "module": Module(64 << 10), "types": TypeModule(64 << 10)} {
		if len(src) < 64<<10 {
			t.Errorf("%s: %d bytes, want at least %d", name, len(src), 64<<10)
		}
		f := parser.Parse(name, src)
		for _, e := range f.Errors {
			start, _ := f.ErrorSpan(e)
			p := f.Lines.UTF8(start)
			t.Errorf("%s:%d:%d: %s", name, p.Line+1, p.Column+1, f.Message(e))
		}
	}
	if got, want := len(parser.Parse("s", Section(64<<10)).Section.Members), Members(64<<10)+5; got != want {
		t.Errorf("section has %d members, want %d", got, want)
	}
}
