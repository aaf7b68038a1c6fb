// Shared plumbing for bench/run.mjs and the contender scripts.
//
// Every contender runs in its own child process so that its peak RSS is its
// own. The parent times the child from spawn to exit, and reads the peak RSS
// and CPU time from GNU time (`/usr/bin/time -f '%e %M %U %S'`). CPU time
// (user + system, children included) barely moves when other work competes
// for the cores, so it is reported next to wall time. %M comes from wait4's rusage,
// which for a process that waited for its own children (go build -> compile,
// go tool -> pprof) is the largest RSS of any process in the tree, not a sum.
// In-process contenders (a decode inside node) also time the operation
// itself and report `process.resourceUsage().maxRSS`, which is the fallback
// when /usr/bin/time is missing; external commands then have no RSS figure.

import { spawn } from 'node:child_process';
import { accessSync, closeSync, constants, openSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const RESULT_PREFIX = 'BENCH_RESULT ';

export function isMain(metaUrl) {
  return Boolean(process.argv[1]) && resolve(process.argv[1]) === fileURLToPath(metaUrl);
}

export function importUrl(path) {
  return pathToFileURL(path).href;
}

/**
 * Body of a contender script: parses the JSON argument, runs `fn`, and prints
 * one result line. `fn` returns { status: 'ok', ms, detail } or
 * { status: 'unavailable', reason }; a throw is reported as 'failed'.
 */
export async function runContender(fn) {
  let result;
  try {
    const args = JSON.parse(process.argv[2] ?? '{}');
    result = await fn(args);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    result = { status: 'failed', reason: msg.split('\n')[0] };
  }
  result.maxRSSKB = process.resourceUsage().maxRSS;
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(result)}\n`);
}

/**
 * CPU milliseconds of the child processes this process has waited for
 * (cutime + cstime in /proc/self/stat, in USER_HZ = 100 ticks per second),
 * or 0 where /proc is missing.
 */
function childrenCpuMs() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state); cutime and cstime are fields 16 and 17.
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Wall and CPU milliseconds spent in `op`, and its return value. CPU counts
 * this process and the children it spawned and waited for during `op`
 * (collectEscapes runs the go command).
 */
export async function timed(op) {
  const c0 = process.cpuUsage();
  const k0 = childrenCpuMs();
  const t0 = performance.now();
  const value = await op();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000 + (childrenCpuMs() - k0), value };
}

let timeBinary;
export function gnuTime() {
  if (timeBinary === undefined) {
    timeBinary = null;
    try {
      accessSync('/usr/bin/time', constants.X_OK);
      timeBinary = '/usr/bin/time';
    } catch {
      // Peak RSS of external commands is then unknown.
    }
  }
  return timeBinary;
}

/**
 * Runs one command and waits for it. stdout/stderr go to files (or
 * /dev/null), never through the parent, so piping costs nothing to measure.
 * Returns { code, signal, wallMs, cpuMs | null, peakRSSKB | null, stdoutFile, stderrFile }.
 */
export function measureProcess({ cmd, args, cwd, env, stdoutFile, stderrFile, timeFile }) {
  const time = gnuTime();
  const argv = time ? [time, '-f', '%e %M %U %S', '-o', timeFile, cmd, ...args] : [cmd, ...args];
  const out = openSync(stdoutFile, 'w');
  const err = openSync(stderrFile, 'w');
  return new Promise((resolvePromise) => {
    const t0 = performance.now();
    const child = spawn(argv[0], argv.slice(1), { cwd, env, stdio: ['ignore', out, err] });
    let spawnError = null;
    child.on('error', (e) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - t0;
      closeSync(out);
      closeSync(err);
      let peakRSSKB = null;
      let cpuMs = null;
      if (time) {
        try {
          // GNU time prefixes "Command exited with non-zero status N" on failure.
          const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop() ?? '';
          const [, kb, user, sys] = last.split(/\s+/).map(Number);
          if (Number.isFinite(kb) && kb > 0) peakRSSKB = kb;
          if (Number.isFinite(user) && Number.isFinite(sys)) cpuMs = (user + sys) * 1000;
          rmSync(timeFile, { force: true });
        } catch {
          // No figure.
        }
      }
      resolvePromise({ code: spawnError ? -1 : code, signal, spawnError, wallMs, cpuMs, peakRSSKB, stdoutFile, stderrFile });
    });
  });
}

/** The result line a contender script printed, or null. */
export function readResultLine(stdoutFile) {
  let text = '';
  try {
    text = readFileSync(stdoutFile, 'utf8');
  } catch {
    return null;
  }
  const line = text.split('\n').findLast((l) => l.startsWith(RESULT_PREFIX));
  if (!line) return null;
  try {
    return JSON.parse(line.slice(RESULT_PREFIX.length));
  } catch {
    return null;
  }
}

/** First non-empty line of a file, shortened, for error messages. */
export function firstLine(file, max = 160) {
  try {
    const line = readFileSync(file, 'utf8').split('\n').find((l) => l.trim() !== '') ?? '';
    return line.length > max ? `${line.slice(0, max)}…` : line;
  } catch {
    return '';
  }
}

export function median(xs) {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const m = v.length >> 1;
  return v.length % 2 === 1 ? v[m] : (v[m - 1] + v[m]) / 2;
}
