// Seeded pseudo-random generators for tests, the fuzzer and the benchmark's generated workspaces:
// the same seed always gives the same sequence, so a failure can be replayed from its seed.

/** A generator of numbers in [0, 1). */
export type Rng = () => number;

/** mulberry32: a tiny, fast 32-bit generator (the one to use for new code). */
export function mulberry32(seed: number): Rng {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The ANSI C linear congruential generator (x = x * 1103515245 + 12345 mod 2^31), computed in doubles
 * as the older tests wrote it inline (so their inputs stay the same); each call gives the next state,
 * an integer in [0, 2^31). Prefer mulberry32 for new code.
 */
export function lcg31(seed: number): () => number {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648);
}

/** An integer in [0, n). */
export const below = (rng: Rng, n: number): number => Math.floor(rng() * n);

/** An integer in [lo, hi] (both included). */
export const int = (rng: Rng, lo: number, hi: number): number => lo + Math.floor(rng() * (hi - lo + 1));

/** One element of `xs`. */
export const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
