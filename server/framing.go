package server

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"

	"go.lsp.dev/jsonrpc2"
)

// Limits of the LSP base protocol framing. jsonrpc2's header stream reads a
// header line of any length (a line with no newline is buffered without
// end), takes any Content-Length, and keeps its largest read and write
// buffers for the life of the connection (one 50 MB message held 440 MB
// of RSS after its document was closed). lspStream is the same framing
// with bounds, and buffers that do not outlive a large message.
const (
	maxHeaderLine = 8 << 10 // bytes in one header line, newline included
	// maxMessage is the largest message body read. A bigger one is read
	// past (never held) and answered with an error; the session goes on.
	maxMessage = 64 << 20
	// keepBuffer is the largest write buffer kept between messages.
	keepBuffer = 1 << 20
)

// errHeaderLine ends a session whose header block is broken: the length of
// the message is unknown, so the stream cannot be resynchronised.
var errHeaderLine = errors.New("lsp framing: a header line longer than 8 KB (a client bug, or not an LSP client)")

// errTooLarge is a message body over maxMessage. head and tail are its
// first and last bytes (up to skipEdge each), enough to tell what the
// message was: its method and document usually come first, and a client
// that orders them last puts them at the end.
type errTooLarge struct {
	n, limit   int64
	head, tail []byte
}

// skipEdge is how much of each end of a skipped message is kept.
const skipEdge = 4 << 10

func (e *errTooLarge) Error() string {
	return fmt.Sprintf("message of %d bytes is larger than the %d bytes pqls reads; it was skipped", e.n, e.limit)
}

// lspStream is a jsonrpc2 stream with Content-Length framing.
type lspStream struct {
	conn io.ReadWriteCloser
	in   *bufio.Reader

	limit      int64                  // largest body read; maxMessage
	onTooLarge func(err *errTooLarge) // told of each skipped message

	writeMu sync.Mutex
	wbuf    []byte
}

func newLSPStream(conn io.ReadWriteCloser) *lspStream {
	return &lspStream{conn: conn, in: bufio.NewReaderSize(conn, 64<<10), limit: maxMessage}
}

// ReadFrame returns the body of the next message. Each body is a new slice:
// a large one is garbage once handled instead of a buffer kept for good.
func (s *lspStream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		length, headerLen, err := readHeader(s.in)
		if err != nil {
			return nil, 0, err
		}
		if length > s.limit {
			// Read past it in small pieces: the framing stays in step and
			// nothing of it is held but its two ends.
			e := &errTooLarge{n: length, limit: s.limit}
			e.head = make([]byte, min(length, skipEdge))
			if _, err := io.ReadFull(s.in, e.head); err != nil {
				return nil, 0, unexpected(err)
			}
			rest := length - int64(len(e.head))
			e.tail = make([]byte, min(rest, skipEdge))
			if _, err := io.CopyN(io.Discard, s.in, rest-int64(len(e.tail))); err != nil {
				return nil, 0, unexpected(err)
			}
			if _, err := io.ReadFull(s.in, e.tail); err != nil {
				return nil, 0, unexpected(err)
			}
			if s.onTooLarge != nil {
				s.onTooLarge(e)
			}
			continue
		}
		body := make([]byte, length)
		if _, err := io.ReadFull(s.in, body); err != nil {
			return nil, 0, unexpected(err)
		}
		return body, int64(headerLen) + length, nil
	}
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// readHeader reads a header block and returns its Content-Length.
func readHeader(r *bufio.Reader) (length int64, consumed int, err error) {
	have := false
	for {
		line, err := readHeaderLine(r)
		if err != nil {
			if err == io.EOF && consumed > 0 {
				err = io.ErrUnexpectedEOF
			}
			return 0, consumed, err
		}
		consumed += len(line)
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, consumed, fmt.Errorf("%w: %q", jsonrpc2.ErrInvalidHeader, clip(line, 100))
		}
		if bytes.EqualFold(bytes.TrimSpace(name), []byte("Content-Length")) {
			n, err := strconv.ParseInt(string(bytes.TrimSpace(value)), 10, 64)
			if err != nil || n <= 0 {
				return 0, consumed, fmt.Errorf("%w: Content-Length %q", jsonrpc2.ErrInvalidHeader, clip(value, 100))
			}
			length, have = n, true
		}
	}
	if !have {
		return 0, consumed, fmt.Errorf("%w: no Content-Length", jsonrpc2.ErrInvalidHeader)
	}
	return length, consumed, nil
}

// readHeaderLine reads one line, newline included, of at most
// maxHeaderLine bytes.
func readHeaderLine(r *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		frag, err := r.ReadSlice('\n')
		line = append(line, frag...)
		if len(line) > maxHeaderLine {
			return nil, errHeaderLine
		}
		switch {
		case err == nil:
			return line, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err == io.EOF && len(line) > 0:
			return nil, io.ErrUnexpectedEOF
		default:
			return nil, err
		}
	}
}

// Read reads the next message.
func (s *lspStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	frame, n, err := s.ReadFrame(ctx)
	if err != nil {
		return nil, 0, err
	}
	msg, err := jsonrpc2.DecodeMessage(frame)
	return msg, n, err
}

// WriteFrame writes an encoded message as one write.
func (s *lspStream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	buf := append(s.wbuf[:0], "Content-Length: "...)
	buf = strconv.AppendInt(buf, int64(len(data)), 10)
	buf = append(buf, "\r\n\r\n"...)
	buf = append(buf, data...)
	n, err := s.conn.Write(buf)
	if cap(buf) <= keepBuffer {
		s.wbuf = buf[:0]
	} else {
		s.wbuf = nil // a large answer (semantic tokens of a big file) is not kept
	}
	return int64(n), err
}

// Write writes a message.
func (s *lspStream) Write(ctx context.Context, msg jsonrpc2.Message) (int64, error) {
	data, err := jsonrpc2.EncodeMessage(msg)
	if err != nil {
		return 0, err
	}
	return s.WriteFrame(ctx, data)
}

// Close closes the connection.
func (s *lspStream) Close() error { return s.conn.Close() }
