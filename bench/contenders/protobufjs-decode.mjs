// Contender c: the ordinary protobufjs object decode of the same bytes, using
// the schema in proto/profile.proto (loaded before the clock starts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { isMain, runContender, timed } from '../lib/harness.mjs';

export default {
  id: 'protobufjs',
  group: 'decode',
  label: 'protobufjs object decode (in process)',
  timed: 'read + gunzip + Profile.decode',
  kind: 'script',
  script: import.meta.url,
  unavailable: () => null,
  args: (ctx) => ({ root: ctx.root, profile: ctx.profile }),
};

if (isMain(import.meta.url)) {
  await runContender(async ({ root, profile }) => {
    const { default: protobuf } = await import('protobufjs');
    const Profile = protobuf.loadSync(join(root, 'proto/profile.proto')).lookupType('perftools.profiles.Profile');
    const { ms, cpuMs, value } = await timed(() => Profile.decode(gunzipSync(readFileSync(profile))));
    // Touch the result so the decode cannot be skipped.
    return { status: 'ok', ms, cpuMs, detail: { samples: value.sample.length, locations: value.location.length, functions: value.function.length } };
  });
}
