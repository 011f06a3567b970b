package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strings"
)

// Release builds stamp these with the linker:
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.commit=0123abc -X main.date=2026-12-05T09:00:00Z" ./cmd/pqls
//
// (see .goreleaser.yaml). Other builds leave them empty, and buildInfo
// falls back on what the Go toolchain records in the binary: the module
// version under go install …@version, the VCS revision in a checkout.
var (
	version string
	commit  string
	date    string
)

// buildInfo says what a binary is.
type buildInfo struct {
	Version string // v1.2.3, or "devel"
	Commit  string // VCS revision, "" if unknown; "+dirty" marks local changes
	Date    string // commit or build time, "" if unknown
	Go      string // the Go version and the platform
}

// readBuildInfo returns the stamped values, filling the gaps from the build
// information of the binary.
func readBuildInfo() buildInfo {
	b := buildInfo{Version: version, Commit: stamped(commit), Date: stamped(date), Go: runtime.Version() + " " + runtime.GOOS + "/" + runtime.GOARCH}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		if b.Version == "" {
			b.Version = "devel"
		}
		return b
	}
	if b.Version == "" {
		b.Version = info.Main.Version
		if b.Version == "" || b.Version == "(devel)" {
			b.Version = "devel"
		}
	}
	var rev, vcsTime, dirty string
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			vcsTime = s.Value
		case "vcs.modified":
			if s.Value == "true" {
				dirty = "+dirty"
			}
		}
	}
	if b.Commit == "" && rev != "" {
		b.Commit = rev + dirty
	}
	if b.Date == "" {
		b.Date = vcsTime
	}
	return b
}

// stamped returns a value the linker stamped, or "" for the placeholders a
// release tool writes when it cannot tell (GoReleaser outside a git clone
// with a remote: commit "none", date "0001-01-01T00:00:00Z"), so that the
// build information fills the gap instead.
func stamped(v string) string {
	if v == "none" || v == "unknown" || strings.HasPrefix(v, "0001-01-01") {
		return ""
	}
	return v
}

// String writes the build information as `pqls version` prints it.
func (b buildInfo) String() string {
	var s strings.Builder
	fmt.Fprintf(&s, "pqls %s\n", b.Version)
	if b.Commit != "" {
		fmt.Fprintf(&s, "commit: %s", b.Commit)
		if b.Date != "" {
			fmt.Fprintf(&s, " (%s)", b.Date)
		}
		s.WriteString("\n")
	}
	fmt.Fprintf(&s, "go:     %s\n", b.Go)
	return s.String()
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		fmt.Fprintf(stderr, "usage: pqls version\n")
		return exitUsage
	}
	if _, err := io.WriteString(stdout, readBuildInfo().String()); err != nil {
		fmt.Fprintf(stderr, "pqls version: %v\n", err)
		return exitUsage
	}
	return exitOK
}
