// Parses `git diff --unified=0` into the new-side line numbers each file
// changed. Pure: the text comes from src/git/changed.ts, or from a test.
//
// Format facts this relies on (git diff-format docs, and observed with git 2.39):
// - Each file starts `diff --git`; its new name is on the `+++ b/<path>` line,
//   `+++ /dev/null` for a deleted file. A rename with no content change, a
//   mode change and a binary file have no `+++` line and no hunks.
// - A name with unusual bytes is C-quoted: `+++ "b/na\303\257ve.go"` (octal
//   UTF-8 bytes), `"b/t\tab.go"`. A name with a space is not quoted but gets
//   a trailing TAB (for GNU patch).
// - Hunk header `@@ -a,b +c,d @@`; a missing count means 1. With zero
//   context, the new side's changed lines are exactly c .. c+d-1. When d is
//   0 the hunk only deletes, and c is the new-side line BEFORE the deletion
//   (0 when it deleted from the top of the file).
// - Hunk bodies are counted off by the header, not recognised by their first
//   character: an added line reading `++ x` is printed `+++ x`.

/**
 * A pure deletion marks the lines on both sides of the gap (c and c+1, those
 * that exist). The statements around removed code are the ones whose behaviour
 * the removal can change: deleting `buf = make([]byte, 0, n)` makes the
 * `append` below it allocate, without touching the append's line.
 */
export function parseUnifiedZero(diffText: string, opts: { dstPrefix?: string } = {}): Map<string, Set<number>> {
  const dstPrefix = opts.dstPrefix ?? 'b/';
  const out = new Map<string, Set<number>>();
  const lines = diffText.split('\n');
  let file: string | null = null;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i++];
    if (line.startsWith('diff --git ') || line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      file = null;
    } else if (line.startsWith('+++ ')) {
      file = newSidePath(line.slice(4), dstPrefix);
    } else if (line.startsWith('@@ ')) {
      const h = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
      if (!h) continue;
      let oldLeft = h[2] === undefined ? 1 : Number(h[2]);
      let newLeft = h[4] === undefined ? 1 : Number(h[4]);
      const start = Number(h[3]);
      if (file !== null) {
        let set = out.get(file);
        if (!set) out.set(file, (set = new Set()));
        if (newLeft > 0) for (let n = start; n < start + newLeft; n++) set.add(n);
        else {
          if (start >= 1) set.add(start);
          set.add(start + 1);
        }
      }
      // Skip the body by count.
      while (i < lines.length && (oldLeft > 0 || newLeft > 0 || lines[i].startsWith('\\'))) {
        const b = lines[i++];
        if (b.startsWith('-')) oldLeft--;
        else if (b.startsWith('+')) newLeft--;
        else if (b.startsWith(' ')) {
          oldLeft--;
          newLeft--;
        } else if (!b.startsWith('\\')) break; // malformed: resynchronise on the next header
      }
    }
  }
  return out;
}

/** The path on a `+++ ` line, without its prefix; null for /dev/null. */
function newSidePath(raw: string, dstPrefix: string): string | null {
  let p = raw;
  if (p.startsWith('"')) p = unquoteC(p);
  else if (p.endsWith('\t')) p = p.slice(0, -1);
  if (p === '/dev/null') return null;
  if (dstPrefix && p.startsWith(dstPrefix)) p = p.slice(dstPrefix.length);
  return p;
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's quote_c_style: escapes and octal bytes, decoded as UTF-8. */
export function unquoteC(quoted: string): string {
  const end = quoted.lastIndexOf('"');
  const body = quoted.slice(1, end > 0 ? end : undefined);
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      const cp = body.codePointAt(i)!;
      bytes.push(...Buffer.from(String.fromCodePoint(cp), 'utf8'));
      if (cp > 0xffff) i++;
      continue;
    }
    const next = body[i + 1];
    if (next !== undefined && /[0-7]/.test(next)) {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i + 1))![0];
      bytes.push(parseInt(oct, 8));
      i += oct.length;
    } else if (next !== undefined && next in SIMPLE_ESCAPES) {
      bytes.push(SIMPLE_ESCAPES[next]);
      i++;
    } else {
      bytes.push(92);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
