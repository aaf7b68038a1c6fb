package api

import "time"

// Span is a tracing span: small, short-lived, used only inside Handle.
type Span struct {
	Name   string
	Seq    int
	Parent *Span
	Start  int64
	Depth  int
	Flags  uint32
	// Attrs holds a few numeric attributes (bytes, items, status).
	Attrs [3]int64
}

const (
	spanRoot uint32 = 1 << iota
	spanSampled
	spanSlow
)

// newSpan returns its span by pointer, the pattern the seed article warns
// about: the body is too large for the inliner (cost 180 with Go 1.26, budget 80), so
// the &Span{} cannot be placed in the caller's frame and every call is an
// 80-byte heap allocation, although no caller keeps the span after finish.
// Returning Span by value would cost a copy and no allocation.
func newSpan(name string, seq int, parent *Span) *Span {
	sp := &Span{Name: name, Seq: seq, Parent: parent, Start: time.Now().UnixNano()}
	if parent == nil {
		sp.Flags |= spanRoot
	} else {
		sp.Depth = parent.Depth + 1
		if parent.Flags&spanSampled != 0 {
			sp.Flags |= spanSampled
		}
	}
	if seq%64 == 0 {
		sp.Flags |= spanSampled
	}
	sp.Attrs[0] = int64(seq)
	switch name {
	case "handle", "decode", "upload":
		sp.Flags |= spanSlow
	case "catalog", "events", "render", "labels", "encode":
	default:
		sp.Name = "other"
	}
	return sp
}

// finish records the span's duration; spans are not retained.
func (s *Server) finish(sp *Span) {
	if sp.Flags&spanSampled != 0 && time.Now().UnixNano()-sp.Start > 0 {
		s.spans++
	}
}
