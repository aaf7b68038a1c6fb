// Package textutil holds the small string helpers the handlers call once
// per request or once per line item. Two of them are deliberately written
// the naive way, because they are the hot allocation sites this sample
// exists to show:
//
//   - Breadcrumb builds its result with s += in a loop (string-concat);
//   - CanonicalKey round-trips through []byte(s) and string(b)
//     (bytes-string-conversion).
package textutil

// Breadcrumb renders the path segments of a request plus the SKUs of an
// order as "/a/b/c". Every += copies the whole string built so far, so the
// bytes allocated grow with the square of the number of segments.
func Breadcrumb(segments []string) string {
	s := ""
	for _, seg := range segments {
		s += "/" + seg
	}
	return s
}

// CanonicalKey lower-cases a name into a key. The []byte(s) copy is needed
// to edit the bytes, and string(b) copies them again; callers keep the key
// (the catalog cache stores it, the event log boxes it), so string(b)
// escapes. For names longer than the compiler's 32-byte temporary buffer
// (customer names), []byte(s) allocates too, although the compiler reports
// that it does not escape.
func CanonicalKey(name string) string {
	b := []byte(name)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	return string(b)
}

// Checksum is an Adler-style checksum over a body. It works on a scratch
// copy of variable size: with Go 1.25+ the compiler says the scratch
// "does not escape" and gives it a 32-byte stack buffer, but request bodies
// are kilobytes long, so at run time make falls back to the heap.
func Checksum(body []byte, window int) uint32 {
	scratch := make([]byte, window)
	var a, b uint32 = 1, 0
	for off := 0; off < len(body); off += window {
		n := copy(scratch, body[off:])
		for _, c := range scratch[:n] {
			a += uint32(c)
			b += a
		}
		a %= 65521
		b %= 65521
	}
	return b<<16 | a
}
