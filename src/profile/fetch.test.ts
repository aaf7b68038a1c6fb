// Pure parts of fetching; the network cases are in test/http.test.ts.
import { describe, expect, it } from 'vitest';
import { AdvisorError } from '../errors.js';
import { describeRequestError, fetchProfileBytes, isUrl, oneLine, profileUrl, redactUrl } from './fetch.js';

describe('isUrl', () => {
  it('takes http and https URLs only', () => {
    expect(isUrl('http://localhost:6060/debug/pprof/allocs')).toBe(true);
    expect(isUrl('HTTPS://prod.example.com/debug/pprof/heap')).toBe(true);
    expect(isUrl('http://u:p@[::1]:6060/x')).toBe(true);
    expect(isUrl('mem.pb.gz')).toBe(false);
    expect(isUrl('./http://weird-file-name')).toBe(false);
    expect(isUrl('localhost:6060/debug/pprof/heap')).toBe(false);
    expect(isUrl('ftp://host/file')).toBe(false);
    expect(isUrl('http://')).toBe(false);
    expect(isUrl('-')).toBe(false);
  });
});

describe('redactUrl', () => {
  it('drops user:password, up to the last @ of the authority', () => {
    expect(redactUrl('http://alice:s3cret@host:6060/debug/pprof/allocs')).toBe('http://host:6060/debug/pprof/allocs');
    expect(redactUrl('https://alice@host/x')).toBe('https://host/x');
    expect(redactUrl('http://alice:p@ss@host/x?a=b@c')).toBe('http://host/x?a=b@c');
  });
  it('masks token-like query values and keeps the rest as written', () => {
    expect(redactUrl('http://h/debug/pprof/profile?seconds=30&token=abc&x=%20y')).toBe('http://h/debug/pprof/profile?seconds=30&token=***&x=%20y');
    expect(redactUrl('http://h/p?access_token=a&key=b&sig=c&api_key=d&X-Amz-Signature=e&X-Amz-Credential=f&monkey=g')).toBe(
      'http://h/p?access_token=***&key=***&sig=***&api_key=***&X-Amz-Signature=***&X-Amz-Credential=***&monkey=g',
    );
  });
  it('masks pass, pw, passphrase, session and jwt values too (issue 18)', () => {
    expect(redactUrl('http://h/debug/pprof/allocs?user=me&pass=hunter2&db_pass=x&pw=y&passphrase=z&session=s&jwt=j&compass=north')).toBe(
      'http://h/debug/pprof/allocs?user=me&pass=***&db_pass=***&pw=***&passphrase=***&session=***&jwt=***&compass=north',
    );
  });
  it('redacts text that is not a valid URL too', () => {
    expect(redactUrl('http://bob:pw@exa mple/?token=zz')).toBe('http://exa mple/?token=***');
  });
});

describe('profileUrl (pprof adjustURL)', () => {
  it('sets seconds=N from --seconds, replacing one in the URL', () => {
    const r = profileUrl(new URL('http://h:1/debug/pprof/profile?seconds=30&debug=0'), 5);
    expect(r.url.href).toBe('http://h:1/debug/pprof/profile?seconds=5&debug=0');
    expect(r.seconds).toBe(5);
    expect(profileUrl(new URL('http://h:1/debug/pprof/allocs'), 10).url.href).toBe('http://h:1/debug/pprof/allocs?seconds=10');
  });
  it('reads seconds=N from the URL without --seconds, and leaves the URL alone', () => {
    const r = profileUrl(new URL('http://h:1/debug/pprof/profile?seconds=20'), undefined);
    expect(r.url.href).toBe('http://h:1/debug/pprof/profile?seconds=20');
    expect(r.seconds).toBe(20);
    expect(profileUrl(new URL('http://h:1/debug/pprof/heap'), undefined).seconds).toBe(0);
    expect(profileUrl(new URL('http://h:1/debug/pprof/heap?seconds=abc'), undefined).seconds).toBe(0);
  });
});

describe('describeRequestError', () => {
  const u = new URL('http://no-such-host.invalid:6060/debug/pprof/allocs');
  const err = (code: string, message = code): NodeJS.ErrnoException => Object.assign(new Error(message), { code });
  it('names the cause a user can act on', () => {
    expect(describeRequestError(err('ECONNREFUSED'), u)).toBe('connection refused — is the program running with net/http/pprof?');
    expect(describeRequestError(err('ENOTFOUND', 'getaddrinfo ENOTFOUND no-such-host.invalid'), u)).toBe('DNS lookup of no-such-host.invalid failed (no such host)');
    expect(describeRequestError(err('EAI_AGAIN'), u)).toMatch(/^DNS lookup of no-such-host\.invalid failed \(temporary failure/);
    expect(describeRequestError(err('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'), u)).toBe(
      "TLS certificate not accepted (self-signed certificate); if it is signed by a private CA, point NODE_EXTRA_CA_CERTS at that CA's certificate",
    );
    expect(describeRequestError(err('HPE_INVALID_CONSTANT', 'Parse Error: Expected HTTP/'), u)).toBe('the server did not answer with HTTP (Parse Error: Expected HTTP/)');
  });
});

describe('message helpers', () => {
  it('oneLine strips markup and control characters and cuts at 200', () => {
    expect(oneLine('<html><head><style>p{}</style></head><body><h1>502 Bad Gateway</h1>\r\n</body></html>')).toBe('502 Bad Gateway');
    expect(oneLine('a\n\tb\u001b[31m c')).toBe('a b [31m c');
    const long = oneLine('x'.repeat(500));
    expect(long.length).toBe(200);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('fetchProfileBytes option checks', () => {
  it('refuses bad --seconds and --timeout as usage errors, before any connection', async () => {
    const opts = { maxBytes: 1024 };
    await expect(fetchProfileBytes('http://127.0.0.1:1/x', { ...opts, seconds: 0 })).rejects.toThrowError(/--seconds must be a whole number of seconds, at least 1 \(got 0\)/);
    await expect(fetchProfileBytes('http://127.0.0.1:1/x', { ...opts, seconds: 1.5 })).rejects.toThrowError(AdvisorError);
    await expect(fetchProfileBytes('http://127.0.0.1:1/x', { ...opts, timeoutMs: -5 })).rejects.toThrowError(/--timeout must be a positive number/);
    await expect(fetchProfileBytes('mem.pb.gz', opts)).rejects.toThrowError(/is not an http:\/\/ or https:\/\/ URL/);
  });
});
