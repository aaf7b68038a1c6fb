// Setup of `npm run test:unit` (vitest.unit.config.ts): the unit tests start
// no processes (no Go compiler, no go tool pprof, no git, no CLI), so this
// makes every way of starting one throw. A test that needs a process belongs
// in the list of integration files in vitest.unit.config.ts.
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';

const SPAWNERS = ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const;

for (const name of SPAWNERS) {
  Object.defineProperty(childProcess, name, {
    configurable: true,
    writable: true,
    value: () => {
      throw new Error(`child_process.${name}: unit tests start no processes; list this test file in vitest.unit.config.ts's INTEGRATION`);
    },
  });
}
// ES module imports of node:child_process see the replacements too.
syncBuiltinESMExports();
