/**
 * Lattice algorithms for Unigram training: forward-backward marginals (the E step) and the
 * Viterbi path with one node excluded (the second-best segmentation used when pruning).
 *
 * Reference: HF `models/unigram/lattice.rs` (`populate_marginal`, `viterbi`, `nbest`);
 * SentencePiece `unigram_model.cc`.
 */
import type { LatticeNode } from '../models/unigram.js';

function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/**
 * Add `freq` × the marginal probability of each node to `expected[node.id]`.
 * @returns the log-likelihood of the word (log Z).
 */
export function addMarginals(nodes: readonly LatticeNode[], length: number, freq: number, expected: Float64Array): number {
  const alpha = new Float64Array(length + 1).fill(-Infinity);
  const beta = new Float64Array(length + 1).fill(-Infinity);
  alpha[0] = 0;
  beta[length] = 0;
  const byStart = [...nodes].sort((a, b) => a.start - b.start);
  for (const n of byStart) alpha[n.end] = logAddExp(alpha[n.end] as number, (alpha[n.start] as number) + n.score);
  for (let k = byStart.length - 1; k >= 0; k--) {
    const n = byStart[k] as LatticeNode;
    beta[n.start] = logAddExp(beta[n.start] as number, (beta[n.end] as number) + n.score);
  }
  const z = alpha[length] as number;
  for (const n of nodes) {
    if (n.id < 0) continue;
    expected[n.id] = (expected[n.id] as number) + freq * Math.exp((alpha[n.start] as number) + n.score + (beta[n.end] as number) - z);
  }
  return z;
}

/** The best path's nodes, skipping `excluded` (a node of `nodes`) when given; null if none. */
export function viterbi(nodes: readonly LatticeNode[], length: number, excluded: LatticeNode | null = null): LatticeNode[] | null {
  const best = new Float64Array(length + 1).fill(-Infinity);
  const back: Array<LatticeNode | null> = new Array<LatticeNode | null>(length + 1).fill(null);
  best[0] = 0;
  const byStart = [...nodes].sort((a, b) => a.start - b.start);
  for (const n of byStart) {
    if (n === excluded || best[n.start] === -Infinity) continue;
    const s = (best[n.start] as number) + n.score;
    if (back[n.end] === null || s > (best[n.end] as number)) {
      best[n.end] = s;
      back[n.end] = n;
    }
  }
  if (back[length] === null && length > 0) return null;
  const path: LatticeNode[] = [];
  for (let pos = length; pos > 0; ) {
    const n = back[pos] as LatticeNode;
    path.push(n);
    pos = n.start;
  }
  return path.reverse();
}
