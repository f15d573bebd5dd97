/** The position-range check shared by the positional encodings. */
import { ConfigError, ShapeError } from '@lmkit/tensor';

/** Asserts positions offset … offset+T−1 fit a table of `maxLen` positions. */
export function checkPositions(owner: string, T: number, offset: number, maxLen: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new ConfigError(`${owner}(offset)`, 'an integer ≥ 0', offset);
  if (offset + T > maxLen) {
    throw new ShapeError(`${owner}(x)`, `at most ${maxLen} positions (maxLen) including the offset`, `${T} positions from offset ${offset}`);
  }
}
