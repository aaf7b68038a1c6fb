#!/usr/bin/env node
// Writes a synthetic Go heap profile for `npm run bench`.
//
//   node bench/gen-profile.mjs [--samples N] [--functions N] [--seed N] [--out FILE] [--small] [--force] [--verify]
//
// --verify then checks the file: wire layout, a pprof-format decode, and
// `go tool pprof -top` reading it (bench/lib/verify-profile.mjs).
//
// The file imitates what Go's runtime/pprof `writeHeapProto` emits
// (runtime/pprof/protomem.go and proto.go), byte layout included, because a
// decoder's speed depends on those details:
// - period_type space/bytes, period 524288, then the four sample types
//   alloc_objects/count, alloc_space/bytes, inuse_objects/count, inuse_space/bytes;
// - Samples interleaved with the Locations they first reference, each Location
//   followed by the Functions it introduced (so a Location names function ids
//   not yet seen), then time_nanos, the Mappings, and the string table last;
// - inside a Sample, `value` before `location_id`; a repeated field is packed
//   only with more than 2 entries (runtime/pprof/protobuf.go), so short stacks
//   are unpacked;
// - one numeric label `bytes` (the average object size) per sample, omitted
//   when alloc_objects is 0;
// - values scaled to unsampled estimates as `scaleHeapSample` does;
// - leading runtime frames hidden, except stacks made only of runtime frames;
// - stacks 5..60 frames deep, plus some goroutine stacks of 2-3 frames
//   (a goroutine's own function allocating) and runtime-only ones;
// - some Locations with 2-3 Lines (inlined calls: line[0] innermost);
// - recursion, so one function appears several times in a stack;
// - gzip at BestSpeed, as runtime/pprof does.
// Everything comes from a seeded PRNG, so the same parameters give the same bytes.
// A sidecar FILE.json records the parameters; a matching one skips regeneration.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync, constants as zc } from 'node:zlib';
import { createRng } from './lib/rng.mjs';
import { WireWriter } from './lib/wire.mjs';

const GENERATOR_VERSION = 3;
const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const LARGE_PROFILE = resolve(BENCH_DIR, 'out/large.pb.gz');
export const SMALL_PROFILE = resolve(BENCH_DIR, 'out/small.pb.gz');
export const LARGE_PARAMS = { samples: 600_000, functions: 30_000, seed: 1 };
export const SMALL_PARAMS = { samples: 20_000, functions: 2_000, seed: 1 };

const RATE = 512 * 1024; // runtime.MemProfileRate default
const MODULE = 'github.com/acme/svc';
const SRC = `/home/ci/src/${MODULE}`;
const GOROOT = '/usr/local/go/src';
const MODCACHE = '/home/ci/go/pkg/mod';
const MAX_DEPTH = 60;
const MIN_DEPTH = 5;

// Go's malloc size classes (runtime/sizeclasses.go), then some large sizes.
const SIZE_CLASSES = [
  8, 16, 24, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256, 288, 320, 352, 384, 416,
  448, 480, 512, 576, 640, 704, 768, 896, 1024, 1152, 1280, 1408, 1536, 1792, 2048, 2304, 2688, 3072, 3200,
  3456, 4096, 4864, 5376, 6144, 6528, 6784, 6912, 8192, 9472, 9728, 10240, 10880, 12288, 13568, 14336,
  16384, 18432, 19072, 20480, 21760, 24576, 27264, 28672, 32768,
];
const LARGE_SIZES = [40960, 49152, 65536, 81920, 131072, 262144, 1048576, 4194304];

/**
 * Builds the function/location universe and the sample stream, and encodes it.
 * Returns the raw (uncompressed) protobuf bytes and a few counts.
 */
export function generateProfile({ samples, functions, seed }) {
  const rng = createRng(seed);

  // ---- functions -------------------------------------------------------
  const fns = []; // see addFn
  const addFn = (name, file, startLine) => {
    // Every field set here, so all function records share one hidden class.
    fns.push({ name, file, startLine, id: 0, calls: [], allocs: [], stdSites: [], selfSite: -1, pkg: null, closures: 0 });
    return fns.length - 1;
  };

  const locs = []; // { lines: [fnIndex, line, fnIndex, line, ...] innermost first, address, id }
  const locIdOf = []; // locs[i].id, kept apart as small integers for the hot loop
  let nextAddress = 0x401000;
  const addLoc = (lines) => {
    nextAddress += 4 + 4 * rng.int(1, 40);
    locs.push({ lines, address: nextAddress, id: 0 });
    locIdOf.push(0);
    return locs.length - 1;
  };
  const lineIn = (fn, lo = 1, hi = 80) => fns[fn].startLine + rng.int(lo, hi);

  // Standard library and runtime functions: real names, plausible files and lines.
  const std = new Map();
  const stdFn = (name, file, startLine) => {
    const root = file.startsWith('golang.org/') ? MODCACHE : GOROOT;
    const idx = addFn(name, `${root}/${file}`, startLine);
    std.set(name, idx);
    return idx;
  };
  const stdLoc = (...pairs) => {
    // pairs: [name, line, name, line, ...], innermost first.
    const lines = [];
    for (let i = 0; i < pairs.length; i += 2) lines.push(std.get(pairs[i]), pairs[i + 1]);
    return addLoc(lines);
  };
  for (const [name, file, start] of [
    ['runtime.main', 'runtime/proc.go', 147],
    ['runtime.doInit1', 'runtime/proc.go', 7320],
    ['runtime.goexit', 'runtime/asm_amd64.s', 1698],
    ['runtime.systemstack', 'runtime/asm_amd64.s', 498],
    ['runtime.newproc.func1', 'runtime/proc.go', 5020],
    ['runtime.newproc1', 'runtime/proc.go', 5036],
    ['runtime.malg', 'runtime/proc.go', 4955],
    ['runtime.gcBgMarkWorker', 'runtime/mgc.go', 1389],
    ['runtime.gcBgMarkStartWorkers', 'runtime/mgc.go', 1312],
    ['fmt.Sprintf', 'fmt/print.go', 237],
    ['fmt.Errorf', 'fmt/errors.go', 22],
    ['fmt.(*pp).doPrintf', 'fmt/print.go', 1021],
    ['fmt.(*pp).printArg', 'fmt/print.go', 697],
    ['fmt.(*pp).fmtString', 'fmt/print.go', 441],
    ['fmt.(*fmt).fmtS', 'fmt/format.go', 355],
    ['fmt.(*fmt).padString', 'fmt/format.go', 108],
    ['fmt.(*buffer).writeString', 'fmt/print.go', 107],
    ['strings.(*Builder).WriteString', 'strings/builder.go', 110],
    ['strings.(*Builder).Grow', 'strings/builder.go', 93],
    ['strings.(*Builder).grow', 'strings/builder.go', 80],
    ['strings.Join', 'strings/strings.go', 452],
    ['strings.genSplit', 'strings/strings.go', 244],
    ['strings.Split', 'strings/strings.go', 310],
    ['strings.Repeat', 'strings/strings.go', 575],
    ['bytes.(*Buffer).WriteString', 'bytes/buffer.go', 178],
    ['bytes.(*Buffer).Write', 'bytes/buffer.go', 168],
    ['bytes.(*Buffer).grow', 'bytes/buffer.go', 118],
    ['bytes.growSlice', 'bytes/buffer.go', 229],
    ['strconv.FormatInt', 'strconv/itoa.go', 25],
    ['strconv.formatBits', 'strconv/itoa.go', 99],
    ['strconv.Quote', 'strconv/quote.go', 107],
    ['strconv.appendQuotedWith', 'strconv/quote.go', 40],
    ['encoding/json.Marshal', 'encoding/json/encode.go', 160],
    ['encoding/json.newEncodeState', 'encoding/json/encode.go', 253],
    ['encoding/json.(*encodeState).marshal', 'encoding/json/encode.go', 283],
    ['encoding/json.(*encodeState).reflectValue', 'encoding/json/encode.go', 326],
    ['encoding/json.structEncoder.encode', 'encoding/json/encode.go', 728],
    ['encoding/json.ptrEncoder.encode', 'encoding/json/encode.go', 866],
    ['encoding/json.sliceEncoder.encode', 'encoding/json/encode.go', 826],
    ['encoding/json.mapEncoder.encode', 'encoding/json/encode.go', 771],
    ['encoding/json.appendString[...]', 'encoding/json/encode.go', 977],
    ['encoding/json.Unmarshal', 'encoding/json/decode.go', 97],
    ['encoding/json.(*decodeState).unmarshal', 'encoding/json/decode.go', 171],
    ['encoding/json.(*decodeState).value', 'encoding/json/decode.go', 366],
    ['encoding/json.(*decodeState).object', 'encoding/json/decode.go', 603],
    ['encoding/json.(*decodeState).array', 'encoding/json/decode.go', 517],
    ['encoding/json.(*decodeState).literalStore', 'encoding/json/decode.go', 860],
    ['reflect.New', 'reflect/value.go', 3280],
    ['reflect.MakeMapWithSize', 'reflect/map.go', 151],
    ['reflect.(*MapIter).Key', 'reflect/map.go', 302],
    ['bufio.NewReaderSize', 'bufio/bufio.go', 47],
    ['bufio.NewReader', 'bufio/bufio.go', 62],
    ['bufio.NewWriterSize', 'bufio/bufio.go', 578],
    ['io.ReadAll', 'io/io.go', 705],
    ['os.ReadFile', 'os/file.go', 837],
    ['errors.New', 'errors/errors.go', 61],
    ['context.WithCancel', 'context/context.go', 235],
    ['context.withCancel', 'context/context.go', 250],
    ['context.WithValue', 'context/context.go', 723],
    ['context.WithDeadline', 'context/context.go', 625],
    ['context.WithDeadlineCause', 'context/context.go', 632],
    ['time.AfterFunc', 'time/sleep.go', 168],
    ['time.newTimer', 'time/sleep.go', 142],
    ['sync.(*Pool).Get', 'sync/pool.go', 129],
    ['sort.Slice', 'sort/slice.go', 21],
    ['internal/reflectlite.Swapper', 'internal/reflectlite/swapper.go', 17],
    ['regexp.(*Regexp).FindAllString', 'regexp/regexp.go', 1208],
    ['regexp.(*Regexp).allMatches', 'regexp/regexp.go', 786],
    ['regexp.(*Regexp).doExecute', 'regexp/exec.go', 527],
    ['regexp.(*bitState).reset', 'regexp/backtrack.go', 87],
    ['net/http.(*conn).serve', 'net/http/server.go', 1991],
    ['net/http.(*conn).readRequest', 'net/http/server.go', 1008],
    ['net/http.readRequest', 'net/http/request.go', 1104],
    ['net/http.newBufioReader', 'net/http/server.go', 845],
    ['net/http.serverHandler.ServeHTTP', 'net/http/server.go', 3202],
    ['net/http.(*ServeMux).ServeHTTP', 'net/http/server.go', 2732],
    ['net/http.HandlerFunc.ServeHTTP', 'net/http/server.go', 2219],
    ['net/http.Header.Clone', 'net/http/header.go', 96],
    ['net/http.(*Request).WithContext', 'net/http/request.go', 356],
    ['net/textproto.(*Reader).ReadMIMEHeader', 'net/textproto/reader.go', 495],
    ['net/textproto.readMIMEHeader', 'net/textproto/reader.go', 509],
    ['net/textproto.canonicalMIMEHeaderKey', 'net/textproto/reader.go', 652],
    ['golang.org/x/sync/errgroup.(*Group).Go.func1', 'golang.org/x/sync@v0.10.0/errgroup/errgroup.go', 75],
  ]) {
    stdFn(name, file, start);
  }

  // Std tails: what happens below a user call into the standard library.
  // Each builder returns Location indices root-first; `room` caps recursion
  // so stacks stay within MAX_DEPTH.
  const once = (fn) => {
    let cached = null;
    return () => (cached ??= fn());
  };
  const sl = {
    sprintf: once(() => stdLoc('fmt.Sprintf', 239)),
    sprintfLeaf: once(() => stdLoc('fmt.Sprintf', 240)),
    doPrintf: once(() => stdLoc('fmt.(*pp).doPrintf', 1075)),
    printArg: once(() => stdLoc('fmt.(*pp).printArg', 759)),
    fmtString: once(() => stdLoc('fmt.(*pp).fmtString', 447)),
    fmtS: once(() => stdLoc('fmt.(*fmt).fmtS', 359)),
    padString: once(() => stdLoc('fmt.(*buffer).writeString', 108, 'fmt.(*fmt).padString', 110)),
    errorf: once(() => stdLoc('fmt.Errorf', 27)),
    errorfLeaf: once(() => stdLoc('fmt.Errorf', 45)),
    sbWrite: once(() => stdLoc('strings.(*Builder).WriteString', 114)),
    sbGrow: once(() => stdLoc('strings.(*Builder).Grow', 98)),
    sbGrowLeaf: once(() => stdLoc('strings.(*Builder).grow', 84)),
    join: once(() => stdLoc('strings.(*Builder).Grow', 98, 'strings.Join', 476)),
    split: once(() => stdLoc('strings.genSplit', 260, 'strings.Split', 311)),
    repeat: once(() => stdLoc('strings.(*Builder).Grow', 98, 'strings.Repeat', 616)),
    bufWriteString: once(() => stdLoc('bytes.(*Buffer).WriteString', 185)),
    bufWrite: once(() => stdLoc('bytes.(*Buffer).Write', 175)),
    bufGrow: once(() => stdLoc('bytes.(*Buffer).grow', 151)),
    growSlice: once(() => stdLoc('bytes.growSlice', 249)),
    formatInt: once(() => stdLoc('strconv.FormatInt', 29)),
    formatBits: once(() => stdLoc('strconv.formatBits', 200)),
    quote: once(() => stdLoc('strconv.appendQuotedWith', 41, 'strconv.Quote', 108)),
    jsonMarshal: once(() => stdLoc('encoding/json.Marshal', 163)),
    jsonMarshalLeaf: once(() => stdLoc('encoding/json.Marshal', 169)),
    jsonNewState: once(() => stdLoc('encoding/json.newEncodeState', 262)),
    jsonMarshalState: once(() => stdLoc('encoding/json.Marshal', 161)),
    jsonMarshal2: once(() => stdLoc('encoding/json.(*encodeState).marshal', 296)),
    jsonReflect: once(() => stdLoc('encoding/json.(*encodeState).reflectValue', 327)),
    jsonStruct: once(() => stdLoc('encoding/json.structEncoder.encode', 761)),
    jsonPtr: once(() => stdLoc('encoding/json.ptrEncoder.encode', 886)),
    jsonSlice: once(() => stdLoc('encoding/json.sliceEncoder.encode', 845)),
    jsonMap: once(() => stdLoc('encoding/json.mapEncoder.encode', 790)),
    jsonMapKeys: once(() => stdLoc('encoding/json.mapEncoder.encode', 781)),
    jsonMapIterKey: once(() => stdLoc('reflect.(*MapIter).Key', 310)),
    jsonAppendString: once(() => stdLoc('encoding/json.appendString[...]', 1003)),
    jsonUnmarshal: once(() => stdLoc('encoding/json.Unmarshal', 115)),
    jsonUnmarshal2: once(() => stdLoc('encoding/json.(*decodeState).unmarshal', 180)),
    jsonValueObj: once(() => stdLoc('encoding/json.(*decodeState).value', 376)),
    jsonValueArr: once(() => stdLoc('encoding/json.(*decodeState).value', 366)),
    jsonValueLit: once(() => stdLoc('encoding/json.(*decodeState).value', 386)),
    jsonObjectVal: once(() => stdLoc('encoding/json.(*decodeState).object', 782)),
    jsonArrayVal: once(() => stdLoc('encoding/json.(*decodeState).array', 555)),
    jsonObjectMap: once(() => stdLoc('encoding/json.(*decodeState).object', 632)),
    jsonObjectNew: once(() => stdLoc('reflect.New', 3312)),
    jsonObjectNewCaller: once(() => stdLoc('encoding/json.(*decodeState).object', 753)),
    jsonMakeMap: once(() => stdLoc('reflect.MakeMapWithSize', 160)),
    jsonArrayGrow: once(() => stdLoc('encoding/json.(*decodeState).array', 540)),
    jsonLiteral: once(() => stdLoc('encoding/json.(*decodeState).literalStore', 1021)),
    bufioReader: once(() => stdLoc('bufio.NewReaderSize', 57, 'bufio.NewReader', 63)),
    bufioWriter: once(() => stdLoc('bufio.NewWriterSize', 591)),
    readAll: once(() => stdLoc('io.ReadAll', 712)),
    readFile: once(() => stdLoc('os.ReadFile', 867)),
    withCancel: once(() => stdLoc('context.WithCancel', 237)),
    withCancelLeaf: once(() => stdLoc('context.withCancel', 254)),
    withValue: once(() => stdLoc('context.WithValue', 737)),
    withDeadline: once(() => stdLoc('context.WithDeadline', 627)),
    withDeadlineCause: once(() => stdLoc('context.WithDeadlineCause', 652)),
    afterFunc: once(() => stdLoc('time.AfterFunc', 171)),
    newTimer: once(() => stdLoc('time.newTimer', 145)),
    poolGet: once(() => stdLoc('sync.(*Pool).Get', 155)),
    sortSlice: once(() => stdLoc('sort.Slice', 22)),
    swapper: once(() => stdLoc('internal/reflectlite.Swapper', 74)),
    findAll: once(() => stdLoc('regexp.(*Regexp).FindAllString', 1213)),
    allMatches: once(() => stdLoc('regexp.(*Regexp).allMatches', 804)),
    doExecute: once(() => stdLoc('regexp.(*Regexp).doExecute', 547)),
    bitReset: once(() => stdLoc('regexp.(*bitState).reset', 97)),
    headerClone: once(() => stdLoc('net/http.Header.Clone', 106)),
    withContext: once(() => stdLoc('net/http.(*Request).WithContext', 362)),
    // Roots.
    runtimeMain: once(() => stdLoc('runtime.main', 283)),
    runtimeMainInit: once(() => stdLoc('runtime.main', 237)),
    doInit1: once(() => stdLoc('runtime.doInit1', 7350)),
    goexit: once(() => stdLoc('runtime.goexit', 1700)),
    connServe: once(() => stdLoc('net/http.(*conn).serve', 2092)),
    connServeRead: once(() => stdLoc('net/http.(*conn).serve', 2044)),
    connServeBufio: once(() => stdLoc('net/http.newBufioReader', 853, 'net/http.(*conn).serve', 2027)),
    readRequest: once(() => stdLoc('net/http.(*conn).readRequest', 1068)),
    httpReadRequest: once(() => stdLoc('net/http.readRequest', 1140)),
    readMIME: once(() => stdLoc('net/textproto.(*Reader).ReadMIMEHeader', 496)),
    readMIMELeaf: once(() => stdLoc('net/textproto.readMIMEHeader', 600)),
    readMIMEKey: once(() => stdLoc('net/textproto.canonicalMIMEHeaderKey', 667, 'net/textproto.readMIMEHeader', 572)),
    serverHandler: once(() => stdLoc('net/http.serverHandler.ServeHTTP', 3210)),
    serveMux: once(() => stdLoc('net/http.(*ServeMux).ServeHTTP', 2747)),
    handlerFunc: once(() => stdLoc('net/http.HandlerFunc.ServeHTTP', 2220)),
    errgroup: once(() => stdLoc('golang.org/x/sync/errgroup.(*Group).Go.func1', 78)),
    systemstack: once(() => stdLoc('runtime.systemstack', 514)),
    newprocFunc1: once(() => stdLoc('runtime.newproc.func1', 5023)),
    newproc1: once(() => stdLoc('runtime.newproc1', 5050)),
    malg: once(() => stdLoc('runtime.malg', 4962)),
    bgMark: once(() => stdLoc('runtime.gcBgMarkWorker', 1397)),
  };
  const repeatPair = (out, a, b, n) => {
    for (let i = 0; i < n; i++) out.push(a(), b());
  };
  // Each tail: { weight, min (shortest length), size: () => bytes, build(room) -> loc[] }.
  const small = () => rng.pick([16, 24, 32, 48, 64]);
  const medium = () => SIZE_CLASSES[rng.int(8, 35)];
  const bigBuf = () => SIZE_CLASSES[rng.int(30, SIZE_CLASSES.length - 1)];
  const STD_TAILS = [
    { weight: 10, min: 1, size: small, build: () => [sl.sprintfLeaf()] },
    {
      weight: 4,
      min: 6,
      size: medium,
      build: () => [sl.sprintf(), sl.doPrintf(), sl.printArg(), sl.fmtString(), sl.fmtS(), sl.padString()],
    },
    { weight: 4, min: 1, size: () => rng.pick([32, 48]), build: () => [sl.errorfLeaf()] },
    { weight: 2, min: 2, size: small, build: () => [sl.errorf(), sl.sprintfLeaf()] },
    { weight: 6, min: 1, size: medium, build: () => [sl.sbWrite()] },
    { weight: 4, min: 2, size: bigBuf, build: () => [sl.sbGrow(), sl.sbGrowLeaf()] },
    { weight: 3, min: 2, size: medium, build: () => [sl.join(), sl.sbGrowLeaf()] },
    { weight: 3, min: 1, size: () => 16 * rng.int(1, 16), build: () => [sl.split()] },
    { weight: 1, min: 2, size: bigBuf, build: () => [sl.repeat(), sl.sbGrowLeaf()] },
    { weight: 4, min: 3, size: bigBuf, build: () => [sl.bufWriteString(), sl.bufGrow(), sl.growSlice()] },
    { weight: 2, min: 3, size: bigBuf, build: () => [sl.bufWrite(), sl.bufGrow(), sl.growSlice()] },
    { weight: 4, min: 2, size: () => rng.pick([8, 16, 24]), build: () => [sl.formatInt(), sl.formatBits()] },
    { weight: 1, min: 1, size: small, build: () => [sl.quote()] },
    { weight: 4, min: 1, size: bigBuf, build: () => [sl.jsonMarshalLeaf()] },
    { weight: 1, min: 2, size: () => 128, build: () => [sl.jsonMarshalState(), sl.jsonNewState()] },
    {
      // Marshal of nested structs: structEncoder/ptrEncoder recurse.
      weight: 5,
      min: 8,
      size: bigBuf,
      build: (room) => {
        const out = [sl.jsonMarshal(), sl.jsonMarshal2(), sl.jsonReflect()];
        repeatPair(out, sl.jsonStruct, sl.jsonPtr, Math.min(rng.int(1, 4), (room - 7) >> 1));
        out.push(rng.chance(0.5) ? sl.jsonSlice() : sl.jsonStruct());
        const leaf = rng.int(0, 2);
        if (leaf === 0) out.push(sl.jsonMap(), sl.jsonAppendString());
        else if (leaf === 1) out.push(sl.jsonMapKeys(), sl.jsonMapIterKey());
        else out.push(sl.bufWriteString(), sl.growSlice());
        return out;
      },
    },
    {
      // Unmarshal into nested objects: value/object recurse.
      weight: 6,
      min: 6,
      size: medium,
      build: (room) => {
        const out = [sl.jsonUnmarshal(), sl.jsonUnmarshal2(), sl.jsonValueObj()];
        const depth = Math.min(rng.int(0, 5), (room - 6) >> 1);
        for (let i = 0; i < depth; i++) {
          if (rng.chance(0.7)) out.push(sl.jsonObjectVal(), sl.jsonValueObj());
          else out.push(sl.jsonArrayVal(), sl.jsonValueObj());
        }
        const leaf = rng.int(0, 4);
        if (leaf === 0) out.push(sl.jsonObjectVal(), sl.jsonValueLit(), sl.jsonLiteral());
        else if (leaf === 1) out.push(sl.jsonObjectMap(), sl.jsonMakeMap());
        else if (leaf === 2) out.push(sl.jsonObjectNewCaller(), sl.jsonObjectNew());
        else if (leaf === 3) out.push(sl.jsonValueArr(), sl.jsonArrayGrow());
        else out.push(sl.jsonObjectVal(), sl.jsonValueLit(), sl.jsonLiteral());
        return out;
      },
    },
    { weight: 2, min: 1, size: () => 4096, build: () => [sl.bufioReader()] },
    { weight: 1, min: 1, size: () => 4096, build: () => [sl.bufioWriter()] },
    { weight: 3, min: 1, size: () => rng.pick([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]), build: () => [sl.readAll()] },
    { weight: 1, min: 1, size: () => rng.pick(LARGE_SIZES), build: () => [sl.readFile()] },
    { weight: 3, min: 2, size: () => 80, build: () => [sl.withCancel(), sl.withCancelLeaf()] },
    { weight: 3, min: 1, size: () => 48, build: () => [sl.withValue()] },
    { weight: 2, min: 2, size: () => 112, build: () => [sl.withDeadline(), sl.withDeadlineCause()] },
    { weight: 2, min: 2, size: () => 96, build: () => [sl.afterFunc(), sl.newTimer()] },
    { weight: 1, min: 2, size: () => 32, build: () => [sl.sortSlice(), sl.swapper()] },
    {
      weight: 1,
      min: 4,
      size: medium,
      build: () => [sl.findAll(), sl.allMatches(), sl.doExecute(), sl.bitReset()],
    },
    { weight: 2, min: 1, size: () => rng.pick([256, 512, 1024]), build: () => [sl.headerClone()] },
    { weight: 2, min: 1, size: () => 256, build: () => [sl.withContext()] },
  ];
  const stdTailWeights = STD_TAILS.map((t) => t.weight);
  const stdTailTotal = stdTailWeights.reduce((a, b) => a + b, 0);

  // User code: github.com/acme/svc/internal/pkgN, several files and types each.
  const mainFn = addFn(`main.main`, `${SRC}/cmd/svc/main.go`, 31);
  const userTarget = Math.max(200, functions - fns.length);
  const pkgCount = Math.max(8, Math.round(userTarget / 60));
  const userFns = []; // walkable: have call sites and allocation sites
  const smallFns = []; // inlinable helpers and constructors
  const initFns = [];
  const closures = [];
  const packages = [];
  for (let p = 0; p < pkgCount; p++) {
    packages.push({
      path: `${MODULE}/internal/pkg${p}`,
      dir: `${SRC}/internal/pkg${p}`,
      files: rng.int(3, 9),
      types: rng.int(2, 8),
      nextLine: new Array(10).fill(20),
      methodCount: 0,
      funcCount: 0,
      small: [],
      user: [],
    });
  }
  const placeIn = (pkg) => {
    const file = rng.int(0, pkg.files - 1);
    const start = pkg.nextLine[file];
    pkg.nextLine[file] += rng.int(8, 90);
    return [`${pkg.dir}/file${file}.go`, start];
  };
  let made = 0;
  for (let p = 0; made < userTarget; p = (p + 1) % pkgCount) {
    const pkg = packages[p];
    const burst = rng.int(3, 12);
    for (let b = 0; b < burst && made < userTarget; b++, made++) {
      let [file, start] = placeIn(pkg);
      const roll = rng.float();
      const type = `Type${rng.int(0, pkg.types - 1)}`;
      let name;
      let isSmall = false;
      if (roll < 0.1) {
        name = `${pkg.path}.new${type}`;
        if (pkg.small.some((i) => fns[i].name === name)) name = `${pkg.path}.new${type}V${pkg.funcCount++}`;
        isSmall = true;
      } else if (roll < 0.16) {
        name = `${pkg.path}.(*${type}).Method${pkg.methodCount++}`;
        isSmall = true;
      } else if (roll < 0.58) {
        name = `${pkg.path}.(*${type}).Method${pkg.methodCount++}`;
      } else if (roll < 0.66) {
        name = `${pkg.path}.${type}.Method${pkg.methodCount++}`;
      } else if (roll < 0.85) {
        name = `${pkg.path}.Func${pkg.funcCount++}`;
      } else if (roll < 0.86) {
        name = `${pkg.path}.Map${pkg.funcCount++}[...]`;
      } else if (roll < 0.87 && initFns.length < pkgCount / 4) {
        name = `${pkg.path}.init.0`;
        if (pkg.hasInit) name = `${pkg.path}.Func${pkg.funcCount++}`;
        pkg.hasInit = true;
      } else if (pkg.user.length > 0) {
        // Closure inside an earlier function of the same package, same file.
        const parent = fns[rng.pick(pkg.user)];
        parent.closures++;
        name = `${parent.name}.func${parent.closures}`;
        file = parent.file;
        start = parent.startLine + rng.int(2, 40);
      } else {
        name = `${pkg.path}.Func${pkg.funcCount++}`;
      }
      const idx = addFn(name, file, start);
      fns[idx].pkg = pkg;
      if (isSmall) {
        pkg.small.push(idx);
        smallFns.push(idx);
      } else {
        pkg.user.push(idx);
        userFns.push(idx);
        if (name.endsWith('.init.0')) initFns.push(idx);
        if (/\.func\d+$/.test(name)) closures.push(idx);
      }
    }
  }

  // Call graph. A call site is a Location in the caller; with some
  // probability the PC lies in code inlined from a small helper, so the
  // Location has 2-3 Lines, innermost first.
  const inlineChain = (caller, callerLine) => {
    const pkgSmall = fns[caller].pkg?.small ?? [];
    const lines = [];
    const depth = rng.chance(0.85) ? 1 : 2;
    for (let d = 0; d < depth; d++) {
      const helper = pkgSmall.length > 0 && rng.chance(0.8) ? rng.pick(pkgSmall) : rng.pick(smallFns);
      lines.push(helper, lineIn(helper, 1, 6));
    }
    lines.push(caller, callerLine);
    return lines;
  };
  const siteLoc = (fn, inlineP) => {
    const line = lineIn(fn);
    return addLoc(rng.chance(inlineP) ? inlineChain(fn, line) : [fn, line]);
  };
  const pickSize = () => {
    if (rng.chance(0.02)) return rng.pick(LARGE_SIZES);
    const i = Math.min(SIZE_CLASSES.length - 1, Math.floor((rng.pareto(1.3) - 1) * 4));
    return SIZE_CLASSES[i];
  };
  const callees = userFns.filter((i) => !initFns.includes(i));
  for (const f of [...userFns, mainFn]) {
    const fn = fns[f];
    const nCalls = f === mainFn ? 12 : rng.int(1, 3);
    for (let c = 0; c < nCalls; c++) {
      fn.calls.push({ loc: siteLoc(f, 0.1), callee: rng.pick(callees) });
    }
    if (f !== mainFn && rng.chance(0.04)) fn.selfSite = siteLoc(f, 0);
    const nAllocs = rng.chance(0.7) ? 1 : rng.chance(0.5) ? 2 : 0;
    for (let a = 0; a < nAllocs; a++) {
      fn.allocs.push({ loc: siteLoc(f, 0.3), size: pickSize(), weight: Math.min(2000, rng.pareto(1.1)) });
    }
    if (fn.allocs.length === 0 || rng.chance(0.35)) {
      const tail = STD_TAILS[rng.weighted(stdTailWeights, stdTailTotal)];
      const inlined = rng.chance(0.05);
      // errors.New is always inlined into its caller: std line[0], user line last.
      const loc = inlined
        ? addLoc([std.get('errors.New'), 62, f, lineIn(f)])
        : siteLoc(f, 0.05);
      fn.stdSites.push({ loc, tail: inlined ? null : tail, weight: Math.min(500, rng.pareto(1.3)) });
    }
  }
  // The walk below visits millions of call sites; flat typed arrays keep it
  // from chasing an object per step.
  const callStart = new Uint32Array(fns.length + 1);
  const selfSiteOf = new Int32Array(fns.length);
  for (let f = 0; f < fns.length; f++) {
    callStart[f + 1] = callStart[f] + fns[f].calls.length;
    selfSiteOf[f] = fns[f].selfSite;
  }
  const callLoc = new Int32Array(callStart[fns.length]);
  const callCallee = new Int32Array(callStart[fns.length]);
  for (let f = 0; f < fns.length; f++) {
    fns[f].calls.forEach((c, i) => {
      callLoc[callStart[f] + i] = c.loc;
      callCallee[callStart[f] + i] = c.callee;
    });
  }
  // sync.Pool New functions: user closures reached through sync.(*Pool).Get.
  const poolNews = closures.slice(0, Math.max(4, closures.length >> 6));

  // Roots, root-first; each ends where a user function takes over.
  const entries = [];
  for (let i = 0; i < Math.min(400, callees.length); i++) entries.push(rng.pick(callees));
  const goEntries = closures.length > 0 ? closures : entries;
  const ROOTS = [
    { weight: 25, build: () => ({ frames: [sl.runtimeMain()], fn: mainFn }) },
    { weight: 30, build: () => ({ frames: [sl.goexit()], fn: rng.pick(goEntries) }) },
    {
      weight: 30,
      build: () => ({
        frames: [sl.goexit(), sl.connServe(), sl.serverHandler(), sl.serveMux(), sl.handlerFunc()],
        fn: rng.pick(entries),
      }),
    },
    { weight: 8, build: () => ({ frames: [sl.goexit(), sl.errgroup()], fn: rng.pick(goEntries) }) },
    {
      weight: initFns.length > 0 ? 2 : 0,
      build: () => ({ frames: [sl.runtimeMainInit(), sl.doInit1()], fn: rng.pick(initFns) }),
    },
  ];
  const rootWeights = ROOTS.map((r) => r.weight);
  const rootTotal = rootWeights.reduce((a, b) => a + b, 0);
  // Stacks the user code never sees: net/http internals and runtime-only stacks
  // (runtime/pprof writes those in full, runtime frames included).
  const WHOLE_STACKS = [
    () => [sl.goexit(), sl.connServe(), sl.readRequest(), sl.httpReadRequest(), sl.readMIME(), sl.readMIMELeaf()],
    () => [sl.goexit(), sl.connServe(), sl.readRequest(), sl.httpReadRequest(), sl.readMIME(), sl.readMIMEKey()],
    () => [sl.goexit(), sl.connServeBufio(), sl.bufioReader()],
    () => [sl.systemstack(), sl.newprocFunc1(), sl.newproc1(), sl.malg()],
    () => [sl.goexit(), sl.bgMark()],
  ];

  // Stack depth: 5..60, most between 10 and 35 (a Beta(2,4) shape).
  const targetDepth = () => {
    const u = [rng.float(), rng.float(), rng.float(), rng.float(), rng.float()].sort((a, b) => a - b);
    return MIN_DEPTH + Math.floor(u[1] * (MAX_DEPTH - MIN_DEPTH + 1));
  };

  // ---- encoding --------------------------------------------------------
  const strings = [''];
  const stringIndex = new Map([['', 0]]);
  const str = (s) => {
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };
  const out = new WireWriter(samples * 110 + (1 << 20));
  const inner = new WireWriter(1 << 12);
  const line = new WireWriter(64);
  const valueType = (field, type, unit) => {
    inner.varintOpt(1, str(type));
    inner.varintOpt(2, str(unit));
    out.message(field, inner);
  };
  valueType(11, 'space', 'bytes');
  out.varintOpt(12, RATE);
  valueType(1, 'alloc_objects', 'count');
  valueType(1, 'alloc_space', 'bytes');
  valueType(1, 'inuse_objects', 'count');
  valueType(1, 'inuse_space', 'bytes');

  let nextLocId = 1;
  let nextFnId = 1;
  const newFns = [];
  const emitLocation = (li) => {
    const loc = locs[li];
    loc.id = nextLocId++;
    locIdOf[li] = loc.id;
    inner.varintOpt(1, loc.id);
    inner.varintOpt(3, loc.address);
    const lines = loc.lines;
    for (let i = 0; i < lines.length; i += 2) {
      const fn = fns[lines[i]];
      if (fn.id === 0) {
        fn.id = nextFnId++;
        newFns.push(fn);
      }
      line.varintOpt(1, fn.id);
      line.varintOpt(2, lines[i + 1]);
      inner.message(4, line);
    }
    inner.varintOpt(2, 1); // mapping 1: the executable
    out.message(4, inner);
    for (const fn of newFns) {
      inner.varintOpt(1, fn.id);
      inner.varintOpt(2, str(fn.name));
      inner.varintOpt(3, str(fn.name));
      inner.varintOpt(4, str(fn.file));
      inner.varintOpt(5, fn.startLine);
      out.message(5, inner);
    }
    newFns.length = 0;
  };

  const seen = new StackSet(samples);
  const frames = [];
  const ids = new Array(MAX_DEPTH + 8);
  const values = [0, 0, 0, 0];
  const bytesKey = str('bytes');
  let zeroSamples = 0;
  let maxDepth = 0;
  let minDepth = Infinity;
  let inlinedLocs = 0;

  // Draws one stack into `frames` (root-first) and sets `size` and `weight`.
  // A separate function so V8 optimizes it apart from the huge setup code.
  let size = 0;
  let weight = 0;
  const drawStack = () => {
    frames.length = 0;
    if (rng.chance(0.01)) {
      frames.push(...rng.pick(WHOLE_STACKS)());
      size = rng.pick([416, 1024, 4096, 8192, 2688]);
      weight = 20;
    } else {
      const root = ROOTS[rng.weighted(rootWeights, rootTotal)].build();
      frames.push(...root.frames);
      let fn = root.fn;
      const depth = targetDepth();
      // A goroutine whose own function allocates has a 2-frame stack
      // ([fn, runtime.goexit]); these make the short, unpacked location lists.
      const shallow = root.frames.length === 1 && root.fn !== mainFn && rng.chance(0.02);
      const stop = shallow ? 1 : Math.max(depth - rng.int(1, 5), MIN_DEPTH - 1);
      while (frames.length < stop) {
        const self = selfSiteOf[fn];
        if (self >= 0 && rng.chance(0.5)) {
          const reps = Math.min(rng.int(1, 8), stop - frames.length);
          for (let r = 0; r < reps; r++) frames.push(self);
          if (frames.length >= stop) break;
        }
        const c = callStart[fn] + Math.floor(rng.float() * (callStart[fn + 1] - callStart[fn]));
        frames.push(callLoc[c]);
        fn = callCallee[c];
      }
      const f = fns[fn];
      const room = MAX_DEPTH - frames.length;
      const useStd = f.stdSites.length > 0 && (f.allocs.length === 0 || rng.chance(0.35));
      if (useStd) {
        const site = rng.pick(f.stdSites);
        frames.push(site.loc);
        if (site.tail === null) {
          size = 16;
        } else if (room - 1 >= site.tail.min) {
          frames.push(...site.tail.build(room - 1));
          size = site.tail.size();
        } else {
          return false;
        }
        weight = site.weight;
      } else if (rng.chance(0.01) && poolNews.length > 0 && room >= 3) {
        // Through sync.Pool: the allocation is in the pool's New closure.
        const newFn = rng.pick(poolNews);
        frames.push(rng.pick(f.calls).loc, sl.poolGet(), fns[newFn].allocs[0]?.loc ?? siteLocFor(newFn));
        size = 4096;
        weight = 5;
      } else {
        const site = rng.pick(f.allocs);
        frames.push(site.loc);
        size = site.size;
        weight = site.weight;
        // A site allocating variable-sized slices lands in neighbouring size classes.
        if (size <= 32768 && rng.chance(0.2)) {
          const i = SIZE_CLASSES.indexOf(size);
          if (i >= 0) size = SIZE_CLASSES[Math.max(0, Math.min(SIZE_CLASSES.length - 1, i + rng.int(-2, 2)))];
        }
      }
    }
    return true;
  };

  const writeSamples = () => {
    for (let s = 0; s < samples; s++) {
      let attempts = 0;
      for (;;) {
        if (!drawStack()) continue;
        // runtime/pprof keeps one record per (stack, size): redraw duplicates.
        let h1 = 0x811c9dc5 ^ size;
        let h2 = size * 0x9e3779b1;
        for (let i = 0; i < frames.length; i++) {
          h1 = Math.imul(h1 ^ frames[i], 0x01000193);
          h2 = Math.imul(h2 ^ frames[i], 0x5bd1e995) ^ (h2 >>> 15);
        }
        if (seen.add(h1, h2) || ++attempts > 50) break;
      }

      // Leaf first, as runtime/pprof writes location_id.
      const n = frames.length;
      for (let i = 0; i < n; i++) {
        const li = frames[n - 1 - i];
        if (locIdOf[li] === 0) emitLocation(li);
        ids[i] = locIdOf[li];
      }
      if (n > maxDepth) maxDepth = n;
      if (n < minDepth) minDepth = n;

      // Raw sampled count, then scaled as runtime/pprof's scaleHeapSample does.
      let count = rng.chance(0.002) ? 0 : Math.max(1, Math.round(weight * rng.float() * 1.5));
      if (count === 0) zeroSamples++;
      const inuse = count === 0 || rng.chance(0.35) ? 0 : Math.floor(count * rng.float());
      const scale = 1 / (1 - Math.exp(-size / RATE));
      values[0] = Math.floor(count * scale);
      values[1] = Math.floor(count * size * scale);
      values[2] = Math.floor(inuse * scale);
      values[3] = Math.floor(inuse * size * scale);

      inner.repeatedVarint(2, values);
      inner.repeatedVarint(1, ids, n);
      if (count > 0) {
        line.varintOpt(1, bytesKey);
        line.varintOpt(3, size);
        inner.message(3, line);
      }
      out.message(2, inner);
    }
  };
  writeSamples();
  function siteLocFor(fnIdx) {
    const loc = siteLoc(fnIdx, 0);
    fns[fnIdx].allocs.push({ loc, size: 4096, weight: 5 });
    return loc;
  }

  // Trailer, in runtime/pprof's order: time_nanos, mappings, string table.
  out.tag(9, 0);
  out.varintBig(1_700_000_000_123_456_789n); // fixed, so the output is reproducible
  const mapping = (id, start, limit, offset, file, buildId, hasFunctions) => {
    inner.varintOpt(1, id);
    inner.varintOpt(2, start);
    inner.varintOpt(3, limit);
    inner.varintOpt(4, offset);
    inner.varintOpt(5, str(file));
    inner.varintOpt(6, str(buildId));
    inner.bool(7, hasFunctions);
    out.message(3, inner);
  };
  mapping(1, 0x400000, (nextAddress + 0x10000) & ~0xfff, 0, '/home/ci/bin/svc', 'a1b2c3d4e5f60718293a4b5c6d7e8f9011223344', true);
  mapping(2, 0x7ffd4a3f1000, 0x7ffd4a3f3000, 0, '[vdso]', '', false);
  const enc = new TextEncoder();
  for (const s of strings) out.bytes(6, enc.encode(s));

  for (const l of locs) if (l.id !== 0 && l.lines.length > 2) inlinedLocs++;
  return {
    bytes: out.finish(),
    stats: {
      samples,
      functions: nextFnId - 1,
      locations: nextLocId - 1,
      inlinedLocations: inlinedLocs,
      strings: strings.length,
      minDepth,
      maxDepth,
      zeroSamples,
    },
  };
}

/** Set of 64-bit stack hashes (two 32-bit halves), open addressing. */
class StackSet {
  constructor(expected) {
    let size = 1024;
    while (size < expected * 3) size *= 2;
    this.mask = size - 1;
    this.table = new Uint32Array(size * 2);
    this.used = new Uint8Array(size);
  }

  /** Adds (h1, h2); false when it was already there. */
  add(h1, h2) {
    h1 >>>= 0;
    h2 >>>= 0;
    let i = (h1 ^ Math.imul(h2, 0x9e3779b1)) & this.mask;
    while (this.used[i] === 1) {
      if (this.table[2 * i] === h1 && this.table[2 * i + 1] === h2) return false;
      i = (i + 1) & this.mask;
    }
    this.used[i] = 1;
    this.table[2 * i] = h1;
    this.table[2 * i + 1] = h2;
    return true;
  }
}

function parseArgs(argv) {
  const opts = { small: false, force: false, verify: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const int = () => {
      const v = Number(val());
      if (!Number.isInteger(v) || v <= 0) throw new Error(`${a} needs a positive integer`);
      return v;
    };
    if (a === '--samples') opts.samples = int();
    else if (a === '--functions') opts.functions = int();
    else if (a === '--seed') opts.seed = int();
    else if (a === '--out') opts.out = resolve(val());
    else if (a === '--small') opts.small = true;
    else if (a === '--force') opts.force = true;
    else if (a === '--verify') opts.verify = true;
    else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

/**
 * Generates the profile unless FILE and a sidecar FILE.json with the same
 * parameters already exist. Returns { out, params, stats, generated }.
 */
export function ensureProfile({ small = false, samples, functions, seed, out, force = false, log = () => {} } = {}) {
  const base = small ? SMALL_PARAMS : LARGE_PARAMS;
  const params = {
    generator: GENERATOR_VERSION,
    samples: samples ?? base.samples,
    functions: functions ?? base.functions,
    seed: seed ?? base.seed,
  };
  const file = out ?? (small ? SMALL_PROFILE : LARGE_PROFILE);
  const sidecar = `${file}.json`;
  if (!force && existsSync(file) && existsSync(sidecar)) {
    try {
      const prev = JSON.parse(readFileSync(sidecar, 'utf8'));
      if (JSON.stringify(prev.params) === JSON.stringify(params)) {
        return { out: file, params, stats: prev.stats, generated: false };
      }
    } catch {
      // Unreadable sidecar: regenerate.
    }
  }
  log(`generating ${file} (${params.samples} samples, ${params.functions} functions, seed ${params.seed})`);
  const t0 = performance.now();
  const { bytes, stats } = generateProfile(params);
  const gz = gzipSync(bytes, { level: zc.Z_BEST_SPEED });
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, gz);
  const full = { ...stats, rawBytes: bytes.length, gzipBytes: gz.length, seconds: (performance.now() - t0) / 1000 };
  writeFileSync(sidecar, JSON.stringify({ params, stats: full }, null, 2) + '\n');
  return { out: file, params, stats: full, generated: true };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const opts = parseArgs(process.argv.slice(2));
    const res = ensureProfile({ ...opts, log: (m) => console.error(m) });
    const s = res.stats;
    console.log(
      `${res.generated ? 'wrote' : 'up to date:'} ${res.out}: ${s.samples} samples, ${s.locations} locations ` +
        `(${s.inlinedLocations} with inlined lines), ${s.functions} functions, depth ${s.minDepth}..${s.maxDepth}, ` +
        `${(s.rawBytes / 1e6).toFixed(1)} MB raw, ${(s.gzipBytes / 1e6).toFixed(1)} MB gzip`,
    );
    if (opts.verify) {
      const { verifyWithDecoders } = await import('./lib/verify-profile.mjs');
      const v = await verifyWithDecoders(res.out, { expectSamples: s.samples });
      console.log(JSON.stringify({ wire: { ...v.wire, fieldRuns: v.wire.fieldRuns.length }, pprofFormat: v.pprofFormat, goPprof: v.goPprof }, null, 2));
      if (v.problems.length > 0) {
        console.error(`verify: ${v.problems.slice(0, 10).join('; ')}`);
        process.exit(1);
      }
      console.log('verify: ok');
    }
  } catch (err) {
    console.error(`gen-profile: ${err.message}`);
    process.exit(2);
  }
}
