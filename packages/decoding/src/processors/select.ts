/**
 * Selection instead of sorting, for the warpers that keep "the best tokens up to a threshold":
 * the k-th largest value by a bounded min-heap (one pass over V, O(V log k) at worst), and the
 * value where cumulative probability mass crosses a target by three-way quickselect (expected
 * O(n)). Both treat ties inclusively: every token equal to the threshold is kept.
 *
 * Reference: Hoare's FIND (quickselect), CACM 1961; the heap is the textbook bounded top-k.
 */

let heap = new Float64Array(64);

/** The k-th largest of `values[0..n)` counting repeats (`-Infinity` when n < k). */
export function kthLargest(values: Float32Array | Float64Array, n: number, k: number): number {
  if (k > n) return -Infinity;
  if (heap.length < k) heap = new Float64Array(k);
  const h = heap;
  // A min-heap of the k largest values seen so far; h[0] is the smallest of them.
  for (let i = 0; i < k; i++) siftUp(h, i, values[i]!);
  let root = h[0]!;
  for (let i = k; i < n; i++) {
    const x = values[i]!;
    if (x > root) {
      siftDown(h, k, x);
      root = h[0]!;
    }
  }
  return root;
}

function siftUp(h: Float64Array, at: number, x: number): void {
  let i = at;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (h[parent]! <= x) break;
    h[i] = h[parent]!;
    i = parent;
  }
  h[i] = x;
}

/** Replaces the root with x and restores the heap of `size` elements. */
function siftDown(h: Float64Array, size: number, x: number): void {
  let i = 0;
  for (;;) {
    let child = 2 * i + 1;
    if (child >= size) break;
    if (child + 1 < size && h[child + 1]! < h[child]!) child++;
    if (h[child]! >= x) break;
    h[i] = h[child]!;
    i = child;
  }
  h[i] = x;
}

/**
 * The largest value v among `keys[0..n)` such that the probability mass of all keys ≥ v reaches
 * `target`, or `-Infinity` when even the whole mass stays below it. Keeping the keys ≥ the result
 * keeps the smallest best-first prefix whose mass reaches `target`, with its ties.
 *
 * `keys` and `probs` are reordered in place (they are scratch copies).
 */
export function massThreshold(keys: Float64Array, probs: Float64Array, n: number, target: number): number {
  let lo = 0;
  let hi = n;
  let above = 0; // mass of the keys greater than every key in [lo, hi)
  while (lo < hi) {
    const pivot = keys[lo + ((hi - lo) >> 1)]!;
    // Three-way partition of [lo, hi): [lo, gt) > pivot, [gt, lt) = pivot, [lt, hi) < pivot.
    let gt = lo;
    let lt = hi;
    let i = lo;
    let massGreater = 0;
    let massEqual = 0;
    while (i < lt) {
      const k = keys[i]!;
      if (k > pivot) {
        massGreater += probs[i]!;
        swap(keys, probs, i++, gt++);
      } else if (k < pivot) {
        swap(keys, probs, i, --lt);
      } else {
        massEqual += probs[i]!;
        i++;
      }
    }
    if (above + massGreater >= target) {
      hi = gt; // the threshold is above the pivot (this part is not empty: `above` < target)
    } else if (above + massGreater + massEqual >= target) {
      return pivot;
    } else {
      above += massGreater + massEqual;
      lo = lt;
    }
  }
  return -Infinity;
}

function swap(keys: Float64Array, probs: Float64Array, a: number, b: number): void {
  const k = keys[a]!;
  keys[a] = keys[b]!;
  keys[b] = k;
  const p = probs[a]!;
  probs[a] = probs[b]!;
  probs[b] = p;
}
