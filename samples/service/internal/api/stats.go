package api

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// reportStats runs once every statsEvery requests. It formats with fmt,
// builds a sorted snapshot and passes a closure to sort.Slice: several
// escapes the compiler reports, none of them worth fixing, because the
// function is cold.
func (s *Server) reportStats() {
	codes := make([]int, 0, len(s.byStatus))
	for code := range s.byStatus {
		codes = append(codes, code)
	}
	sort.Slice(codes, func(i, j int) bool { return codes[i] < codes[j] })
	var b strings.Builder
	for _, code := range codes {
		fmt.Fprintf(&b, " %d=%d", code, s.byStatus[code])
	}
	line := fmt.Sprintf("handled=%d rejected=%d spans=%d status:%s", s.handled, s.rejected, s.spans, b.String())
	if s.Report != nil {
		s.Report(line)
	}
}

// errMalformed is returned (wrapped) for requests that fail validation.
var errMalformed = errors.New("malformed request")

// rejectMalformed is the error path: the load generator sends one malformed
// request in several thousand, so its fmt.Errorf and boxing are cold.
func (s *Server) rejectMalformed(req *Request) []byte {
	s.rejected++
	s.byStatus[400]++
	err := fmt.Errorf("request %d %s %s: %w", req.Seq, req.Method, req.Path, errMalformed)
	return []byte(`{"status":400,"error":"` + err.Error() + `"}`)
}
