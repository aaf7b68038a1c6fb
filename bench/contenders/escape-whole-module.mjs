// Contender f1: what the issue compares against, escape analysis of the whole
// module: `go build -gcflags=-m=2 ./...` (the flag applies to the packages
// named on the command line, i.e. every package of the module, not to std).
// run.mjs hands it a fresh copy of bench/out/bigmod; see there for why.

export default {
  id: 'escape-whole-module',
  group: 'escape',
  label: '`go build -gcflags=-m=2 ./...` (whole module)',
  timed: 'whole process',
  kind: 'command',
  module: 'fresh',
  unavailable: (ctx) => (ctx.goVersion ? null : 'go not found'),
  command(ctx, run) {
    return {
      cmd: 'go',
      args: ['build', '-gcflags=-m=2', './...'],
      cwd: run.moduleDir,
      env: ctx.goEnv,
    };
  },
  validate: (run) => (run.code === 0 ? null : `exit ${run.code}`),
};
