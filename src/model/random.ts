// A seeded generator so that cold-start spreads repeat run to run (--seed N).

/** Uniform [0, 1) numbers from a 32-bit seed (mulberry32: small, fast, good enough for jitter). */
export function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box-Muller) from a uniform source. */
export function normal(uniform: () => number): number {
  const u = 1 - uniform(); // (0, 1]: log(0) would be -Infinity
  const v = uniform();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
