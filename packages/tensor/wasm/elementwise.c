/*
 * Element-wise float32 functions on the wasm heap, four lanes at a time with WebAssembly SIMD.
 * tfjs-backend-wasm 4.22 runs them one scalar libm call per element (its `Exp`: ~20 ns per element
 * measured here, most of a softmax-heavy step). This module has no stack and no static data.
 */
#include <wasm_simd128.h>

typedef float f32;

static inline v128_t splat(f32 x) { return wasm_f32x4_splat(x); }
static inline v128_t madd(v128_t c, v128_t a, v128_t b) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }

/* 2ⁿ for integer-valued n in [−75, 75] (floats), through the exponent bits. */
static inline v128_t pow2(v128_t n) {
  return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
}

/*
 * exp(x), Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts, so r is exact), a
 * degree-6 polynomial for exp(r), then 2ⁿ as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋) so that results down to the
 * denormals and up to FLT_MAX need no special exponent. Above ln(FLT_MAX) the result is +∞, below
 * −104 (under the smallest denormal) it is 0, and NaN stays NaN. Within 2 ulp of the exact value.
 */
static inline v128_t vexp(v128_t x) {
  v128_t over = wasm_f32x4_gt(x, splat(88.72283905206835f));
  v128_t under = wasm_f32x4_lt(x, splat(-104.0f));
  v128_t xc = wasm_f32x4_min(wasm_f32x4_max(x, splat(-104.0f)), splat(88.72283905206835f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(xc, splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, splat(-2.12194440e-4f)));
  v128_t p = splat(1.9875691500e-4f);
  p = madd(splat(1.3981999507e-3f), p, r);
  p = madd(splat(8.3334519073e-3f), p, r);
  p = madd(splat(4.1665795894e-2f), p, r);
  p = madd(splat(1.6666665459e-1f), p, r);
  p = madd(splat(5.0000001201e-1f), p, r);
  p = madd(wasm_f32x4_add(r, splat(1.0f)), p, wasm_f32x4_mul(r, r));
  v128_t half = wasm_f32x4_floor(wasm_f32x4_mul(n, splat(0.5f)));
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(p, pow2(half)), pow2(wasm_f32x4_sub(n, half)));
  y = wasm_v128_bitselect(splat(__builtin_inff()), y, over);
  return wasm_v128_andnot(y, under);
}

/* y[i] = exp(x[i]) for i < n; y may be x. */
__attribute__((export_name("exp_f32")))
void exp_f32(const f32 *x, f32 *y, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, vexp(wasm_v128_load(x + i)));
  for (; i < n; i++) y[i] = wasm_f32x4_extract_lane(vexp(splat(x[i])), 0);
}
