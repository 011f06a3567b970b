package ide

import "context"

// The long editor requests — semantic tokens, references, rename,
// workspace symbols, completion — walk every token, reference or
// definition of a file or project. They take the request's context and
// look at it inside those walks, so that a request the editor has cancelled
// (it moved on, or the user typed again) stops within a few thousand steps
// instead of finishing work nobody will read. A cancelled call returns
// ctx's error and no result.

// pollEvery is how many steps of a walk pass between two looks at the
// context: often enough to stop within microseconds, rarely enough that
// the look costs nothing measurable.
const pollEvery = 1024

// poller looks at a context every pollEvery steps, starting with the first.
type poller struct {
	ctx context.Context
	n   int
	err error
}

func newPoller(ctx context.Context) *poller { return &poller{ctx: ctx} }

// canceled counts a step and reports whether the context was found
// cancelled; once it was, it stays so. A nil poller is never cancelled.
func (p *poller) canceled() bool {
	if p == nil {
		return false
	}
	if p.err != nil {
		return true
	}
	p.n++
	if (p.n-1)%pollEvery == 0 {
		p.err = p.ctx.Err()
	}
	return p.err != nil
}

// now looks at the context at once, after a step too large to count (a
// parse, a model build); it reports whether the context was cancelled.
func (p *poller) now() bool {
	if p.err == nil {
		p.err = p.ctx.Err()
	}
	return p.err != nil
}
