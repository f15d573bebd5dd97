/**
 * The BPE merge loop: applies the lowest-ranked applicable merge first (leftmost on ties) until
 * none applies, in O(n log n) with a binary heap over a linked list of symbols.
 *
 * Reference: HF `models/bpe/word.rs` (`Word::merge_all`); Sennrich et al. 2016, "Neural Machine
 * Translation of Rare Words with Subword Units"; Provilkov et al. 2020 (BPE-dropout).
 * Porting note: pairs are keyed by one number (`left * stride + right`) and heap entries by
 * `rank * 2^32 + position`, so the loop allocates nothing per merge; a stale heap entry is
 * recognised by its rank (equivalent to HF's new-id check, since symbols only grow).
 */

const POS = 2 ** 32;
/** Words up to this many symbols merge by rescanning (no heap, no allocation). */
const SMALL = 16;

/**
 * Pair of ids → merge rank, and rank → id of the merged token: an open-addressing hash table
 * over typed arrays (a `Map` keyed by `left * V + right` hashes doubles, several times slower).
 */
export class MergeTable {
  private lefts: Int32Array;
  private rights: Int32Array;
  private ranks: Int32Array;
  private mask: number;
  private count = 0;
  private readonly merged: number[] = [];

  constructor(expected = 0) {
    let capacity = 16;
    while (capacity < 2 * expected) capacity *= 2;
    this.lefts = new Int32Array(capacity).fill(-1);
    this.rights = new Int32Array(capacity);
    this.ranks = new Int32Array(capacity);
    this.mask = capacity - 1;
  }

  private slot(left: number, right: number): number {
    let h = (Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x7f4a7c15, 0x85ebca77)) & this.mask;
    while (this.lefts[h] !== -1 && (this.lefts[h] !== left || this.rights[h] !== right)) h = (h + 1) & this.mask;
    return h;
  }

  /** Add merge `rank` (later duplicates of a pair replace earlier ones, as in HF). */
  add(left: number, right: number, rank: number, mergedId: number): void {
    if (2 * (this.count + 1) > this.lefts.length) this.grow();
    const h = this.slot(left, right);
    if (this.lefts[h] === -1) this.count++;
    this.lefts[h] = left;
    this.rights[h] = right;
    this.ranks[h] = rank;
    this.merged[rank] = mergedId;
  }

  /** Rank of merging `left` and `right`, or -1. */
  rank(left: number, right: number): number {
    const h = this.slot(left, right);
    return this.lefts[h] === -1 ? -1 : (this.ranks[h] as number);
  }

  mergedId(rank: number): number {
    return this.merged[rank] as number;
  }

  private grow(): void {
    const { lefts, rights, ranks } = this;
    this.lefts = new Int32Array(lefts.length * 2).fill(-1);
    this.rights = new Int32Array(lefts.length * 2);
    this.ranks = new Int32Array(lefts.length * 2);
    this.mask = this.lefts.length - 1;
    for (let i = 0; i < lefts.length; i++) {
      if (lefts[i] === -1) continue;
      const h = this.slot(lefts[i] as number, rights[i] as number);
      this.lefts[h] = lefts[i] as number;
      this.rights[h] = rights[i] as number;
      this.ranks[h] = ranks[i] as number;
    }
  }
}

/**
 * Merge the symbols `ids[0..n)` (with their `[starts, ends)` offsets) in place and return the
 * number of symbols left, compacted to the front of the arrays.
 * @param dropout probability of skipping a merge (0 for none); `random` draws in [0, 1).
 */
export function mergeSymbols(
  ids: Int32Array,
  starts: Int32Array,
  ends: Int32Array,
  n: number,
  table: MergeTable,
  dropout = 0,
  random: () => number = Math.random,
): number {
  if (n < 2) return n;
  if (n === 2 && dropout === 0) {
    const r = table.rank(ids[0] as number, ids[1] as number);
    if (r < 0) return 2;
    ids[0] = table.mergedId(r);
    ends[0] = ends[1] as number;
    return 1;
  }
  if (n <= SMALL && dropout === 0) return mergeSmall(ids, starts, ends, n, table);
  const next = new Int32Array(n);
  const prev = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
  }
  const heap = new Heap(n);
  for (let i = 0; i + 1 < n; i++) {
    const r = table.rank(ids[i] as number, ids[i + 1] as number);
    if (r >= 0) heap.push(r * POS + i);
  }
  const skipped: number[] = [];
  while (heap.size > 0) {
    const key = heap.pop();
    if (dropout > 0 && random() < dropout) {
      skipped.push(key);
      continue;
    }
    for (const k of skipped) heap.push(k);
    skipped.length = 0;
    const r = Math.floor(key / POS);
    const pos = key - r * POS;
    const right = next[pos] as number;
    if (ids[pos] === -1 || right >= n || table.rank(ids[pos] as number, ids[right] as number) !== r) continue;
    ids[pos] = table.mergedId(r);
    ends[pos] = ends[right] as number;
    ids[right] = -1;
    const after = next[right] as number;
    next[pos] = after;
    if (after < n) prev[after] = pos;
    const before = prev[pos] as number;
    if (before >= 0) {
      const rb = table.rank(ids[before] as number, ids[pos] as number);
      if (rb >= 0) heap.push(rb * POS + before);
    }
    if (after < n) {
      const ra = table.rank(ids[pos] as number, ids[after] as number);
      if (ra >= 0) heap.push(ra * POS + pos);
    }
  }
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (ids[i] === -1) continue;
    ids[m] = ids[i] as number;
    starts[m] = starts[i] as number;
    ends[m] = ends[i] as number;
    m++;
  }
  return m;
}

/** The same merges for a short word: repeatedly apply the lowest-ranked, leftmost pair. */
function mergeSmall(ids: Int32Array, starts: Int32Array, ends: Int32Array, n: number, table: MergeTable): number {
  let m = n;
  for (;;) {
    let best = -1;
    let at = -1;
    for (let i = 0; i + 1 < m; i++) {
      const r = table.rank(ids[i] as number, ids[i + 1] as number);
      if (r >= 0 && (best < 0 || r < best)) {
        best = r;
        at = i;
      }
    }
    if (best < 0) return m;
    ids[at] = table.mergedId(best);
    ends[at] = ends[at + 1] as number;
    for (let i = at + 1; i + 1 < m; i++) {
      ids[i] = ids[i + 1] as number;
      starts[i] = starts[i + 1] as number;
      ends[i] = ends[i + 1] as number;
    }
    m--;
  }
}

/** A binary min-heap of non-negative numbers. */
class Heap {
  private data: Float64Array;
  size = 0;

  constructor(capacity: number) {
    this.data = new Float64Array(Math.max(4, capacity));
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = d[parent] as number;
      if (p <= value) break;
      d[i] = p;
      i = parent;
    }
    d[i] = value;
  }

  pop(): number {
    const d = this.data;
    const top = d[0] as number;
    const last = d[--this.size] as number;
    const n = this.size;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const c2 = child + 1;
      if (c2 < n && (d[c2] as number) < (d[child] as number)) child = c2;
      if ((d[child] as number) >= last) break;
      d[i] = d[child] as number;
      i = child;
    }
    d[i] = last;
    return top;
  }
}
