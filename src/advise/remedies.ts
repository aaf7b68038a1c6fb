// Call-site remedies for costly calls: what to change at a line whose bytes
// are mostly allocated inside a library function it calls. A table of the
// standard library's (and common libraries') allocating APIs with the cheaper
// way to use each, plus one rule read from the call itself: a `nil` passed
// where the API takes a destination buffer.

interface Remedy {
  /** Matches the callee's full name (`encoding/json.Unmarshal`, `github.com/klauspost/compress/zstd.(*Decoder).DecodeAll`). */
  match: RegExp;
  remedy: string;
}

const REMEDIES: Remedy[] = [
  {
    match: /^encoding\/json\.Unmarshal$/,
    remedy:
      'it allocates the decoded values and its decoding state per call: unmarshal into a reused value of a concrete type (not any or map[string]any), decode a stream with one json.Decoder, or call it less often',
  },
  { match: /^encoding\/json\.\(\*Decoder\)\.Decode$/, remedy: 'decode into a reused value of a concrete type rather than a fresh one per call, and keep one Decoder per stream' },
  { match: /^encoding\/json\.(?:Marshal|MarshalIndent)$/, remedy: 'encode with one json.Encoder over the writer (or into a reused bytes.Buffer) instead of a new []byte per call' },
  { match: /^encoding\/csv\.\(\*Reader\)\.Read$/, remedy: 'set `ReuseRecord = true` on the csv.Reader so Read reuses the record slice between calls (copy the fields you keep)' },
  { match: /^encoding\/csv\.\(\*Reader\)\.ReadAll$/, remedy: 'read records one at a time with Read and ReuseRecord instead of holding every record' },
  { match: /^(?:io\.ReadAll|os\.ReadFile|io\/ioutil\.ReadAll|io\/ioutil\.ReadFile)$/, remedy: 'stream the data, or read into a reused buffer (bytes.Buffer.Reset then ReadFrom) instead of a new slice that grows per call' },
  { match: /^strings\.(?:ToUpper|ToLower|ToTitle|Title)$/, remedy: 'each call returns a new string (unless nothing changes): where the result is only compared, use strings.EqualFold; where the new string is the result, the copy is inherent' },
  { match: /^sync\.\(\*Pool\)\.Put$/, remedy: 'the pool allocates its own per-P queue as it grows: nothing to change at the call unless Put runs far more often than Get' },
  { match: /^strings\.(?:Replace|ReplaceAll|Repeat|Join)$/, remedy: 'each call builds a new string: write the pieces into one reused strings.Builder or []byte instead' },
  { match: /^strings\.(?:Split|SplitN|SplitAfter|Fields|FieldsFunc)$/, remedy: 'walk the string with strings.Cut or strings.Index (or strings.SplitSeq / FieldsSeq since Go 1.24) instead of building a slice of parts' },
  { match: /^bytes\.(?:Split|SplitN|Fields)$/, remedy: 'walk the bytes with bytes.Cut or bytes.Index (or bytes.SplitSeq since Go 1.24) instead of building a slice of parts' },
  { match: /^regexp\.(?:MustCompile|Compile|MatchString|Match)$/, remedy: 'compile the regular expression once, at package level, and reuse it' },
  { match: /^regexp\.\(\*Regexp\)\.(?:FindAllString|FindAllStringSubmatch|FindStringSubmatch|ReplaceAllString|Split)/, remedy: 'use the index or Append variants (FindStringIndex, FindAllStringIndex, ReplaceAll with a reused []byte) or a simpler strings function' },
  { match: /^strconv\.(?:Itoa|FormatInt|FormatUint|FormatFloat|Quote)$/, remedy: 'use the Append variant (strconv.AppendInt, AppendFloat, AppendQuote) into a reused []byte' },
  { match: /^time\.Time\.Format$/, remedy: 'use Time.AppendFormat into a reused []byte' },
  { match: /^os\.(?:Create|Open|OpenFile|Remove|RemoveAll|ReadDir|Stat|Lstat|MkdirAll|Rename)$/, remedy: 'file system calls allocate per call (the File, path and directory buffers): make fewer calls; each call\'s allocation itself is inherent' },
  { match: /^bufio\.New(?:Reader|ReaderSize|Writer|WriterSize|Scanner)$/, remedy: 'create it once and reuse it with Reset, instead of one per call' },
  { match: /\.New(?:Reader|Writer|Decoder|Encoder)$/, remedy: 'create it once and reuse it (most readers, writers and decoders have a Reset method), instead of one per call' },
  { match: /^(?:crypto\/[\w/]+|golang\.org\/x\/crypto\/[\w/]+)\.(?:New\w*|Sum\w*|GenerateFromPassword|CompareHashAndPassword|Key)$/, remedy: 'each call allocates a new hash state: keep one hash.Hash per goroutine and Reset it between uses, or call it less often (cache results)' },
  { match: /^(?:crypto\/[\w/]+|golang\.org\/x\/crypto\/[\w/]+)\.\(\*\w+\)\.Sum$/, remedy: '`Sum(nil)` allocates the result: pass a reused buffer, `h.Sum(buf[:0])`' },
  { match: /^encoding\/hex\.EncodeToString$/, remedy: 'it returns a new string each call: encode into a reused []byte with hex.Encode (or hex.AppendEncode), or compare the raw bytes instead of hex strings' },
];

export interface RemedyQuery {
  /** The callee's full name. */
  callee: string;
  /** The statement's text, when the source matches the profile. */
  statement: string | null;
}

/** The remedy for a costly call, or null when none is known beyond the generic ones. */
export function callRemedy(q: RemedyQuery): string | null {
  const method = calleeMethodName(q.callee);
  if (q.statement && method) {
    // `z.rdr.DecodeAll(data, nil)`: a nil destination means the callee allocates the result.
    const call = new RegExp(`\\b${escapeRe(method)}\\s*\\(([^()]*(?:\\([^()]*\\)[^()]*)*)\\)`).exec(q.statement);
    if (call && splitArgs(call[1]).some((a) => a === 'nil')) {
      return `\`${method}\` is passed \`nil\` where it can append to a destination: pass a buffer you keep and reuse (\`buf[:0]\`) so the result is written into it`;
    }
  }
  for (const r of REMEDIES) if (r.match.test(q.callee)) return r.remedy;
  return null;
}

/** `github.com/x/zstd.(*Decoder).DecodeAll` -> `DecodeAll`; `encoding/json.Unmarshal` -> `Unmarshal`. */
export function calleeMethodName(fn: string): string | null {
  const base = fn.replace(/\[.*\]$/, '');
  const m = /([A-Za-z_]\w*)$/.exec(base);
  return m ? m[1] : null;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(s.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(s.slice(start).trim());
  return out.filter((x) => x !== '');
}
