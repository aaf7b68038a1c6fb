package api

import (
	"strings"

	"example.com/advisor/samples/service/internal/cache"
	"example.com/advisor/samples/service/internal/textutil"
)

// statsEvery is how often, in requests, a worker prints its statistics.
// reportStats escapes freely; at this rate it is cold.
const statsEvery = 10_000

// uploadRing is how many recent uploads a worker keeps for replay. Keeping
// them is what makes readBody's buffer escape.
const uploadRing = 16

// Server handles requests for one worker goroutine. Only the catalog cache
// is shared between workers.
type Server struct {
	catalog *cache.Cache
	events  *EventLog
	retries RetryQueue
	uploads [uploadRing][]byte
	spans   int
	lines   []string
	segs    []string

	handled  int
	rejected int
	byStatus map[int]int
	// Report receives the periodic statistics line. Nil discards it.
	Report func(string)
	// LastOutput is the most recent encoded response, kept so the work
	// cannot be optimised away.
	LastOutput []byte
}

// NewServer returns a worker's server backed by the shared catalog.
func NewServer(catalog *cache.Cache) *Server {
	return &Server{
		catalog:  catalog,
		events:   newEventLog(256),
		byStatus: make(map[int]int),
	}
}

// Handle runs the whole pipeline for one request and returns the encoded
// response.
func (s *Server) Handle(req *Request) []byte {
	s.handled++
	if s.handled%statsEvery == 0 {
		s.reportStats()
	}
	if req.Malformed {
		return s.rejectMalformed(req)
	}

	root := newSpan("handle", req.Seq, nil)
	order, err := decodeOrder(req.Body)
	if err != nil {
		return s.rejectMalformed(req)
	}
	s.finish(newSpan("decode", req.Seq, root))

	body := readBody(req)
	s.uploads[req.Seq%uploadRing] = body
	sum := textutil.Checksum(body, checksumWindow)
	s.finish(newSpan("upload", req.Seq, root))

	crumb := textutil.Breadcrumb(s.breadcrumbSegments(req.Path, order))
	key := textutil.CanonicalKey(order.Customer)
	catalogBytes := s.lookupSKUs(order)
	s.finish(newSpan("catalog", req.Seq, root))

	s.recordItemEvents(order, key)
	s.scheduleRetries(order)
	s.retries.Drain()
	s.finish(newSpan("events", req.Seq, root))

	s.finish(newSpan("render", req.Seq, root))
	resp := Response{
		Status:     200,
		OrderID:    order.ID,
		Breadcrumb: crumb,
		TotalCents: orderTotal(order),
		Checksum:   sum,
		ItemIDs:    collectItemIDs(order),
		Lines:      s.formatLines(order),
		Labels:     countLabels(order),
		CatalogHit: catalogBytes,
	}
	s.finish(newSpan("labels", req.Seq, root))
	out := encodeResponse(resp)
	s.finish(newSpan("encode", req.Seq, root))
	s.finish(root)
	s.byStatus[resp.Status]++
	s.LastOutput = out
	return out
}

// checksumWindow is the scratch size Checksum works in; it comes from
// configuration in a real service, so it is not a constant to the compiler.
var checksumWindow = 128

// breadcrumbSegments reuses one buffer per worker, so it does not allocate
// once warmed up; only Breadcrumb's concatenation does.
func (s *Server) breadcrumbSegments(path string, o *Order) []string {
	segs := s.segs[:0]
	for seg := range strings.SplitSeq(strings.Trim(path, "/"), "/") {
		segs = append(segs, seg)
	}
	for _, it := range o.Items {
		segs = append(segs, it.SKU)
	}
	s.segs = segs
	return segs
}

func orderTotal(o *Order) int64 {
	var t int64
	for _, it := range o.Items {
		t += int64(it.Qty) * it.PriceCents
	}
	return t
}
