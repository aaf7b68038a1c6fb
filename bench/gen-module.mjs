#!/usr/bin/env node
// Writes a synthetic Go module for the escape-analysis benchmark.
//
//   node bench/gen-module.mjs [--out DIR] [--packages N] [--seed N] [--force] [--check]
//
// Module example.com/bigmod: packages p000..p119 plus a main package
// (cmd/bigmod). Each package has a fixed API (api.go), a few files of
// functions drawn from templates that exercise what escape analysis decides
// (pointer returns, closures capturing by reference, fmt boxing, maps,
// non-constant make, method values, goroutines, generics) and, when it
// imports other packages, a wire.go that uses them.
//
// The import graph is shaped like a service: p000..p011 are base utilities,
// the rest are feature domains of 9 packages, each importing earlier packages
// of its own domain, a couple of base packages and now and then another
// domain's first (API) package. A package's dependency closure thus stays a
// fraction of the module, as in real code, and compiling only a few hot
// packages needs their closure but not the whole module.
//
// The same parameters give the same files. DIR/.gen.json records them (plus
// the hot packages the benchmark compiles); a match skips regeneration.
// --check runs `go build ./...` afterwards.

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from './lib/rng.mjs';

const GENERATOR_VERSION = 1;
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const MODULE_DIR = resolve(BENCH_DIR, 'out/bigmod');
export const MODULE_PATH = 'example.com/bigmod';
const DEFAULTS = { packages: 120, seed: 7 };
const BASE_PACKAGES = 12;
const DOMAIN_SIZE = 9;

const pkgName = (i) => `p${String(i).padStart(3, '0')}`;

/** Function templates: (n, ctx) => { code, imports }. `n` makes names unique within a package. */
const TEMPLATES = [
  // Pointer return: &Item{} escapes to heap.
  (n) => ({
    code: `// NewItem${n} returns a pointer, so the Item is allocated on the heap.
func NewItem${n}(id int, name string) *Item {
	it := &Item{ID: id, Name: name}
	it.Tags = append(it.Tags, name)
	return it
}`,
  }),
  // Value return: stays on the stack.
  (n) => ({
    code: `// MakeItem${n} returns a value; nothing escapes.
func MakeItem${n}(id int, name string) Item {
	return Item{ID: id, Name: name}
}`,
  }),
  // Closure capturing a variable by reference: moved to heap.
  (n) => ({
    code: `// Counter${n} captures n by reference; n is moved to the heap.
func Counter${n}(start int) func() int {
	n := start
	return func() int {
		n += ${n + 1}
		return n
	}
}`,
  }),
  // fmt boxing: arguments escape through ...any.
  (n) => ({
    imports: ['fmt'],
    code: `// Label${n} boxes its arguments into interfaces for fmt.
func Label${n}(it *Item) string {
	return fmt.Sprintf("%s-%d/%d", it.Name, it.ID, ${n})
}`,
  }),
  // Map of pointers into a slice: the slice's backing array leaks.
  (n) => ({
    code: `// Index${n} stores pointers into items in a map that outlives the call.
func Index${n}(items []Item) map[string]*Item {
	m := make(map[string]*Item, len(items))
	for i := range items {
		m[items[i].Name] = &items[i]
	}
	return m
}`,
  }),
  // make with a non-constant size escapes.
  (n) => ({
    code: `// Window${n} allocates a slice whose size is only known at run time.
func Window${n}(xs []int, size int) []int {
	out := make([]int, 0, size)
	for _, x := range xs {
		if len(out) == size {
			break
		}
		out = append(out, x*${n + 2})
	}
	return out
}`,
  }),
  // strings.Builder growth.
  (n) => ({
    imports: ['strings'],
    code: `// Join${n} grows a strings.Builder.
func Join${n}(items []Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Name)
		b.WriteByte(',')
	}
	return b.String()
}`,
  }),
  // Interface boxing into []any.
  (n) => ({
    code: `// Fields${n} boxes each field into an interface.
func Fields${n}(it Item) []any {
	return []any{it.ID, it.Name, len(it.Tags), ${n}}
}`,
  }),
  // Goroutines with a per-iteration loop variable captured by a closure.
  (n) => ({
    imports: ['sync'],
    code: `// Fanout${n} captures the loop variable in goroutine closures.
func Fanout${n}(xs []int) int {
	ch := make(chan int, len(xs))
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- x * x
		}()
	}
	wg.Wait()
	close(ch)
	total := 0
	for v := range ch {
		total += v
	}
	return total
}`,
  }),
  // sort.Slice: the closure and the slice header escape.
  (n) => ({
    imports: ['sort'],
    code: `// SortByName${n} passes a closure to sort.Slice.
func SortByName${n}(items []Item) {
	sort.Slice(items, func(i, j int) bool { return items[i].Name < items[j].Name })
}`,
  }),
  // Errors: fmt.Errorf and errors.New allocate.
  (n) => ({
    imports: ['errors', 'fmt'],
    code: `// Validate${n} builds errors on the failure paths only.
func Validate${n}(it *Item) error {
	if it.ID < 0 {
		return fmt.Errorf("item %d: negative id (rule ${n})", it.ID)
	}
	if it.Name == "" {
		return errors.New("empty name")
	}
	return nil
}`,
  }),
  // Address of a parameter stored in a map: moved to heap.
  (n) => ({
    code: `// Add${n} stores the address of its parameter; it is moved to the heap.
func (s *Store) Add${n}(it Item) *Item {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := &it
	s.items[it.ID] = p
	s.order = append(s.order, it.ID)
	return p
}`,
  }),
  // Generic helper with a func argument.
  (n) => ({
    code: `// Map${n} is generic; each shape is compiled once.
func Map${n}[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

// Names${n} instantiates Map${n}.
func Names${n}(items []Item) []string {
	return Map${n}(items, func(it Item) string { return it.Name })
}`,
  }),
  // Method value: a closure bound to s.
  (n) => ({
    code: `// Sum${n} takes a method value, which allocates a closure when it escapes.
func Sum${n}(s *Store, ids []int) int {
	get := s.Get
	total := 0
	for _, id := range ids {
		if it, ok := get(id); ok {
			total += it.ID + ${n}
		}
	}
	return total
}`,
  }),
  // Array sliced and returned: moved to heap.
  (n) => ({
    code: `// Buffer${n} returns a slice of a local array, so the array is moved to the heap.
func Buffer${n}(size int) []byte {
	var buf [${64 + 32 * (n % 5)}]byte
	b := buf[:0]
	for i := 0; i < size && i < len(buf); i++ {
		b = append(b, byte(i+${n}))
	}
	return b
}`,
  }),
  // Recursive constructor.
  (n) => ({
    code: `// Chain${n} builds a linked list recursively.
func Chain${n}(size int) *Node {
	if size <= 0 {
		return nil
	}
	return &Node{Val: size * ${n + 1}, Next: Chain${n}(size - 1)}
}`,
  }),
  // bytes.Buffer + strconv.
  (n) => ({
    imports: ['bytes', 'strconv'],
    code: `// Encode${n} formats integers into a bytes.Buffer.
func Encode${n}(xs []int) []byte {
	var buf bytes.Buffer
	for _, x := range xs {
		buf.WriteString(strconv.Itoa(x + ${n}))
		buf.WriteByte(' ')
	}
	return buf.Bytes()
}`,
  }),
  // encoding/json through reflection.
  (n) => ({
    imports: ['encoding/json'],
    code: `// Marshal${n} hands the value to encoding/json as an interface.
func Marshal${n}(it Item) ([]byte, error) {
	it.Attrs = map[string]string{"rule": "${n}"}
	return json.Marshal(it)
}`,
  }),
  // A struct kept on the stack, passed by value to a closure argument.
  (n) => ({
    code: `// Visit${n} passes the value to the closure as an argument instead of capturing it.
func Visit${n}(items []Item, f func(Item) int) int {
	total := 0
	for _, it := range items {
		total += f(it)
	}
	return total + ${n}
}`,
  }),
  // Interface method call with a concrete type: boxing.
  (n) => ({
    imports: ['fmt'],
    code: `type stringer${n} struct{ id int }

func (s stringer${n}) String() string { return fmt.Sprint("s", s.id) }

// Show${n} converts a value to fmt.Stringer, which boxes it.
func Show${n}(id int) string {
	var s fmt.Stringer = stringer${n}{id: id}
	return s.String()
}`,
  }),
];

function apiFile(name, k) {
  return `// Package ${name} is generated by bench/gen-module.mjs.
package ${name}

import (
	"fmt"
	"sync"
)

// Item is the record every package of the module passes around.
type Item struct {
	ID    int
	Name  string
	Tags  []string
	Attrs map[string]string
}

// Node is a list cell.
type Node struct {
	Val  int
	Next *Node
}

// Store keeps items by id.
type Store struct {
	mu    sync.Mutex
	items map[int]*Item
	order []int
}

// NewStore returns a pointer: the Store escapes.
func NewStore() *Store {
	return &Store{items: make(map[int]*Item)}
}

// Put keeps it, so the parameter leaks.
func (s *Store) Put(it *Item) {
	s.mu.Lock()
	s.items[it.ID] = it
	s.order = append(s.order, it.ID)
	s.mu.Unlock()
}

// Get looks an item up.
func (s *Store) Get(id int) (*Item, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it, ok := s.items[id]
	return it, ok
}

// Len is small enough to inline.
func (s *Store) Len() int { return len(s.order) }

// Summarize does not allocate.
func Summarize(xs []int) int {
	sum := 0
	for _, x := range xs {
		sum += x * ${k}
	}
	return sum
}

// Describe boxes v for fmt.
func Describe(v any) string {
	return fmt.Sprintf("${name}:%v", v)
}
`;
}

function wireFile(name, deps) {
  const imports = deps.map((d) => `\t"${MODULE_PATH}/${pkgName(d)}"`).join('\n');
  const body = deps
    .map((d, i) => {
      const p = pkgName(d);
      return `	s${i} := ${p}.NewStore()
	s${i}.Put(&${p}.Item{ID: len(xs) + ${i}, Name: name})
	total += ${p}.Summarize(xs) + s${i}.Len()
	parts = append(parts, ${p}.Describe(total))`;
    })
    .join('\n');
  return `package ${name}

import (
${imports}
)

// Pipeline calls into the packages ${name} depends on.
func Pipeline(xs []int, name string) (int, []string) {
	total := 0
	var parts []string
${body}
	return total, parts
}
`;
}

function opsFile(name, funcs) {
  const imports = [...new Set(funcs.flatMap((f) => f.imports ?? []))].sort();
  const importBlock = imports.length > 0 ? `import (\n${imports.map((i) => `\t"${i}"`).join('\n')}\n)\n\n` : '';
  return `package ${name}\n\n${importBlock}${funcs.map((f) => f.code).join('\n\n')}\n`;
}

function mainFile(entries) {
  const imports = entries.map((d) => `\t"${MODULE_PATH}/${pkgName(d)}"`).join('\n');
  const calls = entries
    .map((d) => {
      const p = pkgName(d);
      return `	if n, parts := ${p}.Pipeline(xs, "${p}"); n > 0 {
		total += n + len(parts)
	}`;
    })
    .join('\n');
  return `// Command bigmod calls into every feature domain of the module.
package main

import (
	"fmt"
	"os"

${imports}
)

func main() {
	xs := make([]int, 0, len(os.Args)+8)
	for i := range 8 + len(os.Args) {
		xs = append(xs, i)
	}
	total := 0
${calls}
	fmt.Println(total)
}
`;
}

/** Builds the file tree in memory: { files: Map<relPath, text>, packages, hot }. */
export function generateModule({ packages, seed }) {
  if (packages < BASE_PACKAGES + DOMAIN_SIZE) throw new Error(`need at least ${BASE_PACKAGES + DOMAIN_SIZE} packages`);
  const rng = createRng(seed);
  const files = new Map();
  files.set('go.mod', `module ${MODULE_PATH}\n\ngo 1.22\n`);

  const deps = [];
  for (let i = 0; i < packages; i++) {
    const d = new Set();
    if (i < BASE_PACKAGES) {
      if (i > 0 && rng.chance(0.5)) d.add(rng.int(0, i - 1));
    } else {
      const domainStart = BASE_PACKAGES + Math.floor((i - BASE_PACKAGES) / DOMAIN_SIZE) * DOMAIN_SIZE;
      const pos = i - domainStart;
      if (pos > 0) {
        d.add(i - 1);
        if (pos > 1 && rng.chance(0.6)) d.add(rng.int(domainStart, i - 2));
      }
      const base = rng.int(1, 2);
      for (let b = 0; b < base; b++) d.add(rng.int(0, BASE_PACKAGES - 1));
      if (domainStart > BASE_PACKAGES && rng.chance(0.15)) {
        // Another domain's API package.
        const other = rng.int(0, (domainStart - BASE_PACKAGES) / DOMAIN_SIZE - 1);
        d.add(BASE_PACKAGES + other * DOMAIN_SIZE);
      }
    }
    deps.push([...d].sort((a, b) => a - b));
  }

  for (let i = 0; i < packages; i++) {
    const name = pkgName(i);
    files.set(`${name}/api.go`, apiFile(name, rng.int(2, 97)));
    if (deps[i].length > 0) files.set(`${name}/wire.go`, wireFile(name, deps[i]));
    const nFiles = rng.int(2, 4);
    let n = 0;
    for (let f = 0; f < nFiles; f++) {
      const funcs = [];
      const count = rng.int(6, 12);
      for (let k = 0; k < count; k++) funcs.push(rng.pick(TEMPLATES)(n++));
      files.set(`${name}/ops${f}.go`, opsFile(name, funcs));
    }
  }

  // main calls the last package of each domain, which reaches the rest.
  const entries = [];
  for (let s = BASE_PACKAGES; s < packages; s += DOMAIN_SIZE) entries.push(Math.min(packages - 1, s + DOMAIN_SIZE - 1));
  files.set('cmd/bigmod/main.go', mainFile(entries));

  // The hot packages: late in three different domains, as a profile of a
  // service would point at handlers, not at base utilities.
  const domains = Math.floor((packages - BASE_PACKAGES) / DOMAIN_SIZE);
  const hotIdx = [
    BASE_PACKAGES + Math.floor(domains * 0.25) * DOMAIN_SIZE + 6,
    BASE_PACKAGES + Math.floor(domains * 0.5) * DOMAIN_SIZE + 7,
    BASE_PACKAGES + Math.floor(domains * 0.8) * DOMAIN_SIZE + 5,
  ].map((i) => Math.min(i, packages - 1));
  const closure = (roots) => {
    const seen = new Set();
    const stack = [...roots];
    while (stack.length > 0) {
      const p = stack.pop();
      if (seen.has(p)) continue;
      seen.add(p);
      stack.push(...deps[p]);
    }
    return seen;
  };
  const hot = hotIdx.map((i) => ({
    importPath: `${MODULE_PATH}/${pkgName(i)}`,
    dir: pkgName(i),
    files: [...files.keys()].filter((f) => f.startsWith(`${pkgName(i)}/`)).sort(),
  }));
  let lines = 0;
  for (const text of files.values()) lines += text.split('\n').length;
  return {
    files,
    info: {
      module: MODULE_PATH,
      packages: packages + 1,
      goFiles: [...files.keys()].filter((f) => f.endsWith('.go')).length,
      lines,
      hot,
      // Packages that must be compiled to build the hot ones (themselves included).
      hotClosure: closure(hotIdx).size,
    },
  };
}

/** Writes the module unless DIR/.gen.json says it is up to date. */
export function ensureModule({ out = MODULE_DIR, packages, seed, force = false, log = () => {} } = {}) {
  const params = { generator: GENERATOR_VERSION, packages: packages ?? DEFAULTS.packages, seed: seed ?? DEFAULTS.seed };
  const stamp = join(out, '.gen.json');
  if (!force && existsSync(stamp)) {
    try {
      const prev = JSON.parse(readFileSync(stamp, 'utf8'));
      if (JSON.stringify(prev.params) === JSON.stringify(params)) return { dir: out, params, info: prev.info, generated: false };
    } catch {
      // Unreadable stamp: regenerate.
    }
  }
  log(`generating ${out} (${params.packages} packages, seed ${params.seed})`);
  const { files, info } = generateModule(params);
  rmSync(out, { recursive: true, force: true });
  for (const [rel, text] of files) {
    const path = join(out, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  }
  writeFileSync(stamp, JSON.stringify({ params, info }, null, 2) + '\n');
  return { dir: out, params, info, generated: true };
}

function parseArgs(argv) {
  const opts = { force: false, check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--out') opts.out = resolve(val());
    else if (a === '--packages') opts.packages = Number(val());
    else if (a === '--seed') opts.seed = Number(val());
    else if (a === '--force') opts.force = true;
    else if (a === '--check') opts.check = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const res = ensureModule({ ...opts, log: (m) => console.error(m) });
    const i = res.info;
    console.log(
      `${res.generated ? 'wrote' : 'up to date:'} ${res.dir}: ${i.packages} packages, ${i.goFiles} files, ${i.lines} lines; ` +
        `hot ${i.hot.map((h) => h.dir).join(', ')} (closure ${i.hotClosure} packages)`,
    );
    if (opts.check) {
      execFileSync('go', ['build', './...'], { cwd: res.dir, stdio: 'inherit' });
      console.log('go build ./... ok');
    }
  } catch (err) {
    console.error(`gen-module: ${err.message}`);
    process.exit(2);
  }
}
