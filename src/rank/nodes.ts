// The nodes ranking counts into, keyed as pprof's graph keys them
// (internal/graph/graph.go): function nodes by function name, line nodes by
// name, cleaned file and line. A frame with no function is named by its
// mapping file, or <unknown>.
//
// Strings from the string table are shared by every Func that names them,
// so Maps keyed by them hash each string once; keys built by concatenation
// would be hashed anew on every lookup. Function nodes are keyed by name (or
// "\0" + file for a nameless function with a file), so a name is numbered by
// its function node. Files are numbered once each, as given and cleaned. Line
// keys (name, cleaned file) and line nodes (line key, line) are then tuples
// of numbers in int32 tuple tables, not Maps of Maps: a Map per name cost
// tens of milliseconds on the benchmark profile's 26k functions.
import path from 'node:path';
import type { Location } from '../profile/model.js';
import { IntTupleIds, isInt32 } from './intmap.js';

/** Nodes by id: name, file and line of each. */
export interface NodeTable {
  names: string[];
  files: string[];
  lines: number[];
}

function addNode(t: NodeTable, name: string, file: string, line: number): number {
  t.names.push(name);
  t.files.push(file);
  t.lines.push(line);
  return t.names.length - 1;
}

/** pprof's NodeInfo.PrintableName for a frame without a function name. */
export function namelessName(loc: Location): string {
  const file = loc.mapping?.filename;
  return file ? `[${path.posix.basename(file)}]` : '<unknown>';
}

function cleanPath(p: string): string {
  // pprof applies filepath.Clean to file names.
  return p ? path.posix.normalize(p).replace(/(.)\/$/, '$1') : p;
}

/** The function and line nodes of one ranking, numbered in the order first asked for. */
export class NodeIds {
  readonly fns: NodeTable = { names: [], files: [], lines: [] };
  readonly lines: NodeTable = { names: [], files: [], lines: [] };
  /** Cleaned file names by id. */
  readonly cleanNames: string[] = [];
  /** Per file id: its cleaned file's id. */
  readonly cleanOfFile: number[] = [];
  private readonly fnIds = new Map<string, number>();
  private readonly fileIds = new Map<string, number>();
  private readonly cleanIds = new Map<string, number>();
  private readonly lineKeys: IntTupleIds;
  private readonly lineKeyName: string[] = [];
  private readonly lineKeyFile: string[] = [];
  private readonly lineTuples: IntTupleIds;
  private readonly lineOfTuple: number[] = [];
  /** Line nodes whose line is beyond int32, by "key:line". */
  private readonly bigLineIds = new Map<string, number>();
  /** Line nodes of locations without lines, by their printable name. */
  private readonly namelessLineIds = new Map<string, number>();

  /** The sizes expected, to size the tuple tables up front (they grow past them). */
  constructor(nFuncs: number, nFrames: number) {
    this.lineKeys = new IntTupleIds(Math.max(1024, nFuncs));
    this.lineTuples = new IntTupleIds(Math.max(4096, nFrames));
  }

  /** The function node keyed `key`, named `name` when new. */
  fnNode(key: string, name: string): number {
    let id = this.fnIds.get(key);
    if (id === undefined) {
      id = addNode(this.fns, name, '', 0);
      this.fnIds.set(key, id);
    }
    return id;
  }

  /** The id of file p as given (its cleaned file's id is cleanOfFile[id]). */
  fileId(p: string): number {
    let id = this.fileIds.get(p);
    if (id === undefined) {
      id = this.cleanOfFile.length;
      this.fileIds.set(p, id);
      const c = cleanPath(p);
      let cid = this.cleanIds.get(c);
      if (cid === undefined) {
        cid = this.cleanNames.length;
        this.cleanIds.set(c, cid);
        this.cleanNames.push(c);
      }
      this.cleanOfFile.push(cid);
    }
    return id;
  }

  /** The line key of a frame named fname (numbered by nameNode, -1 for none) in cleaned file `clean`. */
  lineKey(fname: string, nameNode: number, clean: number): number {
    const n = this.lineKeys.size;
    const id = this.lineKeys.intern(nameNode, clean, 0, 0);
    if (id === n) {
      this.lineKeyName.push(fname);
      this.lineKeyFile.push(this.cleanNames[clean]);
    }
    return id;
  }

  /** The line node of line `line` under line key `key`. */
  lineNode(key: number, line: number): number {
    if (!isInt32(line)) {
      const k = `${key}:${line}`;
      let id = this.bigLineIds.get(k);
      if (id === undefined) {
        id = addNode(this.lines, this.lineKeyName[key], this.lineKeyFile[key], line);
        this.bigLineIds.set(k, id);
      }
      return id;
    }
    const t = this.lineTuples.intern(key, line, 0, 0);
    if (t === this.lineOfTuple.length) this.lineOfTuple.push(addNode(this.lines, this.lineKeyName[key], this.lineKeyFile[key], line));
    return this.lineOfTuple[t];
  }

  /** The line node of a location without lines, named `name` (namelessName). */
  namelessLine(name: string): number {
    let ln = this.namelessLineIds.get(name);
    if (ln === undefined) {
      ln = addNode(this.lines, name, '', 0);
      this.namelessLineIds.set(name, ln);
    }
    return ln;
  }
}
