// Seeded PRNG so generated bench inputs are byte-for-byte reproducible.
// sfc32 (Chris Doty-Humphrey's Small Fast Counter): good statistical quality,
// 32-bit state words, and cheap in JavaScript.

export function createRng(seed) {
  let a = 0x9e3779b9;
  let b = 0x243f6a88;
  let c = 0xb7e15162;
  let d = seed >>> 0;
  const next = () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 20; i++) next();

  const rng = {
    /** Uniform in [0, 1). */
    float: next,
    /** Uniform integer in [lo, hi]. */
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** Pareto with minimum 1 and shape alpha: a few huge values, many small ones. */
    pareto: (alpha) => 1 / Math.pow(1 - next(), 1 / alpha),
    /** Index into `weights` (non-negative numbers), proportional to weight. */
    weighted: (weights, total) => {
      let r = next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
  };
  return rng;
}
