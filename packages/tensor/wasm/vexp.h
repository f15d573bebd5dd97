/*
 * exp(x) four lanes at a time in WebAssembly SIMD, shared by the seam's kernels (included, so it
 * inlines). Needs <wasm_simd128.h>.
 */
#ifndef LMKIT_VEXP_H
#define LMKIT_VEXP_H

#include <wasm_simd128.h>

/* c + a·b */
static inline v128_t vexp_madd(v128_t c, v128_t a, v128_t b) { return wasm_f32x4_add(c, wasm_f32x4_mul(a, b)); }

/* 2ⁿ for integer-valued n in [−75, 75] (floats), through the exponent bits. */
static inline v128_t vexp_pow2(v128_t n) {
  return wasm_i32x4_shl(wasm_i32x4_add(wasm_i32x4_trunc_sat_f32x4(n), wasm_i32x4_splat(127)), 23);
}

/*
 * exp(x), Cephes' expf: x = n·ln2 + r with |r| ≤ ln2/2 (ln2 in two parts, so r is exact), a
 * degree-6 polynomial for exp(r), then 2ⁿ as 2^⌊n/2⌋ · 2^(n − ⌊n/2⌋) so that results down to the
 * denormals and up to FLT_MAX need no special exponent. Above ln(FLT_MAX) the result is +∞, below
 * −104 (under the smallest denormal) it is 0, and NaN stays NaN. Within 2 ulp of the exact value.
 */
static inline v128_t vexp(v128_t x) {
  v128_t over = wasm_f32x4_gt(x, wasm_f32x4_splat(88.72283905206835f));
  v128_t under = wasm_f32x4_lt(x, wasm_f32x4_splat(-104.0f));
  v128_t xc = wasm_f32x4_min(wasm_f32x4_max(x, wasm_f32x4_splat(-104.0f)), wasm_f32x4_splat(88.72283905206835f));
  v128_t n = wasm_f32x4_nearest(wasm_f32x4_mul(xc, wasm_f32x4_splat(1.44269504088896341f)));
  v128_t r = wasm_f32x4_sub(xc, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f)));
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = vexp_madd(wasm_f32x4_splat(1.3981999507e-3f), p, r);
  p = vexp_madd(wasm_f32x4_splat(8.3334519073e-3f), p, r);
  p = vexp_madd(wasm_f32x4_splat(4.1665795894e-2f), p, r);
  p = vexp_madd(wasm_f32x4_splat(1.6666665459e-1f), p, r);
  p = vexp_madd(wasm_f32x4_splat(5.0000001201e-1f), p, r);
  p = vexp_madd(wasm_f32x4_add(r, wasm_f32x4_splat(1.0f)), p, wasm_f32x4_mul(r, r));
  v128_t half = wasm_f32x4_floor(wasm_f32x4_mul(n, wasm_f32x4_splat(0.5f)));
  v128_t y = wasm_f32x4_mul(wasm_f32x4_mul(p, vexp_pow2(half)), vexp_pow2(wasm_f32x4_sub(n, half)));
  y = wasm_v128_bitselect(wasm_f32x4_splat(__builtin_inff()), y, over);
  return wasm_v128_andnot(y, under);
}

#endif
