/*
 * The word2vec training loop for WebAssembly SIMD (Mikolov et al., 2013, "Distributed
 * Representations of Words and Phrases and their Compositionality"), following word2vec.c and
 * gensim's word2vec_inner.pyx: skip-gram and CBOW with negative sampling, frequent-word
 * subsampling and window shrinking, one batch of sentences per call. src/word2vec-kernel.ts lays
 * out the memory (the structs below mirror its offsets) and fills the tables; threads share one
 * memory and update the vectors without locks, as word2vec.c and gensim do.
 *
 * Porting note: a saturated score (|f| >= 6) updates nothing, as in gensim (word2vec.c still
 * applies the clipped sigmoid's gradient); its loss is still counted.
 * Porting note: negative samples come from Walker's alias table of the unigram^0.75 distribution
 * (exact, O(1) per draw) rather than word2vec.c's 10^8-entry table or gensim's binary search.
 * Porting note: random numbers come from word2vec.c's 64-bit LCG, x <- 25214903917 x + 11, whose
 * bits 16..47 are one uniform uint32 (gensim's random_int32); draws scale it by multiplying, not by
 * word2vec.c's modulo.
 * Porting note: dot products and updates run on four float32 lanes with four partial sums, so the
 * last bits differ from gensim's float32 BLAS sdot/saxpy.
 */
/* No C stack, so the module asks for no more than one page of the memory JavaScript gives it. */
// clang: -Wl,-z,stack-size=0 -Wl,--initial-memory=65536
#include <stdint.h>
#include <wasm_simd128.h>

#define MAX_EXP 6.0f
#define SIGMOID_TABLE 1000 /* sigmoid and log-sigmoid at SIGMOID_TABLE points of [-MAX_EXP, MAX_EXP) */
#define U32_SCALE 0x1p-32f /* a uint32 times this is uniform in [0, 1) */

/* One column of the alias table: keep the column with probability `prob`, else take `other`. */
typedef struct {
  float prob;
  int32_t other;
} AliasEntry;

/* The model: tables and vectors, shared by every thread (48 bytes; see MODEL_* in word2vec-kernel.ts). */
typedef struct {
  float *syn0;                /* input vectors, the word vectors [V, D] */
  float *syn1neg;             /* output vectors [V, D] */
  const float *keep;          /* probability of keeping each word under subsampling [V] */
  const AliasEntry *alias;    /* the noise distribution [V] */
  const float *sigmoid;       /* [SIGMOID_TABLE] */
  const float *log_sigmoid;   /* [SIGMOID_TABLE] */
  int32_t vocab;              /* V */
  int32_t dim;                /* D */
  int32_t window;
  int32_t negative;
  int32_t skipgram;           /* 1: skip-gram, 0: CBOW */
  int32_t cbow_mean;          /* CBOW: average (1) or sum (0) the context vectors */
} Model;

/* One thread's batch, scratch and results (48 bytes; see SLOT_* in word2vec-kernel.ts). */
typedef struct {
  const int32_t *ids;         /* the batch's word ids */
  const int32_t *ends;        /* exclusive end of each sentence in ids */
  int32_t *sentence;          /* one sentence after subsampling */
  float *neu1;                /* CBOW's hidden vector [D] */
  float *work;                /* the hidden vector's gradient step [D] */
  int32_t effective_words;    /* out: words kept by subsampling */
  int32_t examples;           /* out: (center, context) pairs for skip-gram, windows for CBOW */
  uint64_t rng;               /* the generator state, advanced by every call */
  double loss;                /* out: sum over examples of -log s(f+) - sum log s(-f-) */
} Slot;

/*
 * Always inlined: w2v_train keeps the model and the generator state in locals and passes their
 * addresses down, which would put them on a C stack in a call (scripts/build-wasm.mjs rejects that).
 */
#define INLINE static inline __attribute__((always_inline))

/* The next uniform uint32 of the generator. */
INLINE uint32_t draw(uint64_t *rng) {
  *rng = *rng * 25214903917ULL + 11;
  return (uint32_t)(*rng >> 16);
}

/* An integer uniform in [0, n). */
INLINE int32_t draw_below(uint64_t *rng, int32_t n) {
  return (int32_t)(((uint64_t)draw(rng) * (uint64_t)n) >> 32);
}

INLINE float dot(const float *a, const float *b, int32_t n) {
  v128_t s0 = wasm_f32x4_splat(0.0f), s1 = s0, s2 = s0, s3 = s0;
  int32_t k = 0;
  for (; k + 16 <= n; k += 16) {
    s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
    s1 = wasm_f32x4_add(s1, wasm_f32x4_mul(wasm_v128_load(a + k + 4), wasm_v128_load(b + k + 4)));
    s2 = wasm_f32x4_add(s2, wasm_f32x4_mul(wasm_v128_load(a + k + 8), wasm_v128_load(b + k + 8)));
    s3 = wasm_f32x4_add(s3, wasm_f32x4_mul(wasm_v128_load(a + k + 12), wasm_v128_load(b + k + 12)));
  }
  for (; k + 4 <= n; k += 4) s0 = wasm_f32x4_add(s0, wasm_f32x4_mul(wasm_v128_load(a + k), wasm_v128_load(b + k)));
  v128_t s = wasm_f32x4_add(wasm_f32x4_add(s0, s1), wasm_f32x4_add(s2, s3));
  float f = (wasm_f32x4_extract_lane(s, 0) + wasm_f32x4_extract_lane(s, 1)) +
            (wasm_f32x4_extract_lane(s, 2) + wasm_f32x4_extract_lane(s, 3));
  for (; k < n; k++) f += a[k] * b[k];
  return f;
}

/* y[0..n) += a * x[0..n) */
INLINE void axpy(float *y, float a, const float *x, int32_t n) {
  v128_t va = wasm_f32x4_splat(a);
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) wasm_v128_store(y + k, wasm_f32x4_add(wasm_v128_load(y + k), wasm_f32x4_mul(va, wasm_v128_load(x + k))));
  for (; k < n; k++) y[k] += a * x[k];
}

INLINE void zero(float *x, int32_t n) {
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) wasm_v128_store(x + k, wasm_f32x4_splat(0.0f));
  for (; k < n; k++) x[k] = 0.0f;
}

/* x[0..n) *= a */
INLINE void scale(float *x, float a, int32_t n) {
  v128_t va = wasm_f32x4_splat(a);
  int32_t k = 0;
  for (; k + 4 <= n; k += 4) wasm_v128_store(x + k, wasm_f32x4_mul(va, wasm_v128_load(x + k)));
  for (; k < n; k++) x[k] *= a;
}

/*
 * One positive and `negative` noise predictions of `word` from the hidden vector hs [D]: updates
 * syn1neg and leaves the hidden vector's step in work [D]. Returns the loss.
 */
INLINE double negative_sampling(const Model *m, uint64_t *rng, float *work, const float *hs, int32_t word, float alpha) {
  const int32_t D = m->dim;
  zero(work, D);
  double loss = 0.0;
  for (int32_t d = 0; d <= m->negative; d++) {
    int32_t target = word;
    float label = 1.0f;
    if (d > 0) {
      int32_t col = draw_below(rng, m->vocab);
      AliasEntry e = m->alias[col];
      target = (float)draw(rng) * U32_SCALE < e.prob ? col : e.other;
      if (target == word) continue;
      label = 0.0f;
    }
    float *row = m->syn1neg + (intptr_t)target * D;
    float f = dot(hs, row, D);
    /* Like gensim, a saturated score updates nothing. */
    if (f >= MAX_EXP) {
      if (label == 0.0f) loss += f;
      continue;
    }
    if (f <= -MAX_EXP) {
      if (label == 1.0f) loss -= f;
      continue;
    }
    int32_t idx = (int32_t)((f + MAX_EXP) * (SIGMOID_TABLE / MAX_EXP / 2));
    float g = (label - m->sigmoid[idx]) * alpha;
    loss -= label == 1.0f ? m->log_sigmoid[idx] : m->log_sigmoid[SIGMOID_TABLE - 1 - idx];
    /* work += g * row; row += g * hs, in one pass. */
    v128_t vg = wasm_f32x4_splat(g);
    int32_t k = 0;
    for (; k + 4 <= D; k += 4) {
      v128_t o = wasm_v128_load(row + k);
      wasm_v128_store(work + k, wasm_f32x4_add(wasm_v128_load(work + k), wasm_f32x4_mul(vg, o)));
      wasm_v128_store(row + k, wasm_f32x4_add(o, wasm_f32x4_mul(vg, wasm_v128_load(hs + k))));
    }
    for (; k < D; k++) {
      float o = row[k];
      work[k] += g * o;
      row[k] = o + g * hs[k];
    }
  }
  return loss;
}

/*
 * Trains on the slot's batch of `sentences` sentences at learning rate `alpha`, updating syn0 and
 * syn1neg in place, and writes what it trained into the slot.
 */
__attribute__((export_name("w2v_train")))
void w2v_train(const Model *model, Slot *s, int32_t sentences, float alpha) {
  const Model local = *model;
  const Model *m = &local;
  const int32_t D = m->dim;
  const int32_t window = m->window;
  const int32_t *ids = s->ids;
  const int32_t *ends = s->ends;
  int32_t *sentence = s->sentence;
  float *neu1 = s->neu1;
  float *work = s->work;
  uint64_t rng = s->rng;
  double loss = 0.0;
  int32_t effective_words = 0;
  int32_t examples = 0;
  int32_t start = 0;
  for (int32_t si = 0; si < sentences; si++) {
    const int32_t end = ends[si];
    /* Subsample: keep word w with probability keep[w]. */
    int32_t n = 0;
    for (int32_t i = start; i < end; i++) {
      const int32_t w = ids[i];
      const float p = m->keep[w];
      if (p < 1.0f && (float)draw(&rng) * U32_SCALE >= p) continue;
      sentence[n++] = w;
    }
    start = end;
    effective_words += n;
    for (int32_t i = 0; i < n; i++) {
      /* Window shrinking: window - b words on each side, b uniform in [0, window). */
      const int32_t b = draw_below(&rng, window);
      const int32_t from = i - window + b < 0 ? 0 : i - window + b;
      const int32_t to = i + window + 1 - b > n ? n : i + window + 1 - b;
      const int32_t word = sentence[i];
      if (m->skipgram) {
        /* gensim's order: the context word's vector predicts the center word. */
        for (int32_t j = from; j < to; j++) {
          if (j == i) continue;
          float *row = m->syn0 + (intptr_t)sentence[j] * D;
          loss += negative_sampling(m, &rng, work, row, word, alpha);
          axpy(row, 1.0f, work, D);
          examples++;
        }
        continue;
      }
      zero(neu1, D);
      int32_t count = 0;
      for (int32_t j = from; j < to; j++) {
        if (j == i) continue;
        axpy(neu1, 1.0f, m->syn0 + (intptr_t)sentence[j] * D, D);
        count++;
      }
      if (count == 0) continue;
      if (m->cbow_mean) scale(neu1, 1.0f / (float)count, D);
      loss += negative_sampling(m, &rng, work, neu1, word, alpha);
      if (!m->cbow_mean) scale(work, 1.0f / (float)count, D);
      for (int32_t j = from; j < to; j++) {
        if (j == i) continue;
        axpy(m->syn0 + (intptr_t)sentence[j] * D, 1.0f, work, D);
      }
      examples++;
    }
  }
  s->rng = rng;
  s->effective_words = effective_words;
  s->examples = examples;
  s->loss = loss;
}
