package server

import (
	"fmt"
	"io"
	"os"

	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// newLogger builds the server's logger. It writes to the log file if one is
// named, else to stderr (opts.Stderr, os.Stderr by default) — never to
// stdout, which carries the protocol. The returned close function flushes
// and closes the file.
func newLogger(opts Options) (*zap.Logger, func(), error) {
	// Warnings and errors only by default: editors such as Neovim show
	// everything a server writes on stderr as errors, and routine lines
	// would drown the ones that matter.
	level := zapcore.WarnLevel
	if opts.LogLevel != "" {
		l, err := zapcore.ParseLevel(opts.LogLevel)
		if err != nil {
			return nil, nil, fmt.Errorf("--log-level: %w (want debug, info, warn or error)", err)
		}
		level = l
	}
	var w io.Writer = os.Stderr
	if opts.Stderr != nil {
		w = opts.Stderr
	}
	closeFile := func() {}
	if opts.LogFile != "" {
		f, err := os.OpenFile(opts.LogFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			return nil, nil, fmt.Errorf("--log-file: %w", err)
		}
		w = f
		closeFile = func() { f.Close() }
	}
	enc := zap.NewDevelopmentEncoderConfig()
	enc.EncodeLevel = zapcore.CapitalLevelEncoder
	core := zapcore.NewCore(zapcore.NewConsoleEncoder(enc), zapcore.Lock(zapcore.AddSync(w)), level)
	log := zap.New(core, zap.ErrorOutput(zapcore.Lock(zapcore.AddSync(w))))
	return log.Named("pqls"), func() { _ = log.Sync(); closeFile() }, nil
}
