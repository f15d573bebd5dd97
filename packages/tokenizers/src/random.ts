/**
 * A small seeded generator for BPE dropout, so a seed replays the same segmentation.
 *
 * Reference: SplitMix32 (Steele, Lea & Flood 2014; the 32-bit variant by Vigna).
 * Porting note: HF draws dropout from a thread-local, unseeded RNG.
 */

/** Uniform floats in [0, 1) from `seed`. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 4294967296;
  };
}
