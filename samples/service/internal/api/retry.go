package api

// retryState is what a retry callback remembers between attempts.
type retryState struct {
	SKU      string
	Qty      int
	Tries    int
	Backoff  int64
	LastSeen int64
	Deadline int64
	Reason   int64
}

// RetryQueue holds callbacks that run after the response is built.
type RetryQueue struct {
	pending []func() bool
}

// Push queues a callback. It stores fn, so fn escapes.
func (q *RetryQueue) Push(fn func() bool) {
	q.pending = append(q.pending, fn)
}

// Drain runs every queued callback once and empties the queue, keeping
// its backing array.
func (q *RetryQueue) Drain() int {
	again := 0
	for i, fn := range q.pending {
		if fn() {
			again++
		}
		q.pending[i] = nil
	}
	q.pending = q.pending[:0]
	return again
}

// scheduleRetries queues one retry callback per low-stock item. The func
// literal is stored in the queue, so it escapes, and because it assigns
// state (state.Tries++), state is captured by reference: it is moved to the
// heap, one 64-byte object plus the 16-byte closure per item. Passing the
// fields as arguments, or keeping the state in the queue entry itself,
// would avoid both.
func (s *Server) scheduleRetries(o *Order) {
	for _, it := range o.Items {
		if it.Qty%3 != 0 {
			continue
		}
		state := retryState{SKU: it.SKU, Qty: it.Qty, Backoff: 10}
		s.retries.Push(func() bool {
			state.Tries++
			state.Backoff *= 2
			return state.Tries < 3 && state.Qty > 0
		})
	}
}
