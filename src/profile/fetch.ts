// Fetching a live profile over HTTP(S), the way `go tool pprof URL` does
// (google/pprof internal/driver/fetch.go, adjustURL and fetchURL):
// - `--seconds N` becomes the query parameter seconds=N on any URL. For
//   /debug/pprof/profile it is the CPU profile's duration; for allocs, heap
//   and the other runtime profiles net/http/pprof (Go >= 1.16) answers with a
//   delta profile over those N seconds (older servers answer 400, which is
//   passed on).
// - Without --seconds, a seconds=N already in the URL still lengthens the
//   wait, since the server only answers after N seconds.
// - The whole exchange (connect, wait, body) has one deadline.
// The profile's bytes are returned as served (only a Content-Encoding a proxy
// added is undone); parseProfileBytes detects the profile's own gzip.
//
// node:http is used rather than fetch(): it reports connection errors by
// code (ECONNREFUSED, ENOTFOUND, ...), accepts credentials we turn into a
// header ourselves, and never decompresses behind our back. Redirects are
// followed like Go's http.Client (at most 10; Authorization is only sent to
// the original origin).
import http from 'node:http';
import https from 'node:https';
import { AdvisorError } from '../errors.js';
import { formatSize } from '../model/units.js';
import { readCapped, type CappedRead } from './capped.js';
import { gunzipCapped } from './load.js';

export interface FetchOptions {
  /** Profile duration for CPU profiles, delta window for allocs/heap: sent as seconds=N. */
  seconds?: number;
  /** Deadline for the whole exchange, before adding the seconds the server profiles for. Default 60000. */
  timeoutMs?: number;
  /** Most bytes the answer may have (the CLI passes --max-decompressed). */
  maxBytes: number;
  /**
   * Called with 0 when the answer's headers arrive, then after every chunk.
   * total is the Content-Length, or null when the server did not send one.
   */
  onProgress?: (received: number, total: number | null) => void;
  signal?: AbortSignal;
}

export const DEFAULT_TIMEOUT_MS = 60_000;
const MAX_REDIRECTS = 10;
const ERROR_BODY_BYTES = 64 * 1024;
const PPROF_HINT = 'is the program running with net/http/pprof?';
const PATH_HINT = 'is the path right? try /debug/pprof/allocs';

/** True for arguments advisor fetches instead of reading from disk: http:// and https:// URLs. */
export function isUrl(arg: string): boolean {
  return /^https?:\/\/[^\s/?#]/i.test(arg);
}

/**
 * A profile argument as `go tool pprof` reads it (its adjustURL): an existing
 * file is a file; otherwise `host:port[/path]`, `[::1]:port` or `:port`
 * without a scheme means http://. A URL without a path gets `defaultPath`
 * (pprof's is /debug/pprof/profile, the CPU profile; advisor passes
 * /debug/pprof/allocs for heap profiles and the CPU path for --cpu).
 */
export function profileSource(arg: string, defaultPath: string, isFile: (p: string) => boolean): string {
  if (arg === '-' || isFile(arg)) return arg;
  let url = arg;
  if (!isUrl(arg)) {
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][A-Za-z0-9.-]*)?:\d{1,5}([/?#]\S*)?$/.test(arg)) return arg;
    url = `http://${arg}`;
  }
  const m = /^([a-z]+:\/\/[^/?#]*)\/?([?#].*)?$/i.exec(url);
  return m ? `${m[1]}${defaultPath}${m[2] ?? ''}` : url;
}

// Query parameters whose values are credentials: token, access_token,
// api_key, apikey, key, sig, signature, X-Amz-Signature, X-Amz-Credential,
// X-Amz-Security-Token, pass, password, passphrase, pw, secret, auth,
// session, sid, cookie, jwt, bearer, ...
const SECRET_PARAM =
  /(?:^|[_.-])(?:token|key|apikey|sig|signature|secret|pass|password|passwd|passphrase|pwd|pw|credential|credentials|auth|authorization|session|sessionid|sid|cookie|jwt|bearer)$/i;

function decodeLoose(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

/**
 * The URL as it may be printed: without user:password, and with the values of
 * token-like query parameters replaced by ***. Works on the raw text, so a
 * URL that does not parse is redacted too and the rest keeps its spelling.
 */
export function redactUrl(url: string): string {
  // Up to the last @ of the authority, as URL parsers read it.
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
  out = out.replace(/([?&;])([^=&#;]*)=([^&#;]*)/g, (m, sep: string, k: string) => (SECRET_PARAM.test(decodeLoose(k)) ? `${sep}${k}=***` : m));
  return out;
}

/** The secret strings in a URL (password, user name, token values), for scrubbing free text. */
function secretsOf(url: URL): string[] {
  const out: string[] = [];
  for (const raw of [url.username, url.password]) {
    if (raw) out.push(raw, decodeLoose(raw));
  }
  // The Authorization header's value, in case a server echoes it back.
  if (url.username || url.password) out.push(basicCredentials(url));
  for (const [k, v] of url.searchParams) {
    if (SECRET_PARAM.test(k) && v) out.push(v, encodeURIComponent(v));
  }
  // Longest first, so a secret inside another is not left half-replaced.
  return [...new Set(out)].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

function basicCredentials(url: URL): string {
  return Buffer.from(`${decodeLoose(url.username)}:${decodeLoose(url.password)}`).toString('base64');
}

function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join('***');
  return out;
}

/**
 * pprof's adjustURL: sets seconds=N when --seconds is given, otherwise reads
 * a seconds=N the URL already has. Returns the URL to request and the
 * profiling duration in seconds (0 when none).
 */
export function profileUrl(url: URL, seconds: number | undefined): { url: URL; seconds: number } {
  const u = new URL(url.href);
  if (seconds !== undefined) {
    u.searchParams.set('seconds', String(seconds));
    return { url: u, seconds };
  }
  const inUrl = Number.parseInt(u.searchParams.get('seconds') ?? '', 10);
  return { url: u, seconds: Number.isFinite(inUrl) && inUrl > 0 ? inUrl : 0 };
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s < 10 ? s.toFixed(1) : Math.round(s)} s`;
}

/** Squeezes a server's answer into one printable line. */
export function oneLine(text: string, max = 200): string {
  let t = text;
  if (/^\s*</.test(t)) {
    t = t.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ').replace(/<[^>]*>/g, ' ');
  }
  t = t.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** A network error as the one-line cause a user can act on. */
export function describeRequestError(err: NodeJS.ErrnoException, url: URL): string {
  const code = err.code ?? '';
  switch (code) {
    case 'ECONNREFUSED':
      return `connection refused — ${PPROF_HINT}`;
    case 'ENOTFOUND':
      return `DNS lookup of ${url.hostname} failed (no such host)`;
    case 'EAI_AGAIN':
      return `DNS lookup of ${url.hostname} failed (temporary failure; is the network up?)`;
    case 'ECONNRESET':
      return 'the connection was reset before the answer was complete';
    case 'EPIPE':
      return 'the server closed the connection';
    case 'ETIMEDOUT':
      return 'the connection timed out';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host (unreachable)';
    case 'EADDRNOTAVAIL':
      return 'the address is not available on this machine';
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
    case 'EPROTO':
      return 'TLS handshake failed; does the server speak plain http? try http:// instead of https://';
    case 'ERR_INVALID_URL':
      return 'not a valid URL';
  }
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT_ALTNAME/.test(code)) {
    return `TLS certificate not accepted (${err.message}); if it is signed by a private CA, point NODE_EXTRA_CA_CERTS at that CA's certificate`;
  }
  if (code.startsWith('HPE_')) return `the server did not answer with HTTP (${err.message})`;
  return err.message || code || 'unknown network error';
}

interface Attempt {
  signal: AbortSignal;
  headers: Record<string, string>;
}

function request(u: URL, a: Attempt): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const mod = u.protocol === 'https:' ? https : http;
    // agent: false: one connection, closed afterwards, so no idle socket
    // keeps the process alive.
    const req = mod.request(u, { method: 'GET', headers: a.headers, agent: false, signal: a.signal }, resolve);
    req.on('error', reject);
    req.end();
  });
}

function readBody(res: http.IncomingMessage, cap: number, signal: AbortSignal, onChunk: (received: number) => void): Promise<CappedRead> {
  // A connection closed mid-body ends with 'close' and no 'end'.
  return readCapped(res, cap, { signal, onChunk, isComplete: () => res.complete });
}

const TIMEOUT = Symbol('timeout');

function looksLikeHtml(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64)).toString('latin1').replace(/^[\s\ufeff\xef\xbb\xbf]+/, '');
  return head.startsWith('<');
}

function isHtmlType(res: http.IncomingMessage): boolean {
  return /^\s*(text\/html|application\/xhtml)/i.test(String(res.headers['content-type'] ?? ''));
}

/**
 * Fetches a profile's bytes from an http(s) URL. Every failure is a one-line
 * AdvisorError('fetching profile', ...) naming the redacted URL.
 */
export async function fetchProfileBytes(url: string, opts: FetchOptions): Promise<Uint8Array> {
  const shown0 = redactUrl(url);
  if (!isUrl(url)) throw new AdvisorError('usage', `${shown0} is not an http:// or https:// URL`);
  if (opts.seconds !== undefined && !(Number.isInteger(opts.seconds) && opts.seconds >= 1)) {
    throw new AdvisorError('usage', `--seconds must be a whole number of seconds, at least 1 (got ${opts.seconds})`);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new AdvisorError('usage', `--timeout must be a positive number of seconds (got ${timeoutMs / 1000})`);
  }
  if (!(opts.maxBytes > 0)) throw new AdvisorError('usage', `the size limit must be positive (got ${opts.maxBytes})`);

  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AdvisorError('fetching profile', `${shown0}: not a valid URL`);
  }
  const secrets = secretsOf(parsed);
  const { url: target, seconds } = profileUrl(parsed, opts.seconds);
  const headers: Record<string, string> = { 'User-Agent': 'advisor', 'Accept-Encoding': 'identity', Accept: '*/*' };
  if (target.username || target.password) {
    headers.Authorization = `Basic ${basicCredentials(target)}`;
    target.username = '';
    target.password = '';
  }
  const shown = redactUrl(target.href);
  const fail = (why: string): never => {
    throw new AdvisorError('fetching profile', scrub(`${shown}: ${why}`, secrets));
  };

  const totalMs = timeoutMs + seconds * 1000;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(TIMEOUT), totalMs);
  const onOuterAbort = () => controller.abort(opts.signal?.reason);
  if (opts.signal?.aborted) controller.abort(opts.signal.reason);
  opts.signal?.addEventListener('abort', onOuterAbort);
  let received = 0;
  const failAborted = (): never => {
    if (controller.signal.reason !== TIMEOUT) return fail('cancelled');
    const limit = seconds ? `${formatSeconds(totalMs)} (--timeout ${formatSeconds(timeoutMs)} plus the ${seconds} s the server profiles for)` : formatSeconds(totalMs);
    return fail(received > 0 ? `the answer stalled after ${formatSize(received)}; not complete within ${limit}; raise --timeout` : `no answer within ${limit}; raise --timeout`);
  };

  try {
    let current = target;
    let res: http.IncomingMessage;
    for (let hops = 0; ; hops++) {
      try {
        res = await request(current, { signal: controller.signal, headers });
      } catch (e) {
        if (controller.signal.aborted) return failAborted();
        const why = describeRequestError(e as NodeJS.ErrnoException, current);
        if ((e as NodeJS.ErrnoException).code === 'ECONNREFUSED' || /DNS lookup/.test(why)) {
          throw new AdvisorError('fetching profile', scrub(`could not connect to ${redactUrl(current.href)}: ${why}`, secrets));
        }
        return fail(why);
      }
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      if (![301, 302, 303, 307, 308].includes(status) || !location) break;
      res.resume();
      if (hops + 1 >= MAX_REDIRECTS) return fail(`stopped after ${MAX_REDIRECTS} redirects`);
      let next: URL;
      try {
        next = new URL(location, current);
      } catch {
        return fail(`redirected to an invalid URL (${oneLine(location, 100)})`);
      }
      if (next.protocol !== 'http:' && next.protocol !== 'https:') return fail(`redirected to a ${next.protocol} URL, which advisor does not fetch`);
      if (next.origin !== target.origin) delete headers.Authorization;
      current = next;
    }

    const status = res.statusCode ?? 0;
    if (status !== 200) {
      const { bytes } = await readBody(res, ERROR_BODY_BYTES, controller.signal, () => {}).catch(() => ({ bytes: Buffer.alloc(0) }));
      const text = oneLine(scrub(bytes.toString('utf8'), secrets));
      const head = `answered ${status}${res.statusMessage ? ` ${oneLine(res.statusMessage, 60)}` : ''}`;
      const hint = status === 404 ? `; ${PATH_HINT}` : status === 401 || status === 403 ? '; does it need credentials (https://user:password@host/...)?' : '';
      return fail(text ? `${head}: ${text}${hint}` : `${head}${hint}`);
    }
    if (isHtmlType(res)) {
      res.destroy();
      return fail(`answered with an HTML page, not a profile: ${PATH_HINT}`);
    }
    const lengthHeader = res.headers['content-length'];
    const total = lengthHeader !== undefined && /^\d+$/.test(lengthHeader) ? Number(lengthHeader) : null;
    const tooLarge = `answered more than ${formatSize(opts.maxBytes)}; raise --max-decompressed`;
    if (total !== null && total > opts.maxBytes) {
      res.destroy();
      return fail(tooLarge);
    }
    opts.onProgress?.(0, total);
    let body: { bytes: Buffer; overflow: boolean };
    try {
      body = await readBody(res, opts.maxBytes, controller.signal, (n) => {
        received = n;
        opts.onProgress?.(n, total);
      });
    } catch (e) {
      if (controller.signal.aborted) return failAborted();
      return fail(describeRequestError(e as NodeJS.ErrnoException, current));
    }
    if (body.overflow) return fail(tooLarge);
    let bytes: Uint8Array = body.bytes;
    const encoding = String(res.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
    if (encoding === 'gzip' || encoding === 'x-gzip') {
      bytes = gunzipCapped(bytes, shown, opts.maxBytes);
    } else if (encoding !== 'identity' && encoding !== '') {
      return fail(`answered with Content-Encoding ${oneLine(encoding, 40)}, which advisor cannot decode`);
    }
    if (looksLikeHtml(bytes)) return fail(`answered with an HTML page, not a profile: ${PATH_HINT}`);
    return bytes;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', onOuterAbort);
  }
}
