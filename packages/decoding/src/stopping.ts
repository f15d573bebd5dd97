/**
 * Stopping criteria beyond the token budget: EOS tokens and stop strings. A stop string is looked
 * for in the decoded text of all generated tokens, so it is found however the tokenizer split it
 * across tokens; the token that completes it is kept, as Hugging Face's `StopStringCriteria`.
 *
 * Reference: Hugging Face `EosTokenCriteria`, `StopStringCriteria`.
 * Porting note: HF precomputes per-token string overlaps from the vocabulary to match without
 * decoding; here the user's `decode` is called on the generated tokens after each step, which
 * needs no vocabulary and costs O(generated length) per step.
 */

/** Finds stop strings in decoded generated text. */
export class StopStrings {
  constructor(
    private readonly stops: readonly string[],
    private readonly decode: (ids: number[]) => string,
  ) {}

  /** Whether the text of `generated` (the tokens after the prompt) contains a stop string. */
  matches(generated: number[]): boolean {
    const text = this.decode(generated);
    return this.stops.some((s) => text.includes(s));
  }
}
