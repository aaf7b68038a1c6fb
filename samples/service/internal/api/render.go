package api

import (
	"fmt"
	"strings"
)

// receiptLine is the layout of one receipt line.
const receiptLine = "%3d  %-22s x%-3d @ %9.2f = %10.2f  %s"

// formatLines renders one receipt line per item with fmt.Sprintf: the
// variadic arguments are boxed into interfaces and Sprintf allocates each
// result string. The call is kept on one line so that the boxing and the
// result land on the same line of the profile. The slice of lines itself is
// reused across requests.
func (s *Server) formatLines(o *Order) []string {
	lines := s.lines[:0]
	for i, it := range o.Items {
		line := fmt.Sprintf(receiptLine, i+1, it.SKU, it.Qty, float64(it.PriceCents)/100, float64(it.PriceCents*int64(it.Qty))/100, o.Customer)
		lines = append(lines, line)
	}
	s.lines = lines
	return lines
}

// collectItemIDs expands each item into one numeric id per unit ordered.
// The result starts nil and grows by append, so it is reallocated
// log(n) times; the total is known up front and could be preallocated.
func collectItemIDs(o *Order) []int {
	var ids []int
	for i, it := range o.Items {
		for u := 0; u < it.Qty; u++ {
			ids = append(ids, i*1000+u)
		}
	}
	return ids
}

// countLabels counts SKU families, finishes and tags in a map created
// without a size hint, so it grows (and rehashes) several times per
// request. The number of keys is bounded by labelCount(o), which would make
// a fine hint.
func countLabels(o *Order) map[string]int {
	labels := map[string]int{}
	for i := range labelCount(o) {
		labels[labelAt(o, i)]++
	}
	return labels
}

func labelCount(o *Order) int { return 2*len(o.Items) + len(o.Tags) }

// labelAt returns the i-th label of o: each item's family and finish, then
// the tags. Keeping one insertion statement in countLabels puts the whole
// map growth on one line of the profile.
func labelAt(o *Order, i int) string {
	if i >= 2*len(o.Items) {
		return o.Tags[i-2*len(o.Items)]
	}
	family, rest, _ := strings.Cut(o.Items[i/2].SKU, "-")
	if i%2 == 0 {
		return family
	}
	_, finish, _ := strings.Cut(rest, "-")
	return finish
}
