/**
 * What decoding needs of a model, and nothing more: one step at a time, batch-first logits.
 * A KV-cached transformer, an RNN and a model that recomputes from scratch fit equally.
 */
import type { Tensor } from '@lmkit/tensor';

/** One step's result: next-token logits `[B, V]` for the rows fed, and the state to continue from. */
export interface StepOutput<S> {
  /** `[B, V]`, float32. The decoding loop owns it from here: it reads it once and disposes it. */
  readonly logits: Tensor;
  /** Whatever the model carries between steps (a KV cache, RNN hidden states, the tokens so far). */
  readonly state: S;
}

/**
 * A causal language model seen one step at a time.
 *
 * - The first `step` gets the prompts (`tokens[b]` is row b's whole prompt, rows may differ in
 *   length) and `state` undefined; every later call gets one token per row, `tokens[b] = [t]`.
 * - `step` and `reorder` consume the state they are given: the loop never passes a state twice,
 *   so a model may dispose or overwrite its tensors. The last state goes to `releaseState`.
 */
export interface DecodingModel<S = unknown> {
  /** `tokens: [B][T]` → logits `[B, V]` of the next token of each row, and the new state. */
  step(tokens: number[][], state: S | undefined): StepOutput<S> | Promise<StepOutput<S>>;
  /**
   * Beam search only: a state whose row i continues row `rows[i]` of `state` (`rows` may repeat
   * and drop rows, and its length is the new batch size), e.g. `tf.gather(cache, rows)`.
   */
  reorder?(state: S, rows: number[]): S | Promise<S>;
  /** Called once with the last state when generation ends (done, failed or cancelled). */
  releaseState?(state: S): void | Promise<void>;
}

/** A masked language model (BERT-style): logits for every position at once. */
export interface MaskedLanguageModel {
  /** `tokens: [B][T]` (equal lengths) → logits `[B, T, V]`; `fillMask` owns and disposes them. */
  logits(tokens: number[][]): Tensor | Promise<Tensor>;
}
