// Preloaded into a CLI run (node --import) to record its peak resident set
// size: at exit, VmHWM from /proc/self/status (KiB; threads share it) is
// written to the file named by ADVISOR_MAXRSS_FILE. Not
// process.resourceUsage().maxRSS: Linux carries that over from the forking
// parent (the test runner) across exec.
import { readFileSync, writeFileSync } from 'node:fs';

process.on('exit', () => {
  const file = process.env.ADVISOR_MAXRSS_FILE;
  if (!file) return;
  const m = /^VmHWM:\s*(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
  writeFileSync(file, m ? m[1] : 'NaN');
});
