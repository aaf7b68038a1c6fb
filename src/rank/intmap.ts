// A hash table from tuples of four int32 values to dense ids, given in
// insertion order. Ranking interns tens of thousands of (function, line) and
// site keys; as strings in a Map, building and hashing the keys cost more
// than the rest of the setup.

export class IntTupleIds {
  /** Number of ids given. */
  size = 0;
  /** The keys, four int32 slots per id. */
  keys: Int32Array;
  private slots: Int32Array;

  constructor(capacity = 1024) {
    const cap = Math.max(16, capacity);
    this.keys = new Int32Array(4 * cap);
    this.slots = new Int32Array(pow2Above(2 * cap)).fill(-1);
  }

  /** The id of (a, b, c, d), given now if the tuple is new. All four must be int32 values. */
  intern(a: number, b: number, c: number, d: number): number {
    let slots = this.slots;
    let mask = slots.length - 1;
    let h = hash4(a, b, c, d) & mask;
    for (; ; h = (h + 1) & mask) {
      const id = slots[h];
      if (id < 0) break;
      const k = 4 * id;
      if (this.keys[k] === a && this.keys[k + 1] === b && this.keys[k + 2] === c && this.keys[k + 3] === d) return id;
    }
    const id = this.size++;
    if (4 * this.size > this.keys.length) {
      const keys = new Int32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.keys = keys;
    }
    const k = 4 * id;
    this.keys[k] = a;
    this.keys[k + 1] = b;
    this.keys[k + 2] = c;
    this.keys[k + 3] = d;
    if (2 * this.size > slots.length) {
      this.rehash(slots.length * 2);
      slots = this.slots;
      mask = slots.length - 1;
      for (h = hash4(a, b, c, d) & mask; slots[h] >= 0; h = (h + 1) & mask);
    }
    slots[h] = id;
    return id;
  }

  private rehash(n: number): void {
    const slots = new Int32Array(n).fill(-1);
    const mask = n - 1;
    const keys = this.keys;
    // The id being added is placed by the caller.
    for (let id = 0; id < this.size - 1; id++) {
      const k = 4 * id;
      let h = hash4(keys[k], keys[k + 1], keys[k + 2], keys[k + 3]) & mask;
      while (slots[h] >= 0) h = (h + 1) & mask;
      slots[h] = id;
    }
    this.slots = slots;
  }
}

function hash4(a: number, b: number, c: number, d: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b ^ 0x5bd1e995, 0x85ebca77);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) ^ Math.imul(c, 0xc2b2ae3d) ^ Math.imul(d ^ 0x27d4eb2f, 0x165667b1);
  h ^= h >>> 13;
  h = Math.imul(h, 0x297a2d39);
  return (h ^ (h >>> 16)) >>> 0;
}

function pow2Above(n: number): number {
  let p = 16;
  while (p < n) p *= 2;
  return p;
}

/** True when n is an int32 value (the tuple tables hold nothing else). */
export function isInt32(n: number): boolean {
  return (n | 0) === n;
}
