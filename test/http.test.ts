// Live profiles over HTTP: a real Go program serving net/http/pprof, and an
// in-process Node server that misbehaves in every way a fetch can go wrong.
// Loopback only.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOC_PATTERN, cpuCost, GC_PATTERN } from '../src/cpu/index.js';
import { AdvisorError } from '../src/errors.js';
import { fetchProfileBytes } from '../src/profile/fetch.js';
import { DEFAULT_LIMITS, parseProfileBytes } from '../src/profile/index.js';
import { rankProfile } from '../src/rank/index.js';

const MiB = 1024 * 1024;
const ROOT = path.resolve(import.meta.dirname, '..');
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function fetchError(url: string, opts: Partial<Parameters<typeof fetchProfileBytes>[1]> = {}): Promise<AdvisorError> {
  try {
    await fetchProfileBytes(url, { maxBytes: 64 * MiB, timeoutMs: 10_000, ...opts });
  } catch (e) {
    expect(e).toBeInstanceOf(AdvisorError);
    const err = e as AdvisorError;
    expect(err.message).not.toContain('\n');
    return err;
  }
  throw new Error(`fetching ${url} did not fail`);
}

describe('a real Go program with net/http/pprof', () => {
  let dir = '';
  let child: ChildProcess | null = null;
  let base = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'advisor-http-'));
    const bin = path.join(dir, 'server');
    execFileSync('go', ['build', '-o', bin, './test/fixtures/http/server/main.go'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawn(bin, ['-http', '127.0.0.1:0', '-life', '5m'], { stdio: ['pipe', 'pipe', 'inherit'] });
    const proc = child;
    // Its first stdout line names the port it got.
    base = await new Promise<string>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
      proc.stdout!.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /^listening on (127\.0\.0\.1:\d+)\n/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(`http://${m[1]}`);
        }
      });
      proc.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
    });
  });

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI takes a URL and a --cpu URL, and reports the CPU cost of allocation', () => {
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, `${base}/debug/pprof/allocs`, '--cpu', `${base}/debug/pprof/profile`, '--seconds', '1', '-f', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.profile.sources).toEqual([`${base}/debug/pprof/allocs`]);
    expect(report.cpu.allocShare + report.cpu.gcShare).toBeGreaterThan(0);
    expect(report.cpu.note).toMatch(/estimate/i);
    const withCpu = report.findings.filter((f: { estimate: { cpuShare?: number } }) => typeof f.estimate.cpuShare === 'number');
    expect(withCpu.length).toBe(report.findings.length);
    // The delta profile over --seconds carries its duration, so rates are per second.
    expect(report.profile.durationNanos).toBeGreaterThan(0);
  });

  it('takes host:port without a scheme, as go tool pprof does: allocs for the profile, /debug/pprof/profile for --cpu', () => {
    const hostPort = base.slice('http://'.length);
    const cli = path.join(ROOT, 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, hostPort, '-cpu', hostPort, '-seconds', '1', '-f', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.profile.sources).toEqual([`${base}/debug/pprof/allocs`]);
    expect(report.profile.sampleType).toBe('alloc_space');
    expect(report.cpu.source).toBe(`${base}/debug/pprof/profile`);
  });

  it('fetches allocs and a 1 s CPU profile at once, then decodes, ranks and costs them', async () => {
    const progress: Array<[number, number | null]> = [];
    const started = Date.now();
    const [allocBytes, cpuBytes] = await Promise.all([
      fetchProfileBytes(`${base}/debug/pprof/allocs`, { maxBytes: DEFAULT_LIMITS.maxDecompressedBytes, onProgress: (r, t) => progress.push([r, t]) }),
      fetchProfileBytes(`${base}/debug/pprof/profile`, { seconds: 1, maxBytes: DEFAULT_LIMITS.maxDecompressedBytes }),
    ]);
    // The CPU profile takes the second it was asked for.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);

    // net/http/pprof answers gzipped protobuf; the bytes come back untouched.
    expect([allocBytes[0], allocBytes[1]]).toEqual([0x1f, 0x8b]);
    // First the headers (Go sends Content-Length for a small answer), then the body.
    expect(progress[0][0]).toBe(0);
    expect([null, allocBytes.length]).toContain(progress[0][1]);
    expect(progress.at(-1)![0]).toBe(allocBytes.length);

    const heap = parseProfileBytes(allocBytes, `${base}/debug/pprof/allocs`, DEFAULT_LIMITS);
    const ranking = rankProfile(heap, { module: 'main' });
    expect(ranking.choice.sampleType.type).toBe('alloc_space');
    expect(ranking.total).toBeGreaterThan(0);
    const top = ranking.sites.filter((s) => s.userCode).map((s) => s.function);
    expect(top[0]).toMatch(/^main\.(newRecord|buildRecords)$/);

    const cpu = parseProfileBytes(cpuBytes, `${base}/debug/pprof/profile`, DEFAULT_LIMITS);
    expect(cpu.durationNanos).toBeGreaterThanOrEqual(0.9e9);
    const cost = cpuCost(cpu, 'live');
    // The program does little but allocate.
    expect(cost.allocShare).toBeGreaterThan(0.05);
    expect(cost.totalShare).toBeGreaterThan(cost.allocShare);
    expect(cost.totalShare).toBeLessThanOrEqual(1);
    // The same split as `go tool pprof -focus` makes on this Go's runtime names.
    const file = path.join(dir, 'cpu.pb.gz');
    writeFileSync(file, cpuBytes);
    const pprofShare = (focus: string, ignore?: string) => {
      const args = ['tool', 'pprof', '-symbolize=none', '-top', '-sample_index=cpu', '-unit=ns', '-nodefraction=0', '-edgefraction=0', '-nodecount=1000000', `-focus=${focus}`];
      if (ignore) args.push(`-ignore=${ignore}`);
      const out = execFileSync('go', [...args, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      const m = /Showing nodes accounting for (\d+)(?:ns)?, [\d.]+% of (\d+)ns total/.exec(out);
      if (!m) throw new Error(out);
      return Number(m[1]) / Number(m[2]);
    };
    expect(cost.gcShare).toBeCloseTo(pprofShare(GC_PATTERN), 12);
    expect(cost.allocShare).toBeCloseTo(pprofShare(ALLOC_PATTERN, GC_PATTERN), 12);
  });

  it('asks for a delta allocs profile with seconds=N', async () => {
    const bytes = await fetchProfileBytes(`${base}/debug/pprof/allocs`, { seconds: 1, maxBytes: 64 * MiB });
    const p = parseProfileBytes(bytes, 'allocs?seconds=1', DEFAULT_LIMITS);
    // A delta profile covers the window it was asked for (net/http/pprof
    // sets its duration), unlike the cumulative one.
    expect(p.durationNanos).toBeGreaterThanOrEqual(0.9e9);
    expect(p.durationNanos).toBeLessThan(30e9);
    expect(rankProfile(p).total).toBeGreaterThan(0);
  });

  it('passes the server’s own error through, in one line', async () => {
    const err = await fetchError(`${base}/debug/pprof/nosuchprofile`);
    expect(err.stage).toBe('fetching profile');
    expect(err.message).toBe(`${base}/debug/pprof/nosuchprofile: answered 404 Not Found: Unknown profile; is the path right? try /debug/pprof/allocs`);
  });

  it('recognises the pprof index page as HTML', async () => {
    const err = await fetchError(`${base}/debug/pprof/`);
    expect(err.message).toBe(`${base}/debug/pprof/: answered with an HTML page, not a profile: is the path right? try /debug/pprof/allocs`);
  });
});

describe('a server that misbehaves', () => {
  let server: http.Server;
  let base = '';
  let refusedPort = 0;
  const seen: { authorization?: string; url?: string } = {};
  const bigBody = Buffer.alloc(2 * MiB, 7);

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.authorization = req.headers.authorization;
      seen.url = req.url;
      const u = new URL(req.url ?? '/', 'http://x');
      switch (u.pathname) {
        case '/500':
          res.writeHead(500, { 'Content-Type': 'text/plain' });
          res.end(`could not enable CPU profiling:\n\tcpu profiling already in use ${'x'.repeat(400)}`);
          return;
        case '/echo-secret':
          // A server that echoes what it was sent must not leak it through us.
          res.writeHead(403, { 'Content-Type': 'text/plain' });
          res.end(`denied for ${req.headers.authorization} with token ${u.searchParams.get('token')}`);
          return;
        case '/html':
          res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
          res.end('<!DOCTYPE html><html><body>dashboard</body></html>');
          return;
        case '/html-untyped':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.end('\n  <html><body>login</body></html>');
          return;
        case '/slow':
          // Headers, a few bytes, then nothing: the deadline must still hold.
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.write(Buffer.from([0x1f, 0x8b]));
          return;
        case '/silent':
          return; // never answers
        case '/big':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': String(bigBody.length) });
          res.end(bigBody);
          return;
        case '/big-chunked':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          for (let i = 0; i < 32; i++) res.write(bigBody.subarray(i * 65536, (i + 1) * 65536));
          res.end();
          return;
        case '/auth': {
          const want = `Basic ${Buffer.from('alice:s3cr3t-pass').toString('base64')}`;
          if (req.headers.authorization !== want) {
            res.writeHead(401, { 'Content-Type': 'text/plain' });
            res.end('unauthorized');
            return;
          }
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          res.end(gzipSync(Buffer.from('not really a profile')));
          return;
        }
        case '/gzip-encoded':
          res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' });
          res.end(gzipSync(Buffer.from([0x0a, 0x02, 0x08, 0x01])));
          return;
        case '/redirect':
          res.writeHead(302, { Location: '/auth' });
          res.end();
          return;
        case '/loop':
          res.writeHead(302, { Location: '/loop' });
          res.end();
          return;
        default:
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('404 page not found\n');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A port that was just open and is now closed: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    refusedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('connection refused', async () => {
    const url = `http://127.0.0.1:${refusedPort}/debug/pprof/allocs`;
    const err = await fetchError(url);
    expect(err.line()).toBe(`fetching profile: could not connect to ${url}: connection refused — is the program running with net/http/pprof?`);
  });

  it('a 500 answer: status and the start of the body on one line', async () => {
    const err = await fetchError(`${base}/500`);
    expect(err.message).toMatch(new RegExp(`^${base}/500: answered 500 Internal Server Error: could not enable CPU profiling: cpu profiling already in use x+…$`));
    const text = err.message.slice(err.message.indexOf('could not'));
    expect(text.length).toBe(200);
  });

  it('an HTML page, by Content-Type or by its first byte', async () => {
    for (const p of ['/html', '/html-untyped']) {
      const err = await fetchError(`${base}${p}`);
      expect(err.message).toBe(`${base}${p}: answered with an HTML page, not a profile: is the path right? try /debug/pprof/allocs`);
    }
  });

  it('a server too slow to answer, or stalling mid-body', async () => {
    let t0 = Date.now();
    let err = await fetchError(`${base}/silent`, { timeoutMs: 300 });
    expect(err.message).toBe(`${base}/silent: no answer within 0.3 s; raise --timeout`);
    expect(Date.now() - t0).toBeLessThan(5000);
    t0 = Date.now();
    err = await fetchError(`${base}/slow`, { timeoutMs: 300 });
    expect(err.message).toBe(`${base}/slow: the answer stalled after 2 B; not complete within 0.3 s; raise --timeout`);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('the deadline grows by the seconds asked for, and seconds=N is sent', async () => {
    const t0 = Date.now();
    const err = await fetchError(`${base}/silent?debug=0`, { timeoutMs: 300, seconds: 1 });
    expect(seen.url).toBe('/silent?debug=0&seconds=1');
    expect(err.message).toBe(`${base}/silent?debug=0&seconds=1: no answer within 1.3 s (--timeout 0.3 s plus the 1 s the server profiles for); raise --timeout`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1200);
  });

  it('an answer larger than the limit, with and without Content-Length', async () => {
    const progress: number[] = [];
    for (const p of ['/big', '/big-chunked']) {
      const err = await fetchError(`${base}${p}`, { maxBytes: 256 * 1024, onProgress: (r) => progress.push(r) });
      expect(err.message).toBe(`${base}${p}: answered more than 256 KiB; raise --max-decompressed`);
    }
    // /big is refused from its header; /big-chunked is read up to the cap.
    expect(Math.max(...progress)).toBeLessThanOrEqual(256 * 1024);
    const ok = await fetchProfileBytes(`${base}/big`, { maxBytes: 4 * MiB });
    expect(ok.length).toBe(bigBody.length);
  });

  it('sends URL credentials as basic auth and never prints them', async () => {
    const bytes = await fetchProfileBytes(`http://alice:s3cr3t-pass@127.0.0.1:${new URL(base).port}/auth`, { maxBytes: MiB });
    expect(seen.authorization).toBe(`Basic ${Buffer.from('alice:s3cr3t-pass').toString('base64')}`);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    // Redirects on the same origin keep the credentials.
    await fetchProfileBytes(`http://alice:s3cr3t-pass@127.0.0.1:${new URL(base).port}/redirect`, { maxBytes: MiB });

    const host = `127.0.0.1:${new URL(base).port}`;
    const errors = [
      await fetchError(`http://alice:s3cr3t-pass@${host}/echo-secret?token=tok-123456&x=1`),
      await fetchError(`http://alice:wrong-pass@${host}/auth?access_token=tok-123456`),
      await fetchError(`http://alice:s3cr3t-pass@127.0.0.1:${refusedPort}/debug/pprof/allocs?sig=tok-123456`),
      await fetchError(`http://alice:s3cr3t-pass@${host}/silent?key=tok-123456`, { timeoutMs: 200 }),
    ];
    const basic = Buffer.from('alice:s3cr3t-pass').toString('base64');
    for (const e of errors) {
      for (const secret of ['s3cr3t-pass', 'wrong-pass', 'alice', 'tok-123456', basic]) expect(e.message).not.toContain(secret);
    }
    expect(errors[0].message).toBe(`http://${host}/echo-secret?token=***&x=1: answered 403 Forbidden: denied for Basic *** with token ***; does it need credentials (https://user:password@host/...)?`);
    expect(errors[1].message).toBe(`http://${host}/auth?access_token=***: answered 401 Unauthorized: unauthorized; does it need credentials (https://user:password@host/...)?`);
  });

  it('undoes a Content-Encoding: gzip a proxy added', async () => {
    const bytes = await fetchProfileBytes(`${base}/gzip-encoded`, { maxBytes: MiB });
    expect([...bytes]).toEqual([0x0a, 0x02, 0x08, 0x01]);
  });

  it('gives up on a redirect loop', async () => {
    const err = await fetchError(`${base}/loop`);
    expect(err.message).toBe(`${base}/loop: stopped after 10 redirects`);
  });

  it('https to a plain-http server says so', async () => {
    const err = await fetchError(`https://127.0.0.1:${new URL(base).port}/debug/pprof/allocs`);
    expect(err.message).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/allocs: TLS handshake failed; does the server speak plain http\? try http:\/\/ instead of https:\/\/$/);
  });

  it.skipIf(!hasOpenssl)('https with a certificate nobody trusts names the TLS problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'advisor-tls-'));
    const key = path.join(dir, 'key.pem');
    const cert = path.join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const tls = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('profile'));
    try {
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve));
      const url = `https://127.0.0.1:${(tls.address() as AddressInfo).port}/debug/pprof/allocs`;
      const err = await fetchError(url);
      expect(err.message).toBe(`${url}: TLS certificate not accepted (self-signed certificate); if it is signed by a private CA, point NODE_EXTRA_CA_CERTS at that CA's certificate`);
    } finally {
      tls.closeAllConnections();
      await new Promise<void>((resolve) => tls.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops when the caller cancels', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const err = await fetchError(`${base}/silent`, { signal: ac.signal });
    expect(err.message).toBe(`${base}/silent: cancelled`);
  });
});
