// Contenders f2 and f3: advisor's escape stage, `collectEscapes` from
// dist/escape/run.js, given the files of the 3 hot packages the way a profile
// names them (absolute paths). f2 starts with an empty advisor cache; f3 runs
// again on the same module copy with the cache f2 filled.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importUrl, isMain, runContender, timed } from '../lib/harness.mjs';

const base = {
  group: 'escape',
  timed: 'collectEscapes(...)',
  kind: 'script',
  script: import.meta.url,
  unavailable(ctx) {
    if (!ctx.goVersion) return 'go not found';
    return existsSync(join(ctx.root, 'dist/escape/run.js')) ? null : 'dist/escape/run.js not built';
  },
  args: (ctx, run) => ({
    root: ctx.root,
    srcDir: run.moduleDir,
    files: ctx.module.hot.flatMap((h) => h.files.map((f) => join(run.moduleDir, f))),
    cacheDir: run.cacheDir,
  }),
};

export const advisorHot = {
  ...base,
  id: 'escape-advisor',
  label: 'advisor escape stage, 3 hot packages (`collectEscapes`, empty cache)',
  module: 'fresh',
};

export const advisorHotCached = {
  ...base,
  id: 'escape-advisor-cached',
  label: 'advisor escape stage, same again with its cache warm',
  module: 'reuse:escape-advisor',
};

export default [advisorHot, advisorHotCached];

if (isMain(import.meta.url)) {
  await runContender(async ({ root, srcDir, files, cacheDir }) => {
    let mod;
    try {
      mod = await import(importUrl(join(root, 'dist/escape/run.js')));
    } catch (err) {
      return { status: 'unavailable', reason: `cannot import dist/escape/run.js: ${err.message.split('\n')[0]}` };
    }
    if (typeof mod.collectEscapes !== 'function') {
      return { status: 'unavailable', reason: 'dist/escape/run.js has no collectEscapes export' };
    }
    const { ms, cpuMs, value } = await timed(() => mod.collectEscapes({ srcDir, files, cacheDir }));
    if (!value || !Array.isArray(value.findings)) throw new Error('collectEscapes returned no findings array');
    const statuses = {};
    for (const p of value.packages ?? []) statuses[p.status] = (statuses[p.status] ?? 0) + 1;
    if (value.findings.length === 0) {
      throw new Error(`no findings (source ${value.source}; ${(value.notes ?? []).join('; ') || 'no notes'})`);
    }
    return { status: 'ok', ms, cpuMs, detail: { findings: value.findings.length, packages: statuses, source: value.source } };
  });
}
