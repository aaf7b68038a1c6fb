#!/usr/bin/env node
// Arguments, I/O and exit codes; nothing else. Exit 0 with a report, 1 when a
// --fail-on gate trips, 2 on a usage or input error.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { AdvisorError, isAdvisorError } from './errors.js';
import { DEFAULT_LIMITS } from './profile/index.js';
import { profileSource } from './profile/fetch.js';
import { formatSize } from './model/units.js';
import { renderReport, FORMATS, type Format } from './report/index.js';
import { runAdvisor } from './run.js';
import { goStyleArgs } from './goflags.js';
import { repoPlace } from './git/root.js';
import { progressPrinter } from './progress.js';
import { writeOutput } from './output.js';
import { RULES } from './advise/index.js';
import { visible } from './report/sanitize.js';
import { evaluateGates, parseFailOnList, requiresBase, FAIL_ON_SPECS } from './diff/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

function toolVersion(): string {
  try {
    return JSON.parse(readFileSync(path.join(here, '..', 'package.json'), 'utf8')).version as string;
  } catch {
    return '0.0.0';
  }
}

function parseSize(flag: string, v: string | number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  const m = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(String(v).trim());
  if (!m) throw new AdvisorError('usage', `${flag} ${v}: expected a size such as 512MiB or 2GiB`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const mult = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Math.floor(Number(m[1]) * mult);
}

function parseShare(flag: string, v: string | number): number {
  const s = String(v).trim();
  const n = s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
  if (!Number.isFinite(n)) throw new AdvisorError('usage', `${flag} ${v}: expected a fraction (0.8) or a percentage (80%)`);
  return n > 1 && !s.endsWith('%') ? n / 100 : n;
}

function positiveInt(flag: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (!Number.isInteger(v) || v <= 0) throw new AdvisorError('usage', `${flag} must be a whole number above 0, got ${v}`);
  return v;
}


const MAX_TIMEOUT_SECONDS = Math.floor((2 ** 31 - 1) / 1000);

// Kernel pseudo file systems, where no directory can be made: Node's
// recursive mkdirSync loops there forever at 100% CPU, deaf to SIGTERM. The
// path is judged as spelled and with its nearest existing ancestor's links
// resolved.
function refuseCacheDir(dir: string): void {
  const abs = path.resolve(dir);
  let base = abs;
  let rest = '';
  let real = abs;
  for (;;) {
    try {
      real = path.join(realpathSync(base), rest);
      break;
    } catch {
      const up = path.dirname(base);
      if (up === base) break;
      rest = path.join(path.basename(base), rest);
      base = up;
    }
  }
  for (const p of [abs, real]) {
    const m = /^\/(proc|sys)(\/|$)/.exec(p);
    if (m) throw new AdvisorError('usage', `--cache-dir ${dir}: /${m[1]} is a kernel file system, not a place for a cache; choose a directory on disk`);
  }
}

const EPILOG = `Examples:
  advisor allocs.pb.gz --src .                      advice for the hot paths of the module in .
  advisor http://127.0.0.1:6060/debug/pprof/allocs --src .
  advisor mon.pb.gz tue.pb.gz --base last-week/*.pb.gz --src . --format html -o review.html
  advisor mem.pb.gz --src . --changed origin/main --format markdown --fail-on hot-escape
  advisor mem.pb.gz --escape-log build-m2.txt --format sarif -o advisor.sarif
  npx -p go-alloc-advisor advisor allocs.pb.gz --src .   without installing (npm package go-alloc-advisor)

Exit codes: 0 report written, 1 a --fail-on condition tripped, 2 usage or input error.
Rules: ${Object.keys(RULES).join(', ')}.`;

// `host:port` as go tool pprof reads it; a bare address means the allocs profile.
const heapSource = (p: string) => profileSource(p, '/debug/pprof/allocs', existsSync);

// yargs-parser drops a lone "-", which conventionally means standard input.
const STDIN_TOKEN = '\u0000stdin';

export async function main(rawArgv: string[]): Promise<number> {
  const argv = rawArgv.map((a) => (a === '-' ? STDIN_TOKEN : a));
  const parser = yargs()
    .scriptName('advisor')
    .usage(
      'Usage: advisor <profile...> [options]\n\n' +
        'Joins a Go heap profile with the compiler\'s escape analysis and names the few hot\n' +
        'allocation sites worth changing, the fix for each, what it saves, and the cold\n' +
        'escapes to leave alone. <profile> is a pprof file (gzipped or raw), - for stdin,\n' +
        'or an http(s) URL such as /debug/pprof/allocs; several are merged by summing.',
    )
    .command('$0 [profiles..]', false)
    .positional('profiles', { type: 'string', array: true, describe: 'heap profiles (files, -, or URLs)' })
    .option('src', { type: 'string', describe: 'Go module (or a directory inside one) the profile came from; enables escape analysis and source snippets', group: 'Source:' })
    .option('module', { type: 'string', describe: "module path of the user's code (default: from go.mod under --src)", group: 'Source:' })
    .option('escape-log', { type: 'string', array: true, describe: 'saved `go build -gcflags=-m=2` output (text or go build -json); repeatable; no compiler run', group: 'Source:' })
    .option('escape', { type: 'boolean', default: true, describe: 'run escape analysis on the hot packages; --no-escape skips the compiler run', group: 'Source:' })
    .option('cache-dir', { type: 'string', describe: 'where compiler results are cached (default ~/.cache/advisor)', group: 'Source:' })
    .option('base', { type: 'string', array: true, describe: 'baseline profiles (last week, main branch) to compare with; several are merged; takes every value up to the next option', group: 'Compare and gate:' })
    .option('base-src', { type: 'string', describe: "a checkout of the baseline's code, to pair sites by statement across edits", group: 'Compare and gate:' })
    .option('base-rev', { type: 'string', describe: "the baseline's git revision in the --src repository (read with git show, no checkout), to pair sites by statement", group: 'Compare and gate:' })
    .option('normalize', { type: 'string', choices: ['auto', 'workload', 'total', 'duration', 'none'], default: 'auto', describe: 'how --base and --history values are scaled: auto is duration when both sides have one, else workload (the ratio over unchanged sites); total compares shares; none raw values', group: 'Compare and gate:' })
    .option('diff', { type: 'string', choices: ['ratio', 'subtract'], default: 'ratio', describe: 'rank the --base comparison by relative change (ratio) or by the change in normalized value, as pprof -diff_base (subtract)', group: 'Compare and gate:' })
    .option('history', { type: 'string', array: true, describe: "earlier profiles, one per week, oldest first (or a directory of them, in name order): a trend per hot site; takes every value up to the next option", group: 'Compare and gate:' })
    .option('changed', { type: 'string', describe: 'only findings on lines changed since this git revision (e.g. origin/main); needs --src in a git checkout', group: 'Compare and gate:' })
    .option('fail-on', { type: 'string', array: true, describe: `exit 1 when a condition holds: ${FAIL_ON_SPECS.join(', ')}`, group: 'Compare and gate:' })
    .option('cpu', { type: 'string', describe: 'a CPU profile (file or URL) to estimate the CPU spent allocating and collecting', group: 'Compare and gate:' })
    .option('seconds', { type: 'number', describe: 'for URLs: collect a delta profile over N seconds, as go tool pprof -seconds does', group: 'Live profiles:' })
    .option('timeout', { type: 'number', default: 60, describe: 'for URLs: seconds to wait for an answer (plus --seconds)', group: 'Live profiles:' })
    .option('sample-index', { type: 'string', describe: 'alloc_space | alloc_objects | inuse_space | inuse_objects | N (default alloc_space)', group: 'Ranking:' })
    .option('focus', { type: 'string', describe: 'only samples with a frame matching this regex (function or file)', group: 'Ranking:' })
    .option('ignore', { type: 'string', describe: 'drop samples with a frame matching this regex', group: 'Ranking:' })
    .option('hot-cover', { type: 'string', default: '80%', describe: 'hot sites together cover this share of the total', group: 'Ranking:' })
    .option('min-share', { type: 'string', default: '1%', describe: 'a hot site carries at least this share', group: 'Ranking:' })
    .option('top', { type: 'number', default: 20, describe: 'rows to show; 0 shows all', group: 'Output:' })
    .option('format', { alias: 'f', type: 'string', choices: FORMATS as unknown as string[], default: 'text', describe: 'output format', group: 'Output:' })
    .option('output', { alias: 'o', type: 'string', describe: 'write to this file (replaced atomically) instead of stdout', group: 'Output:' })
    .option('link-template', { type: 'string', describe: "markdown/html source links, e.g. 'https://github.com/org/repo/blob/{sha}/{path}#L{line}'", group: 'Output:' })
    .option('sha', { type: 'string', describe: 'commit for {sha} in --link-template (default: git rev-parse HEAD in --src)', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'force colours on or off (default: on a TTY, off with NO_COLOR)', group: 'Output:' })
    .option('max-decompressed', { type: 'string', describe: 'largest decompressed profile accepted (default 1GiB)', group: 'Limits:' })
    .option('max-samples', { type: 'number', describe: `most samples accepted (default ${DEFAULT_LIMITS.maxSamples})`, group: 'Limits:' })
    .option('max-stack-depth', { type: 'number', describe: `deepest stack accepted (default ${DEFAULT_LIMITS.maxStackDepth})`, group: 'Limits:' })
    .option('max-strings', { type: 'number', describe: `largest string table accepted (default ${DEFAULT_LIMITS.maxStrings})`, group: 'Limits:' })
    .option('max-stack-entries', { type: 'number', describe: `most stack entries in all samples together, samples x depth (default ${DEFAULT_LIMITS.maxStackEntries})`, group: 'Limits:' })
    .epilog(EPILOG)
    .strict()
    .help('help')
    .alias('h', 'help')
    .version(toolVersion())
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new AdvisorError('usage', `${msg} (see advisor --help)`);
    });

  // yargs' getOptions() (not in @types/yargs): the declared long options.
  const known = (parser as unknown as { getOptions(): { key: Record<string, unknown>; boolean: string[] } }).getOptions();
  const args = await parser.parseAsync(goStyleArgs(argv, new Set(Object.keys(known.key)), new Set(known.boolean)));
  if (args.help || args.version) return 0;
  const isTTY = !!process.stdout.isTTY;
  const progress = progressPrinter(
    process.stderr.isTTY && process.env.CI !== 'true' ? { write: (s) => process.stderr.write(s), columns: () => process.stderr.columns } : null,
  );
  const format = args.format as Format;
  const conditions = parseFailOnList((args['fail-on'] as string[] | undefined) ?? []);
  const profiles = ((args.profiles as string[] | undefined) ?? []).map((p) => (p === STDIN_TOKEN ? '-' : p));
  const base = listOption('--base', args.base, profiles);
  const history = listOption('--history', args.history, profiles);
  if (base.length === 0) {
    for (const c of conditions) {
      const why = requiresBase(c);
      if (why) throw new AdvisorError('usage', why);
    }
  }
  if (args.seconds !== undefined && !(Number.isInteger(args.seconds) && args.seconds >= 1)) {
    throw new AdvisorError('usage', `--seconds must be a whole number of seconds >= 1, got ${args.seconds}`);
  }
  if (!(typeof args.timeout === 'number' && args.timeout > 0)) {
    throw new AdvisorError('usage', `--timeout must be a positive number of seconds, got ${args.timeout}`);
  }
  // Node's timers hold at most 2^31-1 ms (about 24.8 days); beyond that it
  // warns on stderr and fires at once. --seconds adds to the same timer.
  if (args.timeout + (args.seconds ?? 0) > MAX_TIMEOUT_SECONDS) {
    throw new AdvisorError('usage', `--timeout ${args.timeout}${args.seconds ? ` plus --seconds ${args.seconds}` : ''} is more than ${MAX_TIMEOUT_SECONDS} seconds (about 24 days), the longest a timer can wait`);
  }
  if (args['cache-dir'] !== undefined) refuseCacheDir(args['cache-dir']);
  try {
    const { report } = await runAdvisor({
      profiles: profiles.map((p) => (p === '-' ? p : heapSource(p))),
      src: args.src,
      module: args.module,
      escapeLogs: (args['escape-log'] as string[] | undefined) ?? [],
      noEscape: args.escape === false,
      sampleIndex: args['sample-index'],
      focus: args.focus,
      ignore: args.ignore,
      hotCover: parseShare('--hot-cover', args['hot-cover']),
      minShare: parseShare('--min-share', args['min-share']),
      top: args.top,
      limits: {
        maxDecompressedBytes: parseSize('--max-decompressed', args['max-decompressed'], DEFAULT_LIMITS.maxDecompressedBytes),
        maxSamples: positiveInt('--max-samples', args['max-samples'], DEFAULT_LIMITS.maxSamples),
        maxStackDepth: positiveInt('--max-stack-depth', args['max-stack-depth'], DEFAULT_LIMITS.maxStackDepth),
        maxStrings: positiveInt('--max-strings', args['max-strings'], DEFAULT_LIMITS.maxStrings),
        maxStackEntries: positiveInt('--max-stack-entries', args['max-stack-entries'], DEFAULT_LIMITS.maxStackEntries),
      },
      cacheDir: args['cache-dir'],
      toolVersion: toolVersion(),
      progress: progress.say,
      base: base.map(heapSource),
      normalize: args.normalize as 'auto' | 'workload' | 'total' | 'duration' | 'none',
      baseSrc: emptyIsError('--base-src', args['base-src']),
      baseRev: emptyIsError('--base-rev', args['base-rev']),
      diffMode: args.diff as 'ratio' | 'subtract',
      history,
      changed: args.changed,
      cpu: args.cpu === undefined ? undefined : profileSource(args.cpu, '/debug/pprof/profile', existsSync),
      seconds: args.seconds,
      timeoutMs: args.timeout * 1000,
      onFetchProgress: (src, received, total) =>
        progress.say(`fetching ${src}: ${formatSize(received)}${total ? ` of ${formatSize(total)}` : ''}`),
    });
    progress.done();
    // Code scanning and source links name files from the repository root, and
    // {sha} is the commit checked out: ask git where --src is.
    const place = args.src && (format === 'sarif' || args['link-template']) ? await repoPlace(args.src) : null;
    const color = args.color ?? (isTTY && !args.output && !process.env.NO_COLOR);
    const text = renderReport(format, report, {
      color: !!color,
      width: (!args.output && process.stdout.columns) || 100,
      linkTemplate: args['link-template'],
      sha: args.sha ?? place?.head ?? undefined,
      pathPrefix: place?.prefix,
      repository: place ? { top: place.top, prefix: place.prefix } : undefined,
      rules: RULES,
    });
    await writeOutput(args.output, text);
    if (conditions.length > 0) {
      const gate = evaluateGates(report, conditions);
      if (gate.tripped) {
        for (const r of gate.reasons) process.stderr.write(`advisor: ${terminalLine(r)}\n`);
        return 1;
      }
    }
    return 0;
  } finally {
    progress.done();
  }
}

/**
 * A file-list option (--base, --history). yargs gives such an option every
 * value up to the next option, so `advisor --base old.pb.gz new.pb.gz` reads
 * new.pb.gz as a second baseline and no current profile is left: say that,
 * rather than "no profile given". With no value at all, the option is an
 * error, not silently ignored.
 */
function listOption(flag: string, raw: unknown, profiles: readonly string[]): string[] {
  if (raw === undefined) return [];
  const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (v === STDIN_TOKEN ? '-' : String(v)));
  if (values.length === 0 || values.some((v) => v.trim() === '')) {
    throw new AdvisorError('usage', `${flag} needs a value: ${flag} ${flag === '--history' ? 'FILE... or DIR' : 'FILE (a profile file or URL)'}`);
  }
  if (profiles.length === 0 && values.length > 1) {
    throw new AdvisorError(
      'usage',
      `no current profile: ${flag} took all of ${values.join(' ')} (it takes every value up to the next option); ` +
        `put the current profile first: advisor ${values[values.length - 1]} ${flag} ${values.slice(0, -1).join(' ')}`,
    );
  }
  return values;
}

function emptyIsError(flag: string, v: string | undefined): string | undefined {
  if (v !== undefined && v.trim() === '') throw new AdvisorError('usage', `${flag} needs a value`);
  return v;
}

// Errors and gate reasons quote the profile (sample type and function names),
// which is untrusted: a raw ESC would drive the terminal, and a newline would
// let it forge a line of its own in a CI log (a GitHub Actions `::error::`
// command, say). Line breaks become spaces (multi-line compiler output reads
// as one line); every other control or bidi character is shown escaped.
function terminalLine(msg: string): string {
  return visible(msg.replace(/\s*[\r\n\u2028\u2029]+\s*/g, ' '));
}

function errorLine(e: unknown): string {
  const msg = isAdvisorError(e) ? e.line() : String(e);
  return `advisor: ${terminalLine(msg)}`;
}

export async function cliEntry(): Promise<void> {
  let code: number;
  try {
    code = await main(hideBin(process.argv));
  } catch (e) {
    if (isAdvisorError(e)) {
      process.stderr.write(`${errorLine(e)}\n`);
    } else if (e instanceof Error && e.name === 'YError') {
      process.stderr.write(`advisor: usage: ${e.message} (see advisor --help)\n`);
    } else {
      // A bug, not bad input: keep the stack so it can be reported.
      process.stderr.write(`advisor: internal error: ${(e as Error)?.stack ?? String(e)}\n`);
    }
    code = 2;
  }
  process.exitCode = code;
}

function isMain(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMain()) {
  // A closed pipe (advisor ... | head) is not an error worth a stack.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  await cliEntry();
}
