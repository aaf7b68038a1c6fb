// Contender: advisor's ranking stage alone, in process. The profile is
// decoded first (timed too, in the same process, so the two figures share
// the machine's state), then `rankProfile` ranks it at alloc_space as the CLI
// does. The row's time is the ranking; the decode time goes into the
// ranking-to-decode target.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importUrl, isMain, runContender, timed } from '../lib/harness.mjs';

export default {
  id: 'advisor-rank',
  group: 'decode',
  label: 'advisor ranking (`rankProfile` after `loadProfile`, in process)',
  timed: 'rankProfile(profile)',
  kind: 'script',
  script: import.meta.url,
  unavailable(ctx) {
    return existsSync(join(ctx.root, 'dist/rank/index.js')) ? null : 'dist/rank/index.js not built';
  },
  args: (ctx) => ({ root: ctx.root, profile: ctx.profile }),
};

if (isMain(import.meta.url)) {
  await runContender(async ({ root, profile }) => {
    const load = await import(importUrl(join(root, 'dist/profile/index.js')));
    const rank = await import(importUrl(join(root, 'dist/rank/index.js')));
    const decoded = await timed(() => load.loadProfile(profile));
    const { ms, cpuMs, value } = await timed(() => rank.rankProfile(decoded.value));
    if (!Array.isArray(value?.functions)) throw new Error('rankProfile returned no functions');
    return {
      status: 'ok',
      ms,
      cpuMs,
      detail: { decodeMs: decoded.ms, decodeCpuMs: decoded.cpuMs, functions: value.functions.length, sites: value.sites.length },
    };
  });
}
