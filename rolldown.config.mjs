// Bundles the compiled CLI (dist/cli.js, from tsc) and its dependencies into
// one file, written over dist/cli.js. Node then loads one module instead of
// about a hundred (yargs alone is dozens): the CLI reaches its main function
// in about 150 ms instead of 330 ms on the 2-core development machine. The
// other files in dist/ stay as tsc wrote them, for library use and for the
// ranking's worker thread (dist/rank/walk-worker.js).
import { defineConfig } from 'rolldown';

export default defineConfig({
  input: 'dist/cli.js',
  platform: 'node',
  output: { file: 'dist/cli.js', format: 'esm' },
});
