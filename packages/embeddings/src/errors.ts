/**
 * Typed errors of @lmkit/embeddings, on top of the shared ones of `@lmkit/tensor` (`ConfigError`
 * for a bad option, `ShapeError` for a tensor of the wrong rank or dtype). Each names what is at
 * fault, so the message alone tells the user what to change.
 */
import { LmkitError } from '@lmkit/tensor';

/** A token id is out of range or not an integer. */
export class TokenIdError extends LmkitError {
  override name = 'TokenIdError';
  constructor(
    readonly argument: string,
    readonly detail: string,
  ) {
    super(`${argument}: ${detail}`);
  }
}

/** A word that is not in the vocabulary was asked for. */
export class UnknownWordError extends LmkitError {
  override name = 'UnknownWordError';
  constructor(readonly word: string) {
    super(`word ${JSON.stringify(word)} is not in the vocabulary`);
  }
}

/** A training corpus that cannot train anything: empty, or emptied by `minCount` / `maxVocab`. */
export class CorpusError extends LmkitError {
  override name = 'CorpusError';
}

/** Malformed word2vec text or binary data; the message says where. */
export class FormatError extends LmkitError {
  override name = 'FormatError';
}
