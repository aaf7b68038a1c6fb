package api

// Event is one entry of the in-memory event log. Payload is an interface,
// so storing a struct value in it boxes (copies) the value to the heap.
type Event struct {
	Kind    string
	Payload any
}

// EventLog is a fixed-size ring of recent events.
type EventLog struct {
	ring []Event
	next int
}

func newEventLog(n int) *EventLog {
	return &EventLog{ring: make([]Event, n)}
}

// Add stores ev, overwriting the oldest event.
func (l *EventLog) Add(kind string, payload any) {
	l.ring[l.next] = Event{Kind: kind, Payload: payload}
	l.next = (l.next + 1) % len(l.ring)
}

// itemMetric is the payload recorded for each order line.
type itemMetric struct {
	Customer   string
	SKU        string
	Qty        int
	PriceCents int64
}

// recordItemEvents logs one event per item. Converting m to the any-typed
// payload copies the 48-byte struct to the heap every time
// (interface-boxing); a typed ring ([]itemMetric) would not allocate.
func (s *Server) recordItemEvents(o *Order, customerKey string) {
	for _, it := range o.Items {
		m := itemMetric{Customer: customerKey, SKU: it.SKU, Qty: it.Qty, PriceCents: it.PriceCents}
		s.events.Add("item", m)
	}
}
