package api

import "encoding/json"

// decodeOrder parses the request body with encoding/json on every request.
// The Order and every string in it are allocated by the decoder (reflect
// and encoding/json frames in the profile; the user-code site is this
// function), and &o escapes because Unmarshal takes an interface.
func decodeOrder(body []byte) (*Order, error) {
	var o Order
	if err := json.Unmarshal(body, &o); err != nil {
		return nil, err
	}
	return &o, nil
}

// encodeResponse marshals the response on every request. The Response
// value is boxed into an interface for Marshal, and Marshal allocates the
// output buffer and its copy.
func encodeResponse(resp Response) []byte {
	out, err := json.Marshal(resp)
	if err != nil {
		return nil
	}
	return out
}

// readBody sizes its buffer from the declared Content-Length: make with a
// size known only at run time. The buffer is kept in the upload ring, so
// it escapes, and at kilobytes per request it is the largest allocation
// site of the service.
func readBody(req *Request) []byte {
	buf := make([]byte, req.ContentLength)
	n := copy(buf, req.Attachment)
	for i := n; i < len(buf); i++ {
		buf[i] = byte(i)
	}
	return buf
}
