/**
 * The decoder stage: token strings back to text. Decoders chain: each maps a list of strings to
 * a list of strings, and the final list is joined.
 *
 * Reference: the `Decoder` trait of Hugging Face `tokenizers` (`decode_chain`).
 */

export interface Decoder {
  /** Rewrite the token strings; the tokenizer joins the result. */
  decodeChain(tokens: string[]): string[];
}

export interface DecoderStage extends Decoder {
  toJSON(): { type: string };
}
