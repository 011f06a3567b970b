package server

import (
	"context"
	"encoding/json"
	"io"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.uber.org/zap"
)

// lspCodec marshals payloads with the protocol package's union-aware codec.
// The protocol package has one too, but does not export it (lsp-stack.md §1.9).
type lspCodec struct{}

func (lspCodec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

func (lspCodec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}

// frameStream is the raw-frame extension of jsonrpc2.Stream that the
// library's own framers implement; jsonrpc2.Conn uses it when present.
type frameStream interface {
	ReadFrame(ctx context.Context) ([]byte, int64, error)
	WriteFrame(ctx context.Context, data []byte) (int64, error)
}

// guardStream answers malformed messages itself and keeps reading.
//
// jsonrpc2 v1.0.1 ends the connection when a frame does not hold a valid
// message: its read loop treats the decode error like a broken stream. JSON-RPC
// asks for a Parse error (-32700) for invalid JSON and an Invalid Request
// (-32600) for JSON that is not a request, after which a server goes on
// serving. guardStream checks each frame before the connection sees it,
// answers the bad ones, and hands on only frames that decode. (A frame whose
// header is broken cannot be skipped: its length is unknown, so the stream
// ends there.)
type guardStream struct {
	jsonrpc2.Stream
	frames frameStream
	log    *zap.Logger

	// skipped is told of each message skipped for its size, on the read
	// loop, so in wire order with the notifications around it.
	skipped func(e *errTooLarge)
}

func newGuardStream(s jsonrpc2.Stream, log *zap.Logger) *guardStream {
	fs, _ := s.(frameStream)
	g := &guardStream{Stream: s, frames: fs, log: log}
	if ls, ok := s.(*lspStream); ok {
		ls.onTooLarge = func(e *errTooLarge) {
			g.reject(context.Background(), jsonrpc2.ID{}, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "invalid request: "+e.Error()), nil)
			if g.skipped != nil {
				g.skipped(e)
			}
		}
	}
	return g
}

// ReadFrame returns the next frame that holds a well-formed message.
func (g *guardStream) ReadFrame(ctx context.Context) ([]byte, int64, error) {
	for {
		frame, n, err := g.frames.ReadFrame(ctx)
		if err != nil {
			return nil, n, err
		}
		if g.admit(ctx, frame) {
			return frame, n, nil
		}
	}
}

// WriteFrame writes an encoded message.
func (g *guardStream) WriteFrame(ctx context.Context, data []byte) (int64, error) {
	return g.frames.WriteFrame(ctx, data)
}

// Read is the message-level read, used only if the inner stream has no
// frame access.
func (g *guardStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	if g.frames == nil {
		return g.Stream.Read(ctx)
	}
	frame, n, err := g.ReadFrame(ctx)
	if err != nil {
		return nil, n, err
	}
	msg, err := jsonrpc2.DecodeMessage(frame)
	return msg, n, err
}

// admit reports whether frame holds a message the connection can decode,
// and answers it with an error response if not.
func (g *guardStream) admit(ctx context.Context, frame []byte) bool {
	if !json.Valid(frame) {
		g.reject(ctx, jsonrpc2.ID{}, jsonrpc2.NewError(jsonrpc2.ParseError, "parse error: the message is not valid JSON"), frame)
		return false
	}
	for _, c := range frame {
		if c == '[' {
			return true // a batch: the connection answers bad members itself
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			break
		}
	}
	if _, err := jsonrpc2.DecodeMessage(frame); err != nil {
		g.reject(ctx, requestID(frame), jsonrpc2.NewError(jsonrpc2.InvalidRequest, "invalid request: "+err.Error()), frame)
		return false
	}
	return true
}

func (g *guardStream) reject(ctx context.Context, id jsonrpc2.ID, e *jsonrpc2.Error, frame []byte) {
	g.log.Warn("rejected malformed message", zap.Int32("code", int32(e.Code)), zap.ByteString("message", clip(frame, 200)))
	if _, err := g.Stream.Write(ctx, jsonrpc2.NewResponse(id, nil, e)); err != nil && err != io.EOF {
		g.log.Warn("writing error response", zap.Error(err))
	}
}

// requestID returns the id of a JSON object that looks like a request, or
// the null id when there is none to be found.
func requestID(frame []byte) jsonrpc2.ID {
	var m struct {
		ID json.RawMessage `json:"id"`
	}
	if json.Unmarshal(frame, &m) != nil || len(m.ID) == 0 {
		return jsonrpc2.ID{}
	}
	var n int64
	if json.Unmarshal(m.ID, &n) == nil {
		return jsonrpc2.NewNumberID(n)
	}
	var s string
	if json.Unmarshal(m.ID, &s) == nil {
		return jsonrpc2.NewStringID(s)
	}
	return jsonrpc2.ID{}
}

func clip(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// pipe joins a reader and a writer into the ReadWriteCloser a stream needs.
type pipe struct {
	io.Reader
	io.Writer
}

func (p pipe) Close() error {
	var err error
	if c, ok := p.Reader.(io.Closer); ok {
		err = c.Close()
	}
	if c, ok := p.Writer.(io.Closer); ok {
		_ = c.Close() // may be the reader again
	}
	return err
}
