/*
 * Fused scaled dot-product attention on the wasm heap, forward and backward, without ever holding
 * a (Tq, Tk) score matrix: FlashAttention's recomputation (Dao et al., 2022, §3.1) done one block
 * of ROWS queries at a time, against every key the block may see (so each row's softmax is the
 * exact full-row softmax, and a causal block stops at its last row's key).
 *
 * Shapes (row-major float32): q (BH, Tq, d), k (BH, Tk, d), v (BH, Tk, dv), o (BH, Tq, dv),
 * stats (BH, Tq, 2) = each row's max score and 1 / Σ exp(score − max). With `causal`, query i sees
 * keys 0 … i + shift (shift = Tk − Tq, bottom-right aligned, as PyTorch's causal mask here).
 *
 * Keys and values are first transposed per head into zero-padded (d, Tkp) and (dv, Tkp) tiles,
 * Tkp = Tk rounded up to 8, so every loop over keys runs on whole SIMD vectors and d, dv may be
 * anything. Scratch memory comes from the caller (see scratch sizes in the JavaScript side); this
 * module has no stack and no static data.
 */
#include <wasm_simd128.h>
#include "vexp.h"

#define ROWS 4

typedef float f32;

static inline v128_t splat(f32 x) { return wasm_f32x4_splat(x); }
static inline v128_t load(const f32 *p) { return wasm_v128_load(p); }
static inline void store(f32 *p, v128_t x) { wasm_v128_store(p, x); }
static inline v128_t madd(v128_t acc, v128_t a, v128_t b) { return wasm_f32x4_add(acc, wasm_f32x4_mul(a, b)); }
static inline f32 hsum(v128_t x) {
  return (wasm_f32x4_extract_lane(x, 0) + wasm_f32x4_extract_lane(x, 1)) +
         (wasm_f32x4_extract_lane(x, 2) + wasm_f32x4_extract_lane(x, 3));
}

/* dst (cols, Tkp) = the transpose of src (Tk, cols), zero past Tk. */
static void transpose_pad(f32 *dst, const f32 *src, int Tk, int Tkp, int cols) {
  for (int c = 0; c < cols; c++) {
    f32 *row = dst + c * Tkp;
    for (int j = 0; j < Tk; j++) row[j] = src[j * cols + c];
    for (int j = Tk; j < Tkp; j++) row[j] = 0;
  }
}

/* dst (Tk, cols) = the transpose of src (cols, Tkp), first Tk columns. */
static void untranspose(f32 *dst, const f32 *src, int Tk, int Tkp, int cols) {
  for (int j = 0; j < Tk; j++)
    for (int c = 0; c < cols; c++) dst[j * cols + c] = src[c * Tkp + j];
}

/*
 * out[r][j] = alpha · Σ_c a[r][c] · bt[c][j] for 4 rows a[0..3] (length n each) and j < nk (a
 * multiple of 8), bt (n, Tkp). Rows past the valid ones repeat a valid row; their results are unused.
 */
static void rows_times_t(f32 *out, const f32 *const *a, const f32 *bt, int n, int nk, int Tkp, f32 alpha) {
  const f32 *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];
  for (int j = 0; j < nk; j += 8) {
    v128_t s00 = splat(0), s01 = splat(0), s10 = splat(0), s11 = splat(0);
    v128_t s20 = splat(0), s21 = splat(0), s30 = splat(0), s31 = splat(0);
    const f32 *b = bt + j;
    for (int c = 0; c < n; c++, b += Tkp) {
      v128_t b0 = load(b), b1 = load(b + 4);
      v128_t x0 = splat(a0[c]), x1 = splat(a1[c]), x2 = splat(a2[c]), x3 = splat(a3[c]);
      s00 = madd(s00, x0, b0); s01 = madd(s01, x0, b1);
      s10 = madd(s10, x1, b0); s11 = madd(s11, x1, b1);
      s20 = madd(s20, x2, b0); s21 = madd(s21, x2, b1);
      s30 = madd(s30, x3, b0); s31 = madd(s31, x3, b1);
    }
    v128_t al = splat(alpha);
    store(out + j, wasm_f32x4_mul(s00, al)); store(out + j + 4, wasm_f32x4_mul(s01, al));
    store(out + Tkp + j, wasm_f32x4_mul(s10, al)); store(out + Tkp + j + 4, wasm_f32x4_mul(s11, al));
    store(out + 2 * Tkp + j, wasm_f32x4_mul(s20, al)); store(out + 2 * Tkp + j + 4, wasm_f32x4_mul(s21, al));
    store(out + 3 * Tkp + j, wasm_f32x4_mul(s30, al)); store(out + 3 * Tkp + j + 4, wasm_f32x4_mul(s31, al));
  }
}

/*
 * out[r][c] = alpha[r] · Σ_{j < nk} p[r][j] · bt[c][j] for the first `rows` rows, c < n; p (ROWS,
 * Tkp), bt (n, Tkp), nk a multiple of 8; out rows `stride` apart.
 */
static void rows_dot_t(f32 *out, int stride, int rows, const f32 *p, const f32 *bt, int n, int nk, int Tkp, const f32 *alpha, f32 *sums) {
  const f32 *p0 = p, *p1 = p + Tkp, *p2 = p + 2 * Tkp, *p3 = p + 3 * Tkp;
  int c = 0;
  for (; c + 2 <= n; c += 2) {
    const f32 *b0 = bt + c * Tkp, *b1 = b0 + Tkp;
    v128_t s00 = splat(0), s01 = splat(0), s10 = splat(0), s11 = splat(0);
    v128_t s20 = splat(0), s21 = splat(0), s30 = splat(0), s31 = splat(0);
    for (int j = 0; j < nk; j += 4) {
      v128_t y0 = load(b0 + j), y1 = load(b1 + j);
      v128_t x0 = load(p0 + j), x1 = load(p1 + j), x2 = load(p2 + j), x3 = load(p3 + j);
      s00 = madd(s00, x0, y0); s01 = madd(s01, x0, y1);
      s10 = madd(s10, x1, y0); s11 = madd(s11, x1, y1);
      s20 = madd(s20, x2, y0); s21 = madd(s21, x2, y1);
      s30 = madd(s30, x3, y0); s31 = madd(s31, x3, y1);
    }
    sums[0] = hsum(s00); sums[1] = hsum(s01); sums[2] = hsum(s10); sums[3] = hsum(s11);
    sums[4] = hsum(s20); sums[5] = hsum(s21); sums[6] = hsum(s30); sums[7] = hsum(s31);
    for (int r = 0; r < rows; r++) {
      out[r * stride + c] = alpha[r] * sums[2 * r];
      out[r * stride + c + 1] = alpha[r] * sums[2 * r + 1];
    }
  }
  for (; c < n; c++) {
    const f32 *b0 = bt + c * Tkp;
    v128_t s0 = splat(0), s1 = splat(0), s2 = splat(0), s3 = splat(0);
    for (int j = 0; j < nk; j += 4) {
      v128_t y0 = load(b0 + j);
      s0 = madd(s0, load(p0 + j), y0); s1 = madd(s1, load(p1 + j), y0);
      s2 = madd(s2, load(p2 + j), y0); s3 = madd(s3, load(p3 + j), y0);
    }
    sums[0] = hsum(s0); sums[1] = hsum(s1); sums[2] = hsum(s2); sums[3] = hsum(s3);
    for (int r = 0; r < rows; r++) out[r * stride + c] = alpha[r] * sums[r];
  }
}

/* acc[c][j] += alpha · Σ_r a[r][c] · p[r][j] for c < n, j < nk (a multiple of 8); acc (n, Tkp), p (ROWS, Tkp). */
static void accumulate_t(f32 *acc, const f32 *const *a, const f32 *p, int n, int nk, int Tkp, f32 alpha) {
  const f32 *p0 = p, *p1 = p + Tkp, *p2 = p + 2 * Tkp, *p3 = p + 3 * Tkp;
  for (int c = 0; c < n; c++) {
    v128_t x0 = splat(alpha * a[0][c]), x1 = splat(alpha * a[1][c]);
    v128_t x2 = splat(alpha * a[2][c]), x3 = splat(alpha * a[3][c]);
    f32 *row = acc + c * Tkp;
    for (int j = 0; j < nk; j += 4) {
      v128_t s = wasm_f32x4_add(wasm_f32x4_mul(x0, load(p0 + j)), wasm_f32x4_mul(x1, load(p1 + j)));
      s = wasm_f32x4_add(s, wasm_f32x4_add(wasm_f32x4_mul(x2, load(p2 + j)), wasm_f32x4_mul(x3, load(p3 + j))));
      store(row + j, wasm_f32x4_add(load(row + j), s));
    }
  }
}

/* How many keys row i may see. */
static inline int visible(int i, int Tk, int causal, int shift) {
  if (!causal) return Tk;
  int n = i + shift + 1;
  return n < Tk ? n : Tk;
}

/*
 * Row r of s (scores, length ≥ nk) → exp(s − m[r]) for j < lim[r], 0 up to nk; writes m and
 * 1 / Σ into stats when `stats` is set, else uses them from `given` (the backward pass).
 */
static void softmax_rows(f32 *s, int Tkp, int rows, const int *lim, int nk, f32 *stats, const f32 *given) {
  for (int r = 0; r < ROWS; r++) {
    f32 *row = s + r * Tkp;
    if (r >= rows) {
      for (int j = 0; j < nk; j += 4) store(row + j, splat(0));
      continue;
    }
    int n = lim[r];
    f32 m, inv;
    if (given) {
      m = given[2 * r];
      inv = given[2 * r + 1];
    } else {
      v128_t vmax = splat(row[0]);
      int j = 0;
      for (; j + 4 <= n; j += 4) vmax = wasm_f32x4_pmax(vmax, load(row + j));
      m = wasm_f32x4_extract_lane(vmax, 0);
      for (int l = 1; l < 4; l++) {
        f32 x = l == 1 ? wasm_f32x4_extract_lane(vmax, 1) : l == 2 ? wasm_f32x4_extract_lane(vmax, 2) : wasm_f32x4_extract_lane(vmax, 3);
        m = x > m ? x : m;
      }
      for (; j < n; j++) m = row[j] > m ? row[j] : m;
    }
    v128_t vm = splat(m), sum = splat(0);
    int j = 0;
    for (; j + 4 <= n; j += 4) {
      v128_t e = vexp(wasm_f32x4_sub(load(row + j), vm));
      sum = wasm_f32x4_add(sum, e);
      store(row + j, e);
    }
    if (j < n) {
      /* The partial vector: lanes past n are masked to 0. */
      v128_t lane = wasm_i32x4_make(j, j + 1, j + 2, j + 3);
      v128_t keep = wasm_i32x4_lt(lane, wasm_i32x4_splat(n));
      v128_t e = wasm_v128_and(vexp(wasm_f32x4_sub(load(row + j), vm)), keep);
      sum = wasm_f32x4_add(sum, e);
      store(row + j, e);
      j += 4;
    }
    for (; j < nk; j += 4) store(row + j, splat(0));
    if (!given) {
      inv = 1.0f / hsum(sum);
      stats[2 * r] = m;
      stats[2 * r + 1] = inv;
    }
    if (given) {
      v128_t vi = splat(inv);
      for (int k = 0; k < nk; k += 4) store(row + k, wasm_f32x4_mul(load(row + k), vi));
    }
  }
}

static inline int round8(int n) { return (n + 7) & ~7; }

/*
 * The head of the scratch memory: per-block row pointers and numbers, kept there rather than in
 * C arrays because this module has no stack. HEADER floats keep the tiles after it 16-byte aligned.
 */
#define HEADER 32
typedef struct {
  const f32 *a[ROWS]; /* rows of q */
  const f32 *b[ROWS]; /* rows of dO (backward) */
  int lim[ROWS];      /* keys each row sees */
  f32 alpha[ROWS];    /* per-row factors */
  f32 delta[ROWS];    /* Σ dO ∘ O per row (backward) */
  f32 sums[2 * ROWS]; /* rows_dot_t's sums */
} Block;
_Static_assert(sizeof(Block) <= HEADER * sizeof(f32), "Block fits the scratch header");

/* Scratch floats the forward pass needs. */
__attribute__((export_name("attention_forward_scratch")))
int attention_forward_scratch(int Tk, int d, int dv) { return HEADER + (d + dv + ROWS) * round8(Tk); }

/* Scratch floats the backward pass needs. */
__attribute__((export_name("attention_backward_scratch")))
int attention_backward_scratch(int Tk, int d, int dv) { return HEADER + 2 * (d + dv + ROWS) * round8(Tk); }

/* Fills the block's rows i0 … i0 + rows − 1 (later slots repeat the last row). */
static void block_rows(Block *blk, const f32 *qh, const f32 *dh, int i0, int rows, int d, int dv, int Tk, int causal, int shift) {
  for (int r = 0; r < ROWS; r++) {
    int i = i0 + (r < rows ? r : rows - 1);
    blk->a[r] = qh + i * d;
    blk->b[r] = dh ? dh + i * dv : 0;
    blk->lim[r] = visible(i0 + r, Tk, causal, shift);
  }
}

__attribute__((export_name("attention_forward")))
void attention_forward(const f32 *q, const f32 *k, const f32 *v, f32 *o, f32 *stats, f32 *scratch,
                       int BH, int Tq, int Tk, int d, int dv, f32 scale, int causal, int shift) {
  int Tkp = round8(Tk);
  Block *blk = (Block *)scratch;
  f32 *kt = scratch + HEADER, *vt = kt + d * Tkp, *s = vt + dv * Tkp;
  for (int h = 0; h < BH; h++) {
    const f32 *qh = q + h * Tq * d;
    transpose_pad(kt, k + h * Tk * d, Tk, Tkp, d);
    transpose_pad(vt, v + h * Tk * dv, Tk, Tkp, dv);
    for (int i0 = 0; i0 < Tq; i0 += ROWS) {
      int rows = Tq - i0 < ROWS ? Tq - i0 : ROWS;
      block_rows(blk, qh, 0, i0, rows, d, dv, Tk, causal, shift);
      int nk = round8(blk->lim[rows - 1]);
      f32 *st = stats + (h * Tq + i0) * 2;
      rows_times_t(s, blk->a, kt, d, nk, Tkp, scale);
      softmax_rows(s, Tkp, rows, blk->lim, nk, st, 0);
      for (int r = 0; r < ROWS; r++) blk->alpha[r] = r < rows ? st[2 * r + 1] : 0;
      rows_dot_t(o + (h * Tq + i0) * dv, dv, rows, s, vt, dv, nk, Tkp, blk->alpha, blk->sums);
    }
  }
}

__attribute__((export_name("attention_backward")))
void attention_backward(const f32 *q, const f32 *k, const f32 *v, const f32 *o, const f32 *stats, const f32 *dout,
                        f32 *dq, f32 *dk, f32 *dvv, f32 *scratch,
                        int BH, int Tq, int Tk, int d, int dv, f32 scale, int causal, int shift) {
  int Tkp = round8(Tk);
  Block *blk = (Block *)scratch;
  f32 *kt = scratch + HEADER, *vt = kt + d * Tkp, *dkt = vt + dv * Tkp, *dvt = dkt + d * Tkp;
  f32 *p = dvt + dv * Tkp, *ds = p + ROWS * Tkp;
  for (int h = 0; h < BH; h++) {
    const f32 *qh = q + h * Tq * d, *oh = o + h * Tq * dv, *dh = dout + h * Tq * dv;
    transpose_pad(kt, k + h * Tk * d, Tk, Tkp, d);
    transpose_pad(vt, v + h * Tk * dv, Tk, Tkp, dv);
    for (int i = 0; i < (d + dv) * Tkp; i++) dkt[i] = 0;
    for (int i0 = 0; i0 < Tq; i0 += ROWS) {
      int rows = Tq - i0 < ROWS ? Tq - i0 : ROWS;
      block_rows(blk, qh, dh, i0, rows, d, dv, Tk, causal, shift);
      for (int r = 0; r < ROWS; r++) {
        /* D = Σ dO ∘ O: the softmax backward's row term. */
        const f32 *orow = oh + (blk->a[r] - qh) / d * dv;
        f32 acc = 0;
        for (int c = 0; c < dv; c++) acc += blk->b[r][c] * orow[c];
        blk->delta[r] = acc;
        blk->alpha[r] = scale;
      }
      int nk = round8(blk->lim[rows - 1]);
      rows_times_t(p, blk->a, kt, d, nk, Tkp, scale);
      softmax_rows(p, Tkp, rows, blk->lim, nk, 0, stats + (h * Tq + i0) * 2);
      rows_times_t(ds, blk->b, vt, dv, nk, Tkp, 1.0f);
      for (int r = 0; r < ROWS; r++) {
        f32 *pr = p + r * Tkp, *dsr = ds + r * Tkp;
        v128_t dl = splat(blk->delta[r]);
        for (int j = 0; j < nk; j += 4) store(dsr + j, wasm_f32x4_mul(load(pr + j), wasm_f32x4_sub(load(dsr + j), dl)));
      }
      rows_dot_t(dq + (h * Tq + i0) * d, d, rows, ds, kt, d, nk, Tkp, blk->alpha, blk->sums);
      accumulate_t(dkt, blk->a, ds, d, nk, Tkp, scale);
      accumulate_t(dvt, blk->b, p, dv, nk, Tkp, 1.0f);
    }
    untranspose(dk + h * Tk * d, dkt, Tk, Tkp, d);
    untranspose(dvv + h * Tk * dv, dvt, Tk, Tkp, dv);
  }
}
