package testfiles

import (
	"flag"
	"fmt"
	"time"
)

// FuzzHangLimit is how long one input may run in a fuzzing worker.
const FuzzHangLimit = 20 * time.Second

// HangGuard, deferred at the top of a fuzz function —
//
//	defer testfiles.HangGuard("FuzzX")()
//
// — panics the fuzzing worker when one input runs longer than
// FuzzHangLimit. The fuzzer has no time limit per input: a slow input shows
// only as "0 execs/s" (as does the minimisation of a new input, for up to
// a minute) and is never saved, while a worker that dies is reported as a
// crasher and its input kept under testdata/fuzz. Outside a fuzzing worker
// (the seeds in go test, under -race or load) it does nothing.
func HangGuard(name string) (stop func()) {
	if f := flag.Lookup("test.fuzzworker"); f == nil || f.Value.String() != "true" {
		return func() {}
	}
	t := time.AfterFunc(FuzzHangLimit, func() {
		panic(fmt.Sprintf("%s: one input ran for over %s (a slow path; the fuzzer keeps the input as a crasher)", name, FuzzHangLimit))
	})
	return func() { t.Stop() }
}
