// Package load synthesizes the request stream. All requests are built at
// start-up from a fixed seed, so the hot loop allocates nothing of its own
// and every run does the same work.
package load

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"example.com/advisor/samples/service/internal/api"
)

// MalformedEvery is how often, in requests, the stream carries a request
// that fails validation (the cold rejection path).
const MalformedEvery = 5_000

// templates is how many distinct requests the generator cycles through.
const templates = 512

// Generator hands out requests round-robin.
type Generator struct {
	reqs []api.Request
	next int
	seq  int
}

var customers = []string{
	"Northwind Traders International Holdings",
	"Contoso Pharmaceuticals And Life Sciences",
	"Fabrikam Residences Property Management",
	"Adventure Works Cycles Distribution Center",
	"Wide World Importers Wholesale Division",
	"Tailspin Toys Regional Fulfilment Centre",
}

var families = []string{"WIDGET", "GADGET", "SPROCKET", "GIZMO", "DOOHICKEY", "FLANGE", "GROMMET"}

var finishes = []string{"STEEL-M8", "BRASS-M6", "ZINC-M10", "NYLON-M4"}

// note is the free-text field every order carries; decoding copies it.
const note = "Leave at the loading dock behind the main building, ring the bell twice and ask for the " +
	"shift supervisor on duty. Pallets must not be stacked more than two high. Invoice to the " +
	"accounts payable address on file, quoting the order id and the purchase order number."

var tags = []string{"express", "gift", "fragile", "b2b", "backorder", "priority", "eu", "us", "apac", "returning", "promo", "bulk"}

// NewGenerator builds the request templates from seed.
func NewGenerator(seed uint64) *Generator {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := &Generator{reqs: make([]api.Request, templates)}
	attachment := make([]byte, 20<<10)
	for i := range attachment {
		attachment[i] = byte(rng.IntN(256))
	}
	for i := range g.reqs {
		o := api.Order{
			ID:       fmt.Sprintf("ord-%06d", rng.IntN(1_000_000)),
			Customer: customers[rng.IntN(len(customers))],
			Note:     note,
		}
		for range 6 + rng.IntN(13) {
			o.Items = append(o.Items, api.Item{
				SKU:        fmt.Sprintf("%s-%04d-%s", families[rng.IntN(len(families))], rng.IntN(100), finishes[rng.IntN(len(finishes))]),
				Qty:        1 + rng.IntN(6),
				PriceCents: int64(99 + rng.IntN(50_000)),
			})
		}
		for range 3 + rng.IntN(6) {
			o.Tags = append(o.Tags, tags[rng.IntN(len(tags))])
		}
		body, err := json.Marshal(o)
		if err != nil {
			panic(err)
		}
		g.reqs[i] = api.Request{
			Method:        "POST",
			Path:          fmt.Sprintf("/v1/tenants/t%02d/orders/%s/submit", rng.IntN(40), o.ID),
			Body:          body,
			Attachment:    attachment,
			ContentLength: 2<<10 + rng.IntN(11<<10),
		}
	}
	return g
}

// Next returns the next request. The returned value is the generator's
// own copy: handlers must not modify it.
func (g *Generator) Next() *api.Request {
	r := &g.reqs[g.next]
	g.next = (g.next + 1) % len(g.reqs)
	g.seq++
	r.Seq = g.seq
	r.Malformed = g.seq%MalformedEvery == 0
	return r
}
