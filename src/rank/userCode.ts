// Which frames are the user's own code: the first such frame from the leaf is
// the site a team can change.

/** A function name's package path: `github.com/x/y.(*T).M` -> `github.com/x/y`. */
export function packagePathOf(fn: string): string {
  // The package path ends at the first '.' after the last '/'.
  const slash = fn.lastIndexOf('/', fn.indexOf('.') < 0 ? fn.length : indexBeforeGenerics(fn));
  const dot = fn.indexOf('.', slash + 1);
  return dot < 0 ? fn : fn.slice(0, dot);
}

// Generic instantiations carry type arguments with slashes and dots
// (`pkg.F[go.shape.struct { X int }]`); only look before the first '['.
function indexBeforeGenerics(fn: string): number {
  const b = fn.indexOf('[');
  return b < 0 ? fn.length : b;
}

const MODULE_CACHE = /\/pkg\/mod\/|@v\d/;
// A file of the standard library: `$GOROOT/...`, or `.../go/src/<pkg>/...`
// where <pkg> has no dot (a GOPATH checkout, `~/go/src/github.com/...`, has one).
const GOROOT_FILE = /^\$GOROOT\/|(^|\/)(go|go-[\d.]+|goroot)\/src\/[^/.]+\//;

export function isStdlibFile(file: string): boolean {
  return GOROOT_FILE.test(file.replace(/\\/g, '/'));
}

export interface UserCodeOptions {
  /** The module path from go.mod (or --module). */
  module?: string | null;
  /** Files a person can edit (not generated); a frame elsewhere is not user code. Default: every file. */
  editable?: (file: string) => boolean;
}

export type UserCodePredicate = (fnName: string, file: string) => boolean;

/**
 * With a module path: functions in that module (and package main, whose
 * symbols are always `main.`). Without: everything outside the standard
 * library, runtime, internal/..., vendor/ and the module cache.
 */
export function userCodePredicate(opts: UserCodeOptions): UserCodePredicate {
  const base = userCodeByName(opts);
  const editable = opts.editable;
  if (!editable) return base;
  const known = new Map<string, boolean>();
  return (fn, file) => {
    if (!base(fn, file)) return false;
    if (!file) return true;
    let r = known.get(file);
    if (r === undefined) known.set(file, (r = editable(file)));
    return r;
  };
}

function userCodeByName(opts: UserCodeOptions): UserCodePredicate {
  const mod = opts.module?.replace(/\/+$/, '') || null;
  // The file tests, once per file: a profile has thousands of functions in
  // far fewer files.
  const known = new Map<string, boolean>();
  const memo = (test: (file: string) => boolean) => (file: string): boolean => {
    let r = known.get(file);
    if (r === undefined) known.set(file, (r = test(file)));
    return r;
  };
  if (mod) {
    // A closure of the standard library inlined into main is named
    // `main.main.Print.func3` but lives in GOROOT's log.go: not the user's.
    const notMain = memo((file) => isStdlibFile(file) || MODULE_CACHE.test(file));
    return (fn, file) => fn.startsWith(`${mod}.`) || fn.startsWith(`${mod}/`) || (fn.startsWith('main.') && !(file && notMain(file)));
  }
  const notUser = memo((file) => MODULE_CACHE.test(file) || isStdlibFile(file) || file.includes('/vendor/'));
  return (fn, file) => {
    if (!fn) return false;
    const pkg = packagePathOf(fn);
    if (pkg === 'main') return true;
    // Standard-library paths have no dot in their first element. (Not
    // pkg.split: it cost most of this test's time.)
    const slash = pkg.indexOf('/');
    const dot = pkg.indexOf('.');
    if (dot < 0 || (slash >= 0 && dot > slash)) return false;
    if (pkg.includes('/vendor/') || pkg.startsWith('vendor/')) return false;
    if (file && notUser(file)) return false;
    return true;
  };
}
