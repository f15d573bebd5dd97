/**
 * The decoding package's own error: logits a model returned that no distribution can come from.
 * Option and argument errors are the seam's `ConfigError` / `ShapeError`, which name the field.
 */
import { LmkitError } from '@lmkit/tensor';

/** Logits with NaN or +Infinity, or a row whose every token is masked; the message names where. */
export class LogitsError extends LmkitError {
  override name = 'LogitsError';
  constructor(
    /** Where: `step 3, row 1` in generation, `position 4` in fillMask. */
    readonly where: string,
    readonly reason: string,
  ) {
    super(`logits at ${where}: ${reason}`);
  }
}
