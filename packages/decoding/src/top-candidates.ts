/**
 * The best `capacity` (beam, token) continuations of a beam group, by score, found in one pass
 * over the group's rows with a bounded min-heap — beam search's `torch.topk` over
 * `[group_size · V]` without materialising that array.
 *
 * Order: higher score first; equal scores by lower flat index (beam · V + token) first.
 */
export class TopCandidates {
  private score = new Float64Array(0);
  private flat = new Int32Array(0);
  private logprob = new Float64Array(0);
  private size = 0;
  private capacity = 0;

  /** Empties the heap and sets how many candidates it keeps. */
  reset(capacity: number): void {
    if (this.score.length < capacity) {
      this.score = new Float64Array(capacity);
      this.flat = new Int32Array(capacity);
      this.logprob = new Float64Array(capacity);
    }
    this.capacity = capacity;
    this.size = 0;
  }

  /**
   * Offers every unmasked token of one beam's processed row: score = beamScore + row[token].
   * Beams must be offered in order of `beam` (ties are broken by offering order).
   */
  offer(beam: number, beamScore: number, row: Float32Array): void {
    const V = row.length;
    for (let t = 0; t < V; t++) {
      const lp = row[t]!;
      if (lp === -Infinity) continue;
      const s = beamScore + lp;
      if (this.size < this.capacity) this.push(s, beam * V + t, lp);
      else if (s > this.score[0]!) this.replaceRoot(s, beam * V + t, lp);
    }
  }

  /** The kept candidates, best first. */
  sorted(V: number): { beam: number; token: number; score: number; logprob: number }[] {
    const out = [];
    for (let i = 0; i < this.size; i++) {
      const f = this.flat[i]!;
      out.push({ beam: Math.floor(f / V), token: f % V, score: this.score[i]!, logprob: this.logprob[i]!, flat: f });
    }
    out.sort((a, b) => b.score - a.score || a.flat - b.flat);
    return out.map(({ beam, token, score, logprob }) => ({ beam, token, score, logprob }));
  }

  /** a ranks below b: lower score, or equal score and a later flat index. */
  private worse(a: number, b: number): boolean {
    const sa = this.score[a]!;
    const sb = this.score[b]!;
    return sa < sb || (sa === sb && this.flat[a]! > this.flat[b]!);
  }

  private push(s: number, f: number, lp: number): void {
    let i = this.size++;
    this.set(i, s, f, lp);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private replaceRoot(s: number, f: number, lp: number): void {
    this.set(0, s, f, lp);
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && this.worse(l + 1, l) ? l + 1 : l;
      if (!this.worse(c, i)) break;
      this.swap(i, c);
      i = c;
    }
  }

  private set(i: number, s: number, f: number, lp: number): void {
    this.score[i] = s;
    this.flat[i] = f;
    this.logprob[i] = lp;
  }

  private swap(a: number, b: number): void {
    const s = this.score[a]!;
    const f = this.flat[a]!;
    const lp = this.logprob[a]!;
    this.set(a, this.score[b]!, this.flat[b]!, this.logprob[b]!);
    this.set(b, s, f, lp);
  }
}
