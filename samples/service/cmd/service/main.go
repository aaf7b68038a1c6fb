// Command service runs the sample order service against a synthetic,
// in-process load and writes an allocation profile. It never touches the
// network unless -http is given.
//
//	service -memprofile allocs.pb.gz            # run the load once, write the allocs profile
//	service -http 127.0.0.1:0                   # serve net/http/pprof, generate load until killed
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"example.com/advisor/samples/service/internal/api"
	"example.com/advisor/samples/service/internal/cache"
	"example.com/advisor/samples/service/internal/load"
)

// memProfileRate is one sample per 4 KiB allocated on average (the default
// is 512 KiB). Small hot sites such as the 16-byte method-value closures
// would otherwise get too few samples for their shares to be stable.
const memProfileRate = 4096

// Config is the start-up configuration.
type Config struct {
	Requests   int
	Workers    int
	Seed       uint64
	CacheKeys  int
	MemProfile string
	CPUProfile string
	HTTP       string
	Pause      time.Duration
}

func main() {
	// Set before anything else allocates, so the whole run is sampled at
	// the same rate.
	runtime.MemProfileRate = memProfileRate

	cfg := loadConfig(os.Args[1:])
	log.SetFlags(0)
	var shutdownHooks []func()
	onShutdown := func(fn func()) { shutdownHooks = append(shutdownHooks, fn) }

	catalog := cache.New(cfg.CacheKeys)
	started := time.Now()
	// Cold closure: registered once, captures cfg and started.
	onShutdown(func() {
		log.Printf("served with %d workers for %v", cfg.Workers, time.Since(started).Round(time.Millisecond))
	})
	banner := fmt.Sprintf("service: %d workers, %d requests, seed %d, %d cache keys", cfg.Workers, cfg.Requests, cfg.Seed, cfg.CacheKeys)

	if cfg.HTTP != "" {
		serve(cfg, catalog)
		return
	}
	log.Print(banner)

	if cfg.CPUProfile != "" {
		f, err := os.Create(cfg.CPUProfile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer f.Close()
	}
	runLoad(cfg, catalog, cfg.Requests, 0)
	if cfg.CPUProfile != "" {
		pprof.StopCPUProfile()
	}

	runtime.GC()
	if err := writeAllocsProfile(cfg.MemProfile); err != nil {
		log.Fatal(err)
	}
	for _, fn := range shutdownHooks {
		fn()
	}
}

// loadConfig parses flags once at start-up. It returns a pointer, so the
// Config escapes: the same shape as the hot newSpan, but cold.
func loadConfig(args []string) *Config {
	cfg := &Config{}
	fs := flag.NewFlagSet("service", flag.ExitOnError)
	fs.IntVar(&cfg.Requests, "requests", 25_000, "requests to run before writing the profile")
	fs.IntVar(&cfg.Workers, "workers", 2, "worker goroutines")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "seed for the synthetic requests")
	fs.IntVar(&cfg.CacheKeys, "cache-keys", 4096, "catalog cache capacity")
	fs.StringVar(&cfg.MemProfile, "memprofile", "allocs.pb.gz", "write the allocs profile here")
	fs.StringVar(&cfg.CPUProfile, "cpuprofile", "", "also write a CPU profile of the load run here")
	fs.StringVar(&cfg.HTTP, "http", "", "serve net/http/pprof on this address and generate load until killed")
	fs.DurationVar(&cfg.Pause, "pause", 5*time.Millisecond, "with -http: pause each worker after every 100 requests")
	fs.Parse(args)
	if cfg.Workers < 1 {
		cfg.Workers = 1
	}
	return cfg
}

// pauseEvery is how many requests a worker handles between pauses when
// a pause is set (-http mode).
const pauseEvery = 100

// runLoad drives n requests through cfg.Workers servers sharing one
// catalog; n < 0 means forever. Each worker has its own generator with a
// seed derived from the configured one, so a run is deterministic for a
// given worker count. A non-zero pause makes each worker sleep after every
// pauseEvery requests, to leave CPU for whoever is fetching profiles.
func runLoad(cfg *Config, catalog *cache.Cache, n int, pause time.Duration) {
	var wg sync.WaitGroup
	for w := range cfg.Workers {
		share := n / cfg.Workers
		if w < n%cfg.Workers {
			share++
		}
		wg.Go(func() {
			gen := load.NewGenerator(cfg.Seed + uint64(w))
			srv := api.NewServer(catalog)
			srv.Report = func(line string) { log.Printf("worker %d: %s", w, line) }
			for i := 0; n < 0 || i < share; i++ {
				srv.Handle(gen.Next())
				if pause > 0 && i%pauseEvery == pauseEvery-1 {
					time.Sleep(pause)
				}
			}
		})
	}
	wg.Wait()
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

// serve exposes net/http/pprof (registered on http.DefaultServeMux by its
// import) and keeps the workers busy until the process is killed. The
// first line on stdout is the bound address, so callers can pass port 0.
func serve(cfg *Config, catalog *cache.Cache) {
	ln, err := net.Listen("tcp", cfg.HTTP)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	go func() {
		if err := http.Serve(ln, nil); err != nil {
			log.Fatal(err)
		}
	}()
	runLoad(cfg, catalog, -1, cfg.Pause)
}
