// Go's flag package and `go tool pprof` take long flags with one dash or two
// (`-src .`, `-sample_index=alloc_objects`, `-top 5`) and spell them with
// underscores. advisor's options are yargs' `--kebab-case`; this rewrites the
// Go spellings to them before yargs parses, so a Go user's habits just work.
//
// Rewritten: `-name`, `-name=value`, `--name_with_underscores`, `-no-name` /
// `-no_name` for a boolean, where the name (underscores read as dashes) is a
// known long option. A single-dash word that is not one (`-xyz`) becomes
// `--xyz`, so yargs reports it as one unknown option instead of -x -y -z.
// Untouched: one-letter flags (`-f`, `-o`, `-h`), a lone `-` (standard input),
// negative numbers, the value after an option that takes one (`-focus -x`
// keeps `-x` as the regex), and everything after `--`.

/** argv with Go-style long flags rewritten to `--kebab-case`. */
export function goStyleArgs(argv: readonly string[], longOptions: ReadonlySet<string>, booleans: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let takesValue = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    if (takesValue) {
      // yargs would read `-x` as a flag of its own; Go reads it as the value.
      if (/^-./.test(a)) out.push(`${out.pop()}=${a}`);
      else out.push(a);
      takesValue = false;
      continue;
    }
    const r = rewrite(a, longOptions);
    out.push(r);
    const name = /^--([^=]+)$/.exec(r)?.[1];
    takesValue = name !== undefined && longOptions.has(name) && !booleans.has(name);
  }
  return out;
}

function rewrite(arg: string, longOptions: ReadonlySet<string>): string {
  const m = /^(--?)([A-Za-z][A-Za-z0-9_-]*)(=[\s\S]*)?$/.exec(arg);
  if (!m) return arg;
  const [, dashes, rawName, value = ''] = m;
  if (dashes === '-' && rawName.length === 1) return arg;
  const name = rawName.replace(/_/g, '-');
  const negated = /^no-/.test(name) && longOptions.has(name.slice(3));
  if (longOptions.has(name) || negated) return `--${name}${value}`;
  // Unknown: keep a double-dash spelling as written (yargs names it), and make
  // a single-dash word one unknown long option rather than a cluster of letters.
  return dashes === '-' ? `--${rawName}${value}` : arg;
}
