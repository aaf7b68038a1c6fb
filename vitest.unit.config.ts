// `npm run test:unit`: the pure tests, in seconds. Everything but the files
// that start processes (the CLI, the Go compiler, go tool pprof, git, a
// browser, a live Go server) and the sweeps that take tens of seconds each
// (property-based fuzzing, every real profile through the decoder and the
// ranking); a setup file makes starting a process an error, so a test that
// needs one cannot slip in here. `npm test` runs everything.
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

/** Test files that start processes: `npm test` only. */
export const INTEGRATION = [
  'test/browser.test.ts',
  'test/cli.test.ts',
  'test/compare.test.ts',
  'test/containment.test.ts',
  'test/http.test.ts',
  'test/limits.test.ts',
  'test/oracle.test.ts',
  'test/processes.test.ts',
  'test/realworld.test.ts',
  'src/advise/samples.test.ts',
  'src/cpu/oracle.test.ts',
  'src/escape/run.test.ts',
  'src/git/changed.test.ts',
  // On main since this list was made (the Go compiler, the CLI):
  'src/advise/rules/examples.test.ts',
  'src/syntax/syntax.test.ts',
  'test/weekly.test.ts',
  'test/pairs.test.ts',
  'test/cli-golden.test.ts',
  'src/model/names.test.ts',
  'test/cpurate.test.ts',
  'test/freshclone.test.ts',
  'test/goflags.test.ts',
  'test/install.test.ts',
  'test/progress.test.ts',
  'test/repository.test.ts',
  'test/mechanisms.test.ts',
];

/** Pure, but sweeps of the real-profile corpus or property-based fuzzing: `npm test` only. */
export const SWEEPS = [
  'test/escaping.test.ts',
  'test/fuzz.test.ts',
  'test/stream.test.ts',
  'src/profile/decode.test.ts',
  'src/rank/parallel.test.ts',
  'src/rank/sites.test.ts',
];

export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: ['**/node_modules/**', ...INTEGRATION, ...SWEEPS],
      setupFiles: ['test/setup/no-processes.ts'],
    },
  }),
);
