// Contender e: Go's own pprof, the reference the ranking must match:
// `go tool pprof -top -sample_index=alloc_space PROFILE`, output to /dev/null.

export default {
  id: 'go-pprof-top',
  group: 'decode',
  label: '`go tool pprof -top -sample_index=alloc_space`',
  timed: 'whole process',
  kind: 'command',
  unavailable: (ctx) => (ctx.goVersion ? null : 'go not found'),
  command(ctx) {
    return {
      cmd: 'go',
      args: ['tool', 'pprof', '-top', '-sample_index=alloc_space', ctx.profile],
      cwd: ctx.outDir,
      env: { ...process.env, GOTOOLCHAIN: 'local' },
      stdout: '/dev/null',
    };
  },
  validate: (run) => (run.code === 0 ? null : `exit ${run.code}`),
};
