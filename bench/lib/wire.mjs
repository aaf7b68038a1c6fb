// A minimal protobuf wire writer for the profile generator.
//
// Hand-written instead of protobufjs's Writer because the generator emits
// hundreds of thousands of small nested messages: protobufjs builds a linked
// list of operations per fork/ldelim, while here a message body is written
// into a reusable scratch buffer and then copied once behind its length.
// Only the two wire types Go's runtime writer uses are needed: varint (0) and
// length-delimited (2).

export class WireWriter {
  constructor(initialSize = 1 << 16) {
    this.buf = new Uint8Array(initialSize);
    this.pos = 0;
  }

  ensure(extra) {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** Non-negative integers up to 2^53; int64 fields here are never negative. */
  varint(n) {
    this.ensure(10);
    const buf = this.buf;
    let pos = this.pos;
    if (n < 0x80000000) {
      // Fast path: 32-bit arithmetic.
      while (n > 0x7f) {
        buf[pos++] = (n & 0x7f) | 0x80;
        n >>>= 7;
      }
      buf[pos++] = n;
    } else {
      while (n > 0x7f) {
        buf[pos++] = (n % 128) | 0x80;
        n = Math.floor(n / 128);
      }
      buf[pos++] = n;
    }
    this.pos = pos;
  }

  /** Any uint64, for values beyond 2^53 such as time_nanos. */
  varintBig(n) {
    this.ensure(10);
    while (n > 0x7fn) {
      this.buf[this.pos++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.pos++] = Number(n);
  }

  tag(field, wireType) {
    this.varint((field << 3) | wireType);
  }

  /** Field with a varint value, skipped when zero (proto3 default), as Go's `uint64Opt`/`int64Opt` do. */
  varintOpt(field, n) {
    if (n === 0) return;
    this.tag(field, 0);
    this.varint(n);
  }

  bool(field, b) {
    if (!b) return;
    this.tag(field, 0);
    this.varint(1);
  }

  bytes(field, bytes) {
    this.tag(field, 2);
    this.varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** Embeds what `inner` holds as a length-delimited field, then clears `inner`. */
  message(field, inner) {
    this.bytes(field, inner.buf.subarray(0, inner.pos));
    inner.pos = 0;
  }

  /**
   * Repeated varint field the way Go's runtime/pprof writes it (`uint64s`/`int64s`
   * in runtime/pprof/protobuf.go): packed only when there are more than 2
   * entries, otherwise one unpacked tag per entry.
   */
  repeatedVarint(field, values, count = values.length) {
    if (count > 2) {
      let len = 0;
      for (let i = 0; i < count; i++) len += varintSize(values[i]);
      this.tag(field, 2);
      this.varint(len);
      for (let i = 0; i < count; i++) this.varint(values[i]);
    } else {
      for (let i = 0; i < count; i++) {
        this.tag(field, 0);
        this.varint(values[i]);
      }
    }
  }

  finish() {
    return this.buf.subarray(0, this.pos);
  }
}

export function varintSize(n) {
  let size = 1;
  while (n > 0x7f) {
    n = n < 0x80000000 ? n >>> 7 : Math.floor(n / 128);
    size++;
  }
  return size;
}
