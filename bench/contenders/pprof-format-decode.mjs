// Contender d: DataDog's pprof-format codec (hand-tuned decoder) on the same bytes.

import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { isMain, runContender, timed } from '../lib/harness.mjs';

export default {
  id: 'pprof-format',
  group: 'decode',
  label: 'pprof-format `Profile.decode` (in process)',
  timed: 'read + gunzip + Profile.decode',
  kind: 'script',
  script: import.meta.url,
  unavailable: () => null,
  args: (ctx) => ({ profile: ctx.profile }),
};

if (isMain(import.meta.url)) {
  await runContender(async ({ profile }) => {
    const { Profile } = await import('pprof-format');
    const { ms, cpuMs, value } = await timed(() => Profile.decode(gunzipSync(readFileSync(profile))));
    return { status: 'ok', ms, cpuMs, detail: { samples: value.sample.length, locations: value.location.length, functions: value.function.length } };
  });
}
