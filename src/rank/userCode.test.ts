import { describe, expect, test } from 'vitest';
import { isStdlibFile, packagePathOf, userCodePredicate } from './userCode.js';

describe('user code', () => {
  test('package paths of Go symbols', () => {
    expect(packagePathOf('github.com/acme/svc/internal/api.(*Server).Handle')).toBe('github.com/acme/svc/internal/api');
    expect(packagePathOf('main.main.func1')).toBe('main');
    expect(packagePathOf('encoding/json.Marshal')).toBe('encoding/json');
    expect(packagePathOf('github.com/x/y.F[go.shape.struct { A int }]')).toBe('github.com/x/y');
  });

  test('standard-library files, but not a GOPATH checkout', () => {
    expect(isStdlibFile('/usr/local/go/src/log/log.go')).toBe(true);
    expect(isStdlibFile('$GOROOT/src/runtime/mgc.go')).toBe(true);
    expect(isStdlibFile('/usr/lib/go-1.19/src/fmt/print.go')).toBe(true);
    expect(isStdlibFile('/home/me/go/src/github.com/acme/svc/main.go')).toBe(false);
    expect(isStdlibFile('/home/ci/src/svc/main.go')).toBe(false);
  });

  test('with a module: its functions and main, except stdlib closures inlined into main', () => {
    const isUser = userCodePredicate({ module: 'example.com/svc' });
    expect(isUser('example.com/svc/internal/api.readBody', '/app/internal/api/codec.go')).toBe(true);
    expect(isUser('main.main', '/app/cmd/svc/main.go')).toBe(true);
    expect(isUser('main.main.Print.func3', '/usr/local/go/src/log/log.go')).toBe(false);
    expect(isUser('fmt.Sprintf', '/usr/local/go/src/fmt/print.go')).toBe(false);
    expect(isUser('github.com/other/lib.F', '/root/go/pkg/mod/github.com/other/lib@v1.2.3/f.go')).toBe(false);
  });

  test('without a module: everything outside std, vendor and the module cache', () => {
    const isUser = userCodePredicate({});
    expect(isUser('github.com/acme/svc.F', '/src/svc/f.go')).toBe(true);
    expect(isUser('main.main', '/src/svc/main.go')).toBe(true);
    expect(isUser('encoding/json.Marshal', '/usr/local/go/src/encoding/json/encode.go')).toBe(false);
    expect(isUser('internal/poll.(*FD).Read', '')).toBe(false);
    expect(isUser('github.com/dep/x.F', '/root/go/pkg/mod/github.com/dep/x@v1.0.0/x.go')).toBe(false);
    expect(isUser('github.com/dep/x.F', 'github.com/dep/x@v1.0.0/x.go')).toBe(false);
    expect(isUser('github.com/acme/svc/vendor/github.com/dep/x.F', '/src/svc/vendor/github.com/dep/x/x.go')).toBe(false);
  });

  test('a file that is not editable (generated) is not user code, whatever its package', () => {
    const asked: string[] = [];
    const isUser = userCodePredicate({
      module: 'example.com/svc',
      editable: (f) => {
        asked.push(f);
        return !f.endsWith('zz_generated.deepcopy.go');
      },
    });
    expect(isUser('example.com/svc/api.(*Pod).DeepCopy', '/app/api/zz_generated.deepcopy.go')).toBe(false);
    expect(isUser('example.com/svc/api.Handle', '/app/api/handler.go')).toBe(true);
    expect(isUser('example.com/svc/api.Handle', '/app/api/handler.go')).toBe(true);
    // Only the module's own frames are asked about, and each file once.
    expect(isUser('fmt.Sprintf', '/usr/local/go/src/fmt/print.go')).toBe(false);
    expect(asked).toEqual(['/app/api/zz_generated.deepcopy.go', '/app/api/handler.go']);
  });
});
