#!/usr/bin/env node
// npm run bench -- [--runs N] [--only decode|escape|ID[,ID...]] [--quick]
//                  [--escape-state cold|warm|both] [--profile FILE] [--keep]
//
// Compares contenders side by side in one run and prints a markdown table:
// median wall time and peak RSS of N runs (default 3), each run of each
// contender in its own child process. It is a benchmark, not a test: it
// always exits 0 once it has measured, whatever the numbers say.
//
// Inputs are generated when missing (bench/gen-profile.mjs, bench/gen-module.mjs)
// into bench/out/, which also receives results.json and the logs of each run.
// advisor's contenders load dist/, which this script does not build: run
// `npm install` (its prepare step builds) or `npm run build`.
//
// How the escape contenders get a fair start
// ------------------------------------------
// The issue compares "compile only the hot packages" with
// `go build -gcflags=-m=2 ./...` on a cold cache. A fresh GOCACHE per run would
// also recompile the standard library, which neither side controls and which
// swamps the difference; `-a` rebuilds std as well. Instead every run gets a
// fresh copy of bench/out/bigmod in a new directory, and all runs share one
// GOCACHE (bench/out/gocache) in which std was compiled once beforehand. Without
// -trimpath cmd/go puts the package directory into each action ID
// (cmd/go/internal/work/exec.go: `fmt.Fprintf(h, "dir %s\n", p.Dir)`), so in a
// new directory every package of the module misses the cache while std hits it.
// GOFLAGS is cleared so a user's -trimpath cannot defeat this. Two starting states:
//   cold: nothing of the module compiled (a fresh checkout; CI).
//   warm: the copy was built once with a plain `go build ./...` before the clock
//         starts (a developer's machine). -m=2 changes the compile flags, so the
//         whole-module build still recompiles every module package, while the
//         hot packages' dependencies are already in the cache.
// The cached re-run (escape-advisor-cached) reuses the module copy and the
// advisor cache directory of the escape-advisor run just before it.

import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureModule, MODULE_DIR } from './gen-module.mjs';
import { ensureProfile } from './gen-profile.mjs';
import { firstLine, gnuTime, importUrl, measureProcess, median, readResultLine } from './lib/harness.mjs';

const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(BENCH_DIR, '..');
const OUT_DIR = join(BENCH_DIR, 'out');

// Table order. Each id names the row of advisor it is compared with.
const ORDER = [
  ['advisor-e2e', 'advisor-e2e'],
  ['go-pprof-top', 'advisor-e2e'],
  ['advisor-decode', 'advisor-decode'],
  ['advisor-rank', 'advisor-decode'],
  ['protobufjs', 'advisor-decode'],
  ['pprof-format', 'advisor-decode'],
  ['floor-gunzip', 'advisor-decode'],
  ['floor-varints', 'advisor-decode'],
  ['floor-walk', 'advisor-rank'],
  ['escape-advisor', 'escape-advisor'],
  ['escape-advisor-cached', 'escape-advisor'],
  ['escape-hot-go', 'escape-advisor'],
  ['escape-whole-module', 'escape-advisor'],
];
const COMPARE_TO = new Map(ORDER);

const TARGETS = {
  rankShare: 0.5,
  e2eWallMs: 600,
  e2eRSSMB: 300,
  goPprofRatio: 20,
  escapeRatio: 5,
};

function usage() {
  return `usage: node bench/run.mjs [--runs N] [--only decode|escape|ID[,ID...]] [--quick]
                         [--escape-state cold|warm|both] [--profile FILE] [--keep]
  --runs N          runs per contender; the table shows the median (default 3)
  --only X          a group (decode, escape) or contender ids: ${ORDER.map(([id]) => id).join(', ')}
  --quick           small profile, 1 run, escape state cold only
  --escape-state S  starting state of the module for the escape contenders (default both)
  --profile FILE    decode this profile instead of the generated one
  --keep            keep the per-run module copies under bench/out/escape-runs`;
}

function parseArgs(argv) {
  const opts = { runs: null, only: null, quick: false, escapeState: null, profile: null, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--runs') {
      opts.runs = Number(val());
      if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs needs a positive integer');
    } else if (a === '--only') opts.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a === '--quick') opts.quick = true;
    else if (a === '--escape-state') {
      opts.escapeState = val();
      if (!['cold', 'warm', 'both'].includes(opts.escapeState)) throw new Error('--escape-state is cold, warm or both');
    } else if (a === '--profile') opts.profile = resolve(val());
    else if (a === '--keep') opts.keep = true;
    else if (a === '--help' || a === '-h') {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${usage()}`);
  }
  opts.runs ??= opts.quick ? 1 : 3;
  opts.escapeState ??= opts.quick ? 'cold' : 'both';
  return opts;
}

async function loadContenders() {
  const dir = join(BENCH_DIR, 'contenders');
  const all = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.mjs')).sort()) {
    const mod = await import(importUrl(join(dir, f)));
    const list = Array.isArray(mod.default) ? mod.default : [mod.default];
    all.push(...list);
  }
  const byId = new Map(all.map((c) => [c.id, c]));
  for (const [id] of ORDER) if (!byId.has(id)) throw new Error(`contender ${id} is missing from bench/contenders`);
  return ORDER.map(([id]) => byId.get(id));
}

function select(contenders, only) {
  if (!only) return contenders;
  const groups = new Set(['decode', 'escape']);
  for (const o of only) {
    if (!groups.has(o) && !contenders.some((c) => c.id === o)) throw new Error(`--only: unknown group or contender ${o}`);
  }
  return contenders.filter((c) => only.includes(c.group) || only.includes(c.id));
}

function goVersion() {
  try {
    return execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8', env: { ...process.env, GOTOOLCHAIN: 'local' } }).trim() || null;
  } catch {
    return null;
  }
}

const GOCACHE_LIMIT_BYTES = 2 * 2 ** 30;

function dirBytes(dir) {
  let total = 0;
  try {
    for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (e.isFile()) total += statSync(join(e.parentPath ?? e.path, e.name)).size;
    }
  } catch {
    // Missing or unreadable: treat as empty.
  }
  return total;
}

// ---------------------------------------------------------------------------
// Measuring

/** One run of one contender. Returns { ok, wallMs, processMs, peakRSSKB, detail } or { ok: false, status, reason }. */
async function runOnce(c, ctx, runInfo, tag) {
  const logs = join(OUT_DIR, 'logs');
  mkdirSync(logs, { recursive: true });
  const base = join(logs, `${c.id}${tag}`);
  let spec;
  if (c.kind === 'script') {
    spec = {
      cmd: process.execPath,
      args: [fileURLToPath(c.script), JSON.stringify(c.args(ctx, runInfo))],
      cwd: ctx.root,
      env: c.group === 'escape' ? ctx.goEnv : process.env,
    };
  } else {
    spec = c.command(ctx, runInfo);
  }
  const run = await measureProcess({
    ...spec,
    stdoutFile: spec.stdout ?? `${base}.out`,
    stderrFile: `${base}.err`,
    timeFile: `${base}.time`,
  });
  const why = () => firstLine(run.stderrFile) || (run.signal ? `killed by ${run.signal}` : `exit ${run.code}`);
  if (run.spawnError) return { ok: false, status: 'failed', reason: `cannot start ${spec.cmd}: ${run.spawnError.message}` };
  if (c.kind === 'script') {
    const res = readResultLine(run.stdoutFile);
    if (!res) return { ok: false, status: 'failed', reason: why() };
    if (res.status !== 'ok') return { ok: false, status: res.status, reason: res.reason };
    return {
      ok: true,
      wallMs: res.ms,
      cpuMs: res.cpuMs,
      processMs: run.wallMs,
      peakRSSKB: run.peakRSSKB ?? res.maxRSSKB ?? null,
      detail: res.detail,
    };
  }
  const err = c.validate(run);
  if (err) return { ok: false, status: 'failed', reason: `${err}: ${why()}` };
  return { ok: true, wallMs: run.wallMs, cpuMs: run.cpuMs, processMs: run.wallMs, peakRSSKB: run.peakRSSKB };
}

function newRecord(c, state) {
  return {
    id: c.id,
    group: c.group,
    state,
    label: c.label,
    timed: c.timed,
    status: 'ok',
    reason: null,
    runs: [],
    median: null,
  };
}

function finish(rec) {
  if (rec.status === 'ok' && rec.runs.length > 0) {
    rec.median = {
      wallMs: median(rec.runs.map((r) => r.wallMs)),
      cpuMs: median(rec.runs.map((r) => r.cpuMs)),
      processMs: median(rec.runs.map((r) => r.processMs)),
      peakRSSKB: median(rec.runs.map((r) => r.peakRSSKB)),
    };
  }
  return rec;
}

function record(rec, res) {
  if (res.ok) {
    rec.runs.push({ wallMs: res.wallMs, cpuMs: res.cpuMs, processMs: res.processMs, peakRSSKB: res.peakRSSKB, detail: res.detail });
  } else {
    rec.status = res.status;
    rec.reason = res.reason;
  }
  const last = rec.runs.at(-1);
  const shown = res.ok ? `${fmtMs(last.wallMs)} wall, ${fmtMs(last.cpuMs)} CPU, ${fmtRSS(last.peakRSSKB)}` : `${res.status}: ${res.reason}`;
  console.error(`  ${rec.id}${rec.state ? ` [${rec.state}]` : ''} run ${rec.runs.length + (res.ok ? 0 : 1)}: ${shown}`);
}

/** Runs are interleaved (run 1 of every contender, then run 2, ...) so load drift hits all alike. */
async function benchDecode(list, ctx, runs) {
  const recs = list.map((c) => newRecord(c, null));
  list.forEach((c, i) => {
    const why = c.unavailable(ctx);
    if (why) Object.assign(recs[i], { status: 'unavailable', reason: why });
  });
  for (let r = 1; r <= runs; r++) {
    for (let i = 0; i < list.length; i++) {
      if (recs[i].status !== 'ok') continue;
      record(recs[i], await runOnce(list[i], ctx, {}, `-${r}`));
    }
  }
  return recs.map(finish);
}

function prepareModuleCopy(dir, state, goEnv) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  cpSync(MODULE_DIR, dir, { recursive: true });
  if (state === 'warm') {
    const res = spawnSync('go', ['build', './...'], { cwd: dir, env: goEnv, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`warming ${dir} failed: ${(res.stderr || res.error?.message || '').split('\n')[0]}`);
  }
}

async function benchEscape(list, ctx, runs, states, keep) {
  const all = [];
  // A directory name never used before: cache entries are keyed by directory,
  // so reusing a path from an earlier invocation would hit the cache.
  const session = join(OUT_DIR, 'escape-runs', `${Date.now().toString(36)}-${process.pid}`);
  for (const state of states) {
    const recs = list.map((c) => newRecord(c, state));
    list.forEach((c, i) => {
      const why = c.unavailable(ctx);
      if (why) Object.assign(recs[i], { status: 'unavailable', reason: why });
    });
    for (let r = 1; r <= runs; r++) {
      const iterDir = join(session, `${state}-${r}`);
      const infos = new Map();
      for (let i = 0; i < list.length; i++) {
        const c = list[i];
        if (recs[i].status !== 'ok') continue;
        let runInfo;
        if (c.module.startsWith('reuse:')) {
          runInfo = infos.get(c.module.slice('reuse:'.length));
          if (!runInfo) {
            Object.assign(recs[i], { status: 'unavailable', reason: `needs ${c.module.slice(6)} to have run` });
            continue;
          }
        } else {
          const moduleDir = join(iterDir, c.id, 'bigmod');
          prepareModuleCopy(moduleDir, state, ctx.goEnv);
          runInfo = { moduleDir, cacheDir: join(iterDir, c.id, 'advisor-cache') };
        }
        const res = await runOnce(c, ctx, runInfo, `-${state}-${r}`);
        if (res.ok) infos.set(c.id, runInfo);
        record(recs[i], res);
      }
      if (!keep) rmSync(iterDir, { recursive: true, force: true });
    }
    all.push(...recs.map(finish));
  }
  if (!keep) rmSync(session, { recursive: true, force: true });
  return all;
}

// ---------------------------------------------------------------------------
// Reporting

function fmtMs(ms) {
  if (ms === null || ms === undefined) return 'n/a';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function fmtRSS(kb) {
  return kb === null || kb === undefined ? 'n/a' : `${(kb / 1024).toFixed(0)} MB`;
}

function fmtRatio(x) {
  if (x === null || !Number.isFinite(x)) return 'n/a';
  return `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}×`;
}

function findRec(recs, id, state = null) {
  return recs.find((r) => r.id === id && r.state === state && r.status === 'ok' && r.median) ?? null;
}

/** Median `metric` (wallMs or cpuMs) of `id` divided by that of `refId`. */
function ratio(recs, id, refId, state = null, metric = 'wallMs') {
  const a = findRec(recs, id, state)?.median[metric];
  const b = findRec(recs, refId, state)?.median[metric];
  if (typeof a !== 'number' || typeof b !== 'number' || b <= 0) return null;
  return a / b;
}

/** "3.26× (CPU 2.90×)" */
function fmtRatios(recs, id, refId, state = null) {
  const w = ratio(recs, id, refId, state);
  const c = ratio(recs, id, refId, state, 'cpuMs');
  return c === null ? fmtRatio(w) : `${fmtRatio(w)} (CPU ${fmtRatio(c)})`;
}

function table(recs) {
  const rows = [
    '| contender | timed | wall (median) | CPU (median) | peak RSS | relative to advisor |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of recs) {
    if (r.status !== 'ok' || !r.median) {
      rows.push(`| ${r.label} | ${r.timed} | ${r.status}: ${r.reason ?? ''} | | | |`);
      continue;
    }
    const ref = COMPARE_TO.get(r.id);
    const rel = ref === r.id ? 'advisor' : fmtRatios(recs, r.id, ref, r.state);
    rows.push(
      `| ${r.label} | ${r.timed} | ${fmtMs(r.median.wallMs)} | ${fmtMs(r.median.cpuMs)} | ${fmtRSS(r.median.peakRSSKB)} | ${rel} |`,
    );
  }
  return rows.join('\n');
}

function checks(recs, states, withDecode) {
  const out = [];
  const add = (name, value, shown, pass) => out.push({ name, value, shown, pass });
  if (withDecode) decodeChecks(recs, add);
  escapeChecks(recs, states, add);
  return out;
}

function decodeChecks(recs, add) {
  const e2e = findRec(recs, 'advisor-e2e');
  add(
    `advisor end to end ≤ ${TARGETS.e2eWallMs / 1000} s`,
    e2e?.median.wallMs ?? null,
    e2e ? fmtMs(e2e.median.wallMs) : 'n/a',
    e2e ? e2e.median.wallMs <= TARGETS.e2eWallMs : null,
  );
  const rss = e2e?.median.peakRSSKB ?? null;
  add(`advisor end to end peak RSS ≤ ${TARGETS.e2eRSSMB} MB`, rss, fmtRSS(rss), rss === null ? null : rss / 1024 <= TARGETS.e2eRSSMB);
  const pf = ratio(recs, 'pprof-format', 'advisor-decode');
  add(
    'advisor decode faster than pprof-format decode (pprof-format ÷ advisor > 1)',
    pf,
    fmtRatios(recs, 'pprof-format', 'advisor-decode'),
    pf === null ? null : pf > 1,
  );
  // Ranking and decode as timed in the same process, run by run.
  const rk = findRec(recs, 'advisor-rank');
  const shares = rk ? rk.runs.map((r) => r.wallMs / r.detail.decodeMs).sort((a, b) => a - b) : [];
  const share = shares.length ? median(shares) : null;
  add(
    `ranking adds ≤ ${TARGETS.rankShare * 100}% to decode time`,
    share,
    share === null ? 'n/a' : `${(share * 100).toFixed(0)}% (rank ${fmtMs(rk.median.wallMs)}, decode ${fmtMs(median(rk.runs.map((r) => r.detail.decodeMs)))})`,
    share === null ? null : share <= TARGETS.rankShare,
  );
  const gp = ratio(recs, 'go-pprof-top', 'advisor-e2e');
  add(
    `advisor end to end ≥ ${TARGETS.goPprofRatio}× faster than go tool pprof -top`,
    gp,
    fmtRatios(recs, 'go-pprof-top', 'advisor-e2e'),
    gp === null ? null : gp >= TARGETS.goPprofRatio,
  );
}

function escapeChecks(recs, states, add) {
  for (const s of states) {
    const w = ratio(recs, 'escape-whole-module', 'escape-advisor', s);
    add(
      `hot-package escape ≥ ${TARGETS.escapeRatio}× faster than whole-module -m=2 (module ${s})`,
      w,
      fmtRatios(recs, 'escape-whole-module', 'escape-advisor', s),
      w === null ? null : w >= TARGETS.escapeRatio,
    );
    const ref = ratio(recs, 'escape-whole-module', 'escape-hot-go', s);
    if (ref !== null) {
      add(
        `  reference: whole-module ÷ plain go build of the hot packages (module ${s})`,
        ref,
        fmtRatios(recs, 'escape-whole-module', 'escape-hot-go', s),
        null,
      );
    }
  }
}

// ---------------------------------------------------------------------------

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const contenders = select(await loadContenders(), opts.only);
  if (contenders.length === 0) throw new Error('no contender selected');
  const needsDist = contenders.some((c) => c.id.startsWith('advisor') || c.id.startsWith('escape-advisor'));
  if (needsDist && !existsSync(join(ROOT, 'dist'))) {
    throw new Error(
      "dist/ does not exist. Build it first: `npm install` (its prepare step builds) or `npm run build`." +
        ' (Or leave advisor out: --only protobufjs,pprof-format,go-pprof-top,escape-whole-module,escape-hot-go.)',
    );
  }
  mkdirSync(OUT_DIR, { recursive: true });
  const go = goVersion();
  const log = (m) => console.error(m);
  const loadStart = loadavg();
  if (loadStart[0] > cpus().length * 0.5) {
    log(`warning: load average ${loadStart[0].toFixed(2)} on ${cpus().length} CPUs; timings will be noisy`);
  }
  if (!gnuTime()) log('warning: /usr/bin/time not found; external commands get no peak RSS figure');

  const decode = contenders.filter((c) => c.group === 'decode');
  const escape = contenders.filter((c) => c.group === 'escape');
  const ctx = {
    root: ROOT,
    outDir: OUT_DIR,
    goVersion: go,
    goEnv: {
      ...process.env,
      GOCACHE: join(OUT_DIR, 'gocache'),
      GOFLAGS: '',
      GOTOOLCHAIN: 'local',
      GOPROXY: 'off',
    },
    profile: null,
    profileInfo: null,
    module: null,
  };

  if (decode.length > 0) {
    if (opts.profile) {
      if (!existsSync(opts.profile)) throw new Error(`--profile ${opts.profile} does not exist`);
      ctx.profile = opts.profile;
      ctx.profileInfo = { file: opts.profile };
    } else {
      const p = ensureProfile({ small: opts.quick, log });
      ctx.profile = p.out;
      ctx.profileInfo = { file: p.out, ...p.stats };
    }
  }
  if (escape.length > 0) {
    const m = ensureModule({ log });
    ctx.module = m.info;
    if (go) {
      // Every run adds the module's compiled packages under a new directory key;
      // start over once that has piled up.
      const cache = ctx.goEnv.GOCACHE;
      if (dirBytes(cache) > GOCACHE_LIMIT_BYTES) {
        log(`bench/out/gocache is over ${GOCACHE_LIMIT_BYTES / 2 ** 30} GB; starting it afresh`);
        rmSync(cache, { recursive: true, force: true });
      }
      // Compile std (and the toolchain's own bits) into the bench GOCACHE once,
      // outside any measurement; see the header comment.
      log('warming the standard library in bench/out/gocache');
      const res = spawnSync('go', ['build', './...'], { cwd: MODULE_DIR, env: ctx.goEnv, encoding: 'utf8' });
      if (res.status !== 0) throw new Error(`go build ./... in ${MODULE_DIR} failed: ${(res.stderr ?? '').split('\n')[0]}`);
    }
  }

  const states = opts.escapeState === 'both' ? ['cold', 'warm'] : [opts.escapeState];
  const recs = [];
  if (decode.length > 0) {
    log(`decode: ${decode.length} contenders × ${opts.runs} runs on ${ctx.profile}`);
    recs.push(...(await benchDecode(decode, ctx, opts.runs)));
  }
  if (escape.length > 0) {
    log(`escape: ${escape.length} contenders × ${opts.runs} runs × states ${states.join(', ')} on ${MODULE_DIR}`);
    recs.push(...(await benchEscape(escape, ctx, opts.runs, states, opts.keep)));
  }
  const loadEnd = loadavg();

  // Report.
  const lines = [];
  lines.push(`## advisor benchmark${opts.quick ? ' (quick)' : ''}`, '');
  lines.push(
    `Machine: ${cpus().length} CPUs (${cpus()[0]?.model?.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(0)} GB; ` +
      `load average ${loadStart[0].toFixed(2)} at start, ${loadEnd[0].toFixed(2)} at end. ` +
      `Node ${process.version}, ${go ?? 'no Go'}. Median of ${opts.runs} run${opts.runs > 1 ? 's' : ''}.`,
  );
  if (ctx.profileInfo) {
    const p = ctx.profileInfo;
    lines.push(
      p.samples
        ? `Profile: ${p.file.replace(ROOT + '/', '')}: ${p.samples.toLocaleString('en')} samples, ${p.locations.toLocaleString('en')} locations, ` +
            `${p.functions.toLocaleString('en')} functions, ${(p.rawBytes / 1e6).toFixed(1)} MB raw, ${(p.gzipBytes / 1e6).toFixed(1)} MB gzipped.`
        : `Profile: ${p.file}.`,
    );
  }
  if (ctx.module) {
    const m = ctx.module;
    lines.push(
      `Module: ${m.module}, ${m.packages} packages, ${m.lines.toLocaleString('en')} lines; hot packages ${m.hot.map((h) => h.dir).join(', ')} ` +
        `(with their dependencies: ${m.hotClosure} packages to compile when the module is cold).`,
    );
  }
  lines.push('');
  const groups = [
    ['Profile decoding', recs.filter((r) => r.group === 'decode')],
    ...states.map((s) => [`Escape analysis, module ${s}`, recs.filter((r) => r.group === 'escape' && r.state === s)]),
  ].filter(([, rs]) => rs.length > 0);
  for (const [title, rs] of groups) {
    lines.push(`### ${title}`, '', table(rs), '');
  }
  lines.push(
    '"relative to advisor" is the row\'s wall time divided by the advisor row it compares with: processes with ' +
      'advisor end to end, in-process decoders with advisor decode only, escape rows with the advisor escape stage. ' +
      'The floor rows are not contenders but the least work of each kind on this profile (bench/contenders/floors.mjs), ' +
      'to show how far advisor is from what the machine allows; floor-walk compares with the ranking row. ' +
      'Verdicts use wall time, the figure the targets name; CPU time (user + system, child processes included) is ' +
      'shown beside it because it barely changes when other work competes for the cores. ' +
      'Peak RSS is the largest process of the run (/usr/bin/time %M).',
    '',
  );
  const cks = checks(recs, escape.length > 0 ? states : [], decode.length > 0);
  lines.push('### Targets', '', '| target | measured | verdict |', '|---|---|---|');
  for (const c of cks) {
    const verdict = c.pass === null ? (c.name.startsWith('  ') ? 'info' : 'n/a') : c.pass ? 'PASS' : 'FAIL';
    lines.push(`| ${c.name.trim()} | ${c.shown} | ${verdict} |`);
  }
  console.log(lines.join('\n'));

  const results = {
    date: new Date().toISOString(),
    quick: opts.quick,
    runs: opts.runs,
    machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, memBytes: totalmem(), loadStart, loadEnd },
    node: process.version,
    go,
    profile: ctx.profileInfo,
    module: ctx.module,
    contenders: recs,
    targets: cks.map(({ name, value, pass }) => ({ name: name.trim(), value, pass })),
  };
  writeFileSync(join(OUT_DIR, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  log(`wrote ${join(OUT_DIR, 'results.json')}`);
}

main().catch((err) => {
  console.error(`bench: ${err.message}`);
  process.exit(2);
});
