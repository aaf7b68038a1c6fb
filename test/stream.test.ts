// Large gzipped profiles are inflated and decoded at once (parseProfileBytesAsync):
// for every real and damaged input, forced down that path, the result or the
// error must be exactly what the one-shot path (parseProfileBytes) gives.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, parseProfileBytes, parseProfileBytesAsync } from '../src/profile/load.js';
import { ProfileDecoder } from '../src/profile/decode.js';
import { loadProfile } from '../src/profile/index.js';
import type { Profile } from '../src/profile/model.js';
import { REALWORLD } from './helpers/realworld.js';


const inputs = [
  ...readdirSync(path.join(REALWORLD, 'profiles')).map((f) => path.join(REALWORLD, 'profiles', f)),
  ...readdirSync(path.join(REALWORLD, 'malformed'))
    .filter((f) => f !== 'README.tsv')
    .map((f) => path.join(REALWORLD, 'malformed', f)),
  path.resolve(__dirname, '../samples/service/allocs.pb.gz'),
].sort();

// All of a profile, as a hash (vitest's deep equality takes seconds on the large ones).
function digest(p: Profile): string {
  const h = createHash('sha256');
  const { samples, ...rest } = p;
  for (const [k, v] of Object.entries(samples)) {
    h.update(k);
    if (ArrayBuffer.isView(v)) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else h.update(JSON.stringify(v));
  }
  h.update(JSON.stringify(rest));
  return h.digest('hex');
}

function outcome(run: () => Profile): { ok: string } | { error: string } {
  try {
    return { ok: digest(run()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function outcomeAsync(run: () => Promise<Profile>): Promise<{ ok: string } | { error: string }> {
  try {
    return { ok: digest(await run()) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe('streaming gunzip and decode', () => {
  test.each(inputs.map((f) => [path.basename(f), f]))('%s', async (name, file) => {
    const bytes = readFileSync(file);
    const once = outcome(() => parseProfileBytes(bytes, name));
    // streamMinBytes 0: every gzipped input takes the streaming path.
    const streamed = await outcomeAsync(() => parseProfileBytesAsync(bytes, name, DEFAULT_LIMITS, 0));
    expect(streamed).toEqual(once);
  });

  test('a profile of several inflated chunks decodes as in one piece', async () => {
    // 4 MB raw: the gunzip stream delivers it in 1 MiB chunks, and fields
    // straddle the chunk boundaries.
    const { generateProfile } = await import('../bench/gen-profile.mjs');
    const gz = gzipSync(generateProfile({ samples: 60_000, functions: 4_000, seed: 3 }).bytes);
    const once = outcome(() => parseProfileBytes(gz, 'x'));
    expect(once).toHaveProperty('ok');
    expect(await outcomeAsync(() => parseProfileBytesAsync(gz, 'x'))).toEqual(once);
  });

  test('a large gzipped file is streamed from disk with the same result, and the same errors', async () => {
    const { generateProfile } = await import('../bench/gen-profile.mjs');
    const gz = gzipSync(generateProfile({ samples: 60_000, functions: 4_000, seed: 4 }).bytes);
    expect(gz.length).toBeGreaterThan(1 << 20);
    const dir = mkdtempSync(path.join(tmpdir(), 'advisor-stream-'));
    try {
      const whole = path.join(dir, 'whole.pb.gz');
      const cut = path.join(dir, 'cut.pb.gz');
      writeFileSync(whole, gz);
      writeFileSync(cut, gz.subarray(0, gz.length - 5000));
      for (const file of [whole, cut]) {
        const once = outcome(() => parseProfileBytes(readFileSync(file), file));
        expect(await outcomeAsync(() => loadProfile(file))).toEqual(once);
      }
      expect(outcome(() => parseProfileBytes(readFileSync(cut), cut))).toEqual({ error: expect.stringMatching(/truncated gzip/) });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a profile fed a byte at a time decodes as in one piece', () => {
    const raw = readFileSync(path.join(REALWORLD, 'malformed', 'derived__uncompressed__KrishanBhalla_mem.prof.pb'));
    const d = new ProfileDecoder('x', undefined, raw.length);
    let decoded = 0;
    for (let i = 0; i < raw.length; i++) {
      d.push(raw.subarray(i, i + 1));
      // Each top-level field is decoded as soon as its last byte arrives.
      expect(d.position).toBeGreaterThanOrEqual(decoded);
      decoded = d.position;
    }
    expect(d.position).toBe(raw.length);
    expect(digest(d.finish())).toBe(digest(parseProfileBytes(raw, 'x')));
  });

  test('errors name the byte in the whole message, whatever the pieces', () => {
    const raw = Buffer.from(readFileSync(path.join(REALWORLD, 'malformed', 'derived__uncompressed__KrishanBhalla_mem.prof.pb')));
    // A last top-level field 16 (unknown) with wire type 7 (there is no such wire type).
    const bad = Buffer.concat([raw, Buffer.from([0x87, 0x01])]);
    const once = outcome(() => parseProfileBytes(bad, 'x'));
    expect(once).toEqual({ error: `x: not a valid profile.proto message: unexpected wire type 7 at byte ${bad.length}` });
    const d = new ProfileDecoder('x', undefined, bad.length);
    const pieces = outcome(() => {
      for (let i = 0; i < bad.length; i += 997) d.push(bad.subarray(i, i + 997));
      return d.finish();
    });
    expect(pieces).toEqual(once);
  });

  test('the size cap holds while streaming, with the one-shot message', async () => {
    const bytes = readFileSync(path.resolve(__dirname, '../samples/service/allocs.pb.gz'));
    const limits = { ...DEFAULT_LIMITS, maxDecompressedBytes: 4096 };
    const once = outcome(() => parseProfileBytes(bytes, 'x', limits));
    expect(once).toEqual({ error: expect.stringMatching(/decompresses to more than/) });
    expect(await outcomeAsync(() => parseProfileBytesAsync(bytes, 'x', limits, 0))).toEqual(once);
  });

  test('a gzip trailer with a wrong size is the same corruption on both paths', async () => {
    const raw = readFileSync(path.join(REALWORLD, 'malformed', 'derived__uncompressed__KrishanBhalla_mem.prof.pb'));
    const gz = Buffer.from(gzipSync(raw));
    gz.writeUInt32LE(16, gz.length - 4); // ISIZE: 16 bytes
    // zlib checks ISIZE at the end of the stream: both paths report the same corruption.
    const once = outcome(() => parseProfileBytes(gz, 'x'));
    expect(once).toEqual({ error: 'x: corrupt gzip data (incorrect length check)' });
    expect(await outcomeAsync(() => parseProfileBytesAsync(gz, 'x', DEFAULT_LIMITS, 0))).toEqual(once);
  });

  test('concatenated gzip members decode as one profile on both paths', async () => {
    const raw = readFileSync(path.join(REALWORLD, 'malformed', 'derived__uncompressed__KrishanBhalla_mem.prof.pb'));
    const cut = 1000;
    const gz = Buffer.concat([gzipSync(raw.subarray(0, cut)), gzipSync(raw.subarray(cut))]);
    const once = outcome(() => parseProfileBytes(gz, 'x'));
    expect(once).toHaveProperty('ok');
    expect(await outcomeAsync(() => parseProfileBytesAsync(gz, 'x', DEFAULT_LIMITS, 0))).toEqual(once);
  });
});
