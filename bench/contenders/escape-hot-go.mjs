// Reference for f2: plain `go build -gcflags=-m=2` of the three hot packages
// only, with no parsing at all. It shows how fast "compile only the hot
// packages" can be on this machine whatever advisor adds on top.

export default {
  id: 'escape-hot-go',
  group: 'escape',
  label: '`go build -gcflags=-m=2` of the 3 hot packages only (reference, no parsing)',
  timed: 'whole process',
  kind: 'command',
  module: 'fresh',
  unavailable: (ctx) => (ctx.goVersion ? null : 'go not found'),
  command(ctx, run) {
    return {
      cmd: 'go',
      args: ['build', '-gcflags=-m=2', ...ctx.module.hot.map((h) => `./${h.dir}`)],
      cwd: run.moduleDir,
      env: ctx.goEnv,
    };
  },
  validate: (run) => (run.code === 0 ? null : `exit ${run.code}`),
};
