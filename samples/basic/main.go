// Command basic holds the textbook escape-analysis cases of the article the
// advisor grew from, each next to the variant that does not allocate:
//
//   - a pointer to a local returned from a function vs. the value;
//   - a closure that captures a variable by reference vs. one that gets
//     the value as an argument;
//   - values boxed into an interface vs. a concretely typed slice;
//   - one escape in start-up code that runs once and is not worth fixing.
//
// It runs each case in a loop and writes an allocs profile:
//
//	basic -memprofile allocs.pb.gz
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
)

// memProfileRate samples one allocation per 4 KiB on average instead of the
// default 512 KiB, so that sites allocating a few megabytes still get
// thousands of samples and stable shares.
const memProfileRate = 4096

// Point is a small struct: returning it by value costs a 24-byte copy.
type Point struct{ X, Y, Z float64 }

// newPointPtr returns a pointer to a local, so the Point escapes to the
// heap (return-pointer). The go:noinline directive stands in for any
// function the inliner will not take (too big, called through an
// interface, in another package built without inlining): once inlined, the
// compiler could keep the Point in the caller's frame instead.
//
//go:noinline
func newPointPtr(x, y float64) *Point {
	return &Point{X: x, Y: y, Z: x * y}
}

// newPointValue is the fix: the caller receives a copy, nothing escapes.
//
//go:noinline
func newPointValue(x, y float64) Point {
	return Point{X: x, Y: y, Z: x * y}
}

// callbacks is where registerCounter keeps its closures; emptied regularly.
var callbacks []func() int

// registerCounter stores a closure that increments n. Because the closure
// both escapes (it is stored) and assigns n, n is captured by reference and
// moved to the heap next to the closure itself (closure-capture).
func registerCounter(start int) {
	n := start
	callbacks = append(callbacks, func() int {
		n++
		return n
	})
}

// runCallbacks calls every registered closure and forgets them, keeping the
// backing array.
func runCallbacks() int {
	sum := 0
	for i, cb := range callbacks {
		sum += cb()
		callbacks[i] = nil
	}
	callbacks = callbacks[:0]
	return sum
}

// sumByArgument is the fix the article shows: the value is passed to the
// function literal as an argument, nothing is captured, nothing escapes.
func sumByArgument(start int) int {
	return func(v int) int { return v + 1 }(start)
}

// Shape is dispatched dynamically.
type Shape interface{ Area() float64 }

// Rect is a 16-byte value type implementing Shape.
type Rect struct{ W, H float64 }

// Area implements Shape.
func (r Rect) Area() float64 { return r.W * r.H }

// collectShapes stores Rect values in an interface-typed slice: each
// conversion copies the Rect to the heap (interface-boxing).
func collectShapes(dst []Shape, n int) []Shape {
	for i := range n {
		dst = append(dst, Rect{W: float64(i), H: 2})
	}
	return dst
}

// collectRects is the concrete version: the values live in the slice.
func collectRects(dst []Rect, n int) []Rect {
	for i := range n {
		dst = append(dst, Rect{W: float64(i), H: 2})
	}
	return dst
}

// totalArea calls Area through the interface.
func totalArea(shapes []Shape) float64 {
	t := 0.0
	for _, s := range shapes {
		t += s.Area()
	}
	return t
}

// Settings is read once at start-up.
type Settings struct {
	Iterations int
	Profile    string
	Banner     string
}

// loadSettings runs once. Its &Settings{} and its fmt.Sprintf escape, and
// the compiler says so, but one allocation per process is not worth a
// change: this is the cold escape the advisor should leave alone.
func loadSettings(args []string) *Settings {
	s := &Settings{}
	fs := flag.NewFlagSet("basic", flag.ExitOnError)
	fs.IntVar(&s.Iterations, "n", 1_000_000, "iterations of each case")
	fs.StringVar(&s.Profile, "memprofile", "allocs.pb.gz", "write the allocs profile here")
	fs.Parse(args)
	s.Banner = fmt.Sprintf("basic: %d iterations", s.Iterations)
	return s
}

func main() {
	runtime.MemProfileRate = memProfileRate
	log.SetFlags(0)
	cfg := loadSettings(os.Args[1:])
	log.Print(cfg.Banner)

	// The iteration counts differ per case so that their shares of
	// alloc_space differ clearly: return-pointer > interface-boxing >
	// closure-capture.
	var sum float64
	for i := range cfg.Iterations {
		p := newPointPtr(float64(i), 1)
		sum += p.Z
		v := newPointValue(float64(i), 1)
		sum += v.Z
	}

	shapes := make([]Shape, 0, 256)
	rects := make([]Rect, 0, 256)
	for range cfg.Iterations / 256 {
		shapes = collectShapes(shapes[:0], 256)
		sum += totalArea(shapes)
		rects = collectRects(rects[:0], 256)
		sum += rects[len(rects)-1].Area()
	}

	for i := range cfg.Iterations / 2 {
		registerCounter(i)
		sum += float64(sumByArgument(i))
		if len(callbacks) == 1024 {
			sum += float64(runCallbacks())
		}
	}
	sum += float64(runCallbacks())

	runtime.GC()
	if err := writeAllocsProfile(cfg.Profile); err != nil {
		log.Fatal(err)
	}
	log.Printf("checksum %.0f", sum)
}

func writeAllocsProfile(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
