/*
 * Single-precision matrix product on the wasm heap, C = A·B for A (M, K) and B (K, N) given by
 * element strides, so that a transposed operand costs nothing extra: A(i, k) = a[i·sai + k·sak],
 * B(k, j) = b[k·sbk + j·sbj], C row-major (M, N).
 *
 * The GotoBLAS scheme (Goto & van de Geijn, 2008) at wasm SIMD width: K is cut into slices of
 * KC, N into blocks of NC and M into blocks of MC; B's (KC, NC) block is packed into panels of
 * NR = 8 columns stored k-major, A's (MC, KC) block into panels of MR = 4 rows stored k-major
 * (zero-padded at the edges), and a 4 × 8 register tile — 8 vector accumulators — runs over each
 * pair of panels. (A 6 × 8 tile, XNNPACK's choice, measured 25–35 % slower here: its 12
 * accumulators and 3 temporaries fill x86-64's 16 xmm registers, and V8 spills.) Packing reads
 * either layout, which is how every transpose combination runs at the
 * untransposed speed. Scratch memory comes from the caller; this module has no stack and no data.
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 8
#define KC 256
#define MC 72
#define NC 512

typedef float f32;

static inline int min(int a, int b) { return a < b ? a : b; }

/* Floats of scratch gemm needs: packed A and B slices and one edge tile. */
__attribute__((export_name("gemm_scratch")))
int gemm_scratch(int M, int N, int K) {
  int mc = (min(M, MC) + MR - 1) / MR * MR, nc = (min(N, NC) + NR - 1) / NR * NR;
  return min(K, KC) * (mc + nc) + MR * NR;
}

/* pa[panel][k][r] = A(i0 + r, k0 + k) for rows of `panel`, zero past M. */
static void pack_a(f32 *pa, const f32 *a, int sai, int sak, int M, int k0, int kc) {
  for (int i0 = 0; i0 < M; i0 += MR, pa += kc * MR) {
    int rows = min(MR, M - i0);
    if (sak == 1 && rows == MR) {
      const f32 *r0 = a + i0 * sai + k0;
      for (int k = 0; k < kc; k++) {
        f32 *d = pa + k * MR;
        d[0] = r0[k]; d[1] = r0[sai + k]; d[2] = r0[2 * sai + k]; d[3] = r0[3 * sai + k];
      }
    } else if (sai == 1 && rows == MR) {
      /* A stored transposed: the panel's 4 rows at one k are 4 consecutive floats. */
      for (int k = 0; k < kc; k++) wasm_v128_store(pa + k * MR, wasm_v128_load(a + i0 + (k0 + k) * sak));
    } else {
      for (int k = 0; k < kc; k++) {
        f32 *d = pa + k * MR;
        const f32 *s = a + i0 * sai + (k0 + k) * sak;
        for (int r = 0; r < MR; r++) d[r] = r < rows ? s[r * sai] : 0;
      }
    }
  }
}

/* pb[panel][k][c] = B(k0 + k, j0 + c) for columns of `panel`, zero past N. */
static void pack_b(f32 *pb, const f32 *b, int sbk, int sbj, int N, int k0, int kc) {
  for (int j0 = 0; j0 < N; j0 += NR, pb += kc * NR) {
    int cols = min(NR, N - j0);
    if (sbj == 1 && cols == NR) {
      for (int k = 0; k < kc; k++) {
        const f32 *s = b + (k0 + k) * sbk + j0;
        wasm_v128_store(pb + k * NR, wasm_v128_load(s));
        wasm_v128_store(pb + k * NR + 4, wasm_v128_load(s + 4));
      }
    } else if (sbk == 1 && cols == NR) {
      /* B stored transposed: 4 × 4 blocks of (column, k) are transposed in registers. */
      int kc4 = kc & ~3;
      for (int c = 0; c < NR; c += 4) {
        const f32 *s0 = b + (j0 + c) * sbj + k0, *s1 = s0 + sbj, *s2 = s1 + sbj, *s3 = s2 + sbj;
        for (int k = 0; k < kc4; k += 4) {
          v128_t r0 = wasm_v128_load(s0 + k), r1 = wasm_v128_load(s1 + k), r2 = wasm_v128_load(s2 + k), r3 = wasm_v128_load(s3 + k);
          v128_t t0 = wasm_i32x4_shuffle(r0, r1, 0, 4, 1, 5), t1 = wasm_i32x4_shuffle(r0, r1, 2, 6, 3, 7);
          v128_t t2 = wasm_i32x4_shuffle(r2, r3, 0, 4, 1, 5), t3 = wasm_i32x4_shuffle(r2, r3, 2, 6, 3, 7);
          f32 *d = pb + k * NR + c;
          wasm_v128_store(d, wasm_i32x4_shuffle(t0, t2, 0, 1, 4, 5));
          wasm_v128_store(d + NR, wasm_i32x4_shuffle(t0, t2, 2, 3, 6, 7));
          wasm_v128_store(d + 2 * NR, wasm_i32x4_shuffle(t1, t3, 0, 1, 4, 5));
          wasm_v128_store(d + 3 * NR, wasm_i32x4_shuffle(t1, t3, 2, 3, 6, 7));
        }
        for (int k = kc4; k < kc; k++) {
          f32 *d = pb + k * NR + c;
          d[0] = s0[k]; d[1] = s1[k]; d[2] = s2[k]; d[3] = s3[k];
        }
      }
    } else {
      for (int k = 0; k < kc; k++) {
        const f32 *s = b + (k0 + k) * sbk + j0 * sbj;
        for (int c = 0; c < NR; c++) pb[k * NR + c] = c < cols ? s[c * sbj] : 0;
      }
    }
  }
}

/*
 * The 6 × 8 tile at c (rows `ldc` apart): c (+)= Σ_k pa[k][r] · pb[k][·] over kc. `accumulate`
 * adds to c (later K slices); `rows`, `cols` < the tile write through `edge`.
 */
static void tile(const f32 *pa, const f32 *pb, int kc, f32 *c, int ldc, int rows, int cols, int accumulate, f32 *edge) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  v128_t c30 = c00, c31 = c00;
  for (int k = 0; k < kc; k++, pa += MR, pb += NR) {
    v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t x;
    x = wasm_v128_load32_splat(pa + 0); c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x, b0)); c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x, b1));
    x = wasm_v128_load32_splat(pa + 1); c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x, b0)); c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x, b1));
    x = wasm_v128_load32_splat(pa + 2); c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x, b0)); c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x, b1));
    x = wasm_v128_load32_splat(pa + 3); c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x, b0)); c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x, b1));
  }
  int full = rows == MR && cols == NR;
  f32 *d = full ? c : edge;
  int ld = full ? ldc : NR;
  if (full && accumulate) {
#define ADD(r, lo, hi) \
    wasm_v128_store(d + r * ld, wasm_f32x4_add(wasm_v128_load(d + r * ld), lo)); \
    wasm_v128_store(d + r * ld + 4, wasm_f32x4_add(wasm_v128_load(d + r * ld + 4), hi));
    ADD(0, c00, c01) ADD(1, c10, c11) ADD(2, c20, c21) ADD(3, c30, c31)
#undef ADD
    return;
  }
#define PUT(r, lo, hi) wasm_v128_store(d + r * ld, lo); wasm_v128_store(d + r * ld + 4, hi);
  PUT(0, c00, c01) PUT(1, c10, c11) PUT(2, c20, c21) PUT(3, c30, c31)
#undef PUT
  if (full) return;
  for (int r = 0; r < rows; r++)
    for (int j = 0; j < cols; j++) c[r * ldc + j] = (accumulate ? c[r * ldc + j] : 0) + edge[r * NR + j];
}

/* C (M, N) = A·B; see the header for the strides. */
__attribute__((export_name("gemm")))
void gemm(const f32 *a, int sai, int sak, const f32 *b, int sbk, int sbj, f32 *c, int M, int N, int K, f32 *scratch) {
  int kcMax = min(K, KC);
  int mcMax = (min(M, MC) + MR - 1) / MR * MR;
  int ncMax = (min(N, NC) + NR - 1) / NR * NR;
  f32 *pa = scratch, *pb = pa + kcMax * mcMax, *edge = pb + kcMax * ncMax;
  for (int k0 = 0; k0 < K; k0 += KC) {
    int kc = min(KC, K - k0);
    for (int n0 = 0; n0 < N; n0 += NC) {
      int nc = min(NC, N - n0);
      pack_b(pb, b + n0 * sbj, sbk, sbj, nc, k0, kc);
      for (int m0 = 0; m0 < M; m0 += MC) {
        int mc = min(MC, M - m0);
        pack_a(pa, a + m0 * sai, sai, sak, mc, k0, kc);
        for (int j0 = 0; j0 < nc; j0 += NR) {
          const f32 *pbj = pb + (j0 / NR) * kc * NR;
          for (int i0 = 0; i0 < mc; i0 += MR) {
            tile(pa + (i0 / MR) * kc * MR, pbj, kc, c + (m0 + i0) * N + n0 + j0, N, min(MR, mc - i0), min(NR, nc - j0), k0 > 0, edge);
          }
        }
      }
    }
  }
}

/*
 * C (M, N) = A·B for few rows (decoding one token, one query over a cache), without packing B,
 * which for one row costs as much as the product: each row of A is copied contiguous into
 * `scratch` (K floats), then each output is a dot product with B's column when B is stored
 * transposed (sbk = 1), or the row is built as Σ_k A(i, k)·B(k, ·) when B is row-major (sbj = 1).
 */
__attribute__((export_name("gemm_rows")))
void gemm_rows(const f32 *a, int sai, int sak, const f32 *b, int sbk, int sbj, f32 *c, int M, int N, int K, f32 *scratch) {
  int K4 = K & ~3, N4 = N & ~3;
  for (int i = 0; i < M; i++) {
    f32 *x = scratch, *out = c + i * N;
    for (int k = 0; k < K; k++) x[k] = a[i * sai + k * sak];
    if (sbk == 1) {
      for (int j = 0; j < N; j++) {
        const f32 *col = b + j * sbj;
        v128_t s = wasm_f32x4_splat(0);
        for (int k = 0; k < K4; k += 4) s = wasm_f32x4_add(s, wasm_f32x4_mul(wasm_v128_load(x + k), wasm_v128_load(col + k)));
        f32 sum = (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) + (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
        for (int k = K4; k < K; k++) sum += x[k] * col[k];
        out[j] = sum;
      }
    } else {
      for (int j = 0; j < N; j++) out[j] = 0;
      for (int k = 0; k < K; k++) {
        const f32 *row = b + k * sbk;
        v128_t xk = wasm_f32x4_splat(x[k]);
        for (int j = 0; j < N4; j += 4) wasm_v128_store(out + j, wasm_f32x4_add(wasm_v128_load(out + j), wasm_f32x4_mul(xk, wasm_v128_load(row + j))));
        for (int j = N4; j < N; j++) out[j] += x[k] * row[j];
      }
    }
  }
}
