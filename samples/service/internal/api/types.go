// Package api is the request-handling core of the sample service. There is
// no network listener: the load generator builds Requests and calls
// (*Server).Handle directly, so the allocation profile contains only the
// handler's work.
//
// Each hot allocation pattern lives in its own, plainly named function so
// that tests can find it by name in the profile and by line in the
// compiler's -m output. samples/README.md lists them with their rule ids.
package api

// Request is one synthetic "POST /v1/orders/{id}" call.
type Request struct {
	Seq    int
	Method string
	Path   string
	// Body is the JSON-encoded Order.
	Body []byte
	// Attachment is an uploaded file; ContentLength is its declared size,
	// which the handler trusts when it sizes its read buffer.
	Attachment    []byte
	ContentLength int
	// Malformed requests take the (cold) rejection path.
	Malformed bool
}

// Order is the request payload.
type Order struct {
	ID       string   `json:"id"`
	Customer string   `json:"customer"`
	Items    []Item   `json:"items"`
	Tags     []string `json:"tags"`
	Note     string   `json:"note"`
}

// Item is one order line.
type Item struct {
	SKU        string `json:"sku"`
	Qty        int    `json:"qty"`
	PriceCents int64  `json:"price_cents"`
}

// Response is what Handle encodes back to the client.
type Response struct {
	Status     int            `json:"status"`
	OrderID    string         `json:"order_id"`
	Breadcrumb string         `json:"breadcrumb"`
	TotalCents int64          `json:"total_cents"`
	Checksum   uint32         `json:"checksum"`
	ItemIDs    []int          `json:"item_ids"`
	Lines      []string       `json:"lines"`
	Labels     map[string]int `json:"labels"`
	CatalogHit int            `json:"catalog_bytes"`
}
