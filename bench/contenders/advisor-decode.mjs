// Contender b: advisor's profile stage alone, in process: read, gunzip,
// decode, resolve, validate (`loadProfile` from dist/profile/index.js).

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importUrl, isMain, runContender, timed } from '../lib/harness.mjs';

export default {
  id: 'advisor-decode',
  group: 'decode',
  label: 'advisor decode only (`loadProfile`, in process)',
  timed: 'loadProfile(path)',
  kind: 'script',
  script: import.meta.url,
  unavailable(ctx) {
    return existsSync(join(ctx.root, 'dist/profile/index.js')) ? null : 'dist/profile/index.js not built';
  },
  args: (ctx) => ({ root: ctx.root, profile: ctx.profile }),
};

if (isMain(import.meta.url)) {
  await runContender(async ({ root, profile }) => {
    let mod;
    try {
      mod = await import(importUrl(join(root, 'dist/profile/index.js')));
    } catch (err) {
      return { status: 'unavailable', reason: `cannot import dist/profile/index.js: ${err.message.split('\n')[0]}` };
    }
    if (typeof mod.loadProfile !== 'function') {
      return { status: 'unavailable', reason: 'dist/profile/index.js has no loadProfile export' };
    }
    const { ms, cpuMs, value } = await timed(() => mod.loadProfile(profile));
    const count = value?.samples?.count;
    if (typeof count !== 'number') throw new Error('loadProfile returned no samples.count');
    return { status: 'ok', ms, cpuMs, detail: { samples: count, locations: value.locations?.length, functions: value.functions?.length } };
  });
}
