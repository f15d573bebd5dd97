/**
 * Attention masks: checking them and turning them into the additive float form the scores take.
 * Follows `torch.nn.MultiheadAttention` (PyTorch 1.13, `F.multi_head_attention_forward`): a bool
 * mask marks with `true` the positions that may NOT be attended (they become −∞), a float mask
 * is added to the scores as is, and a key padding mask is merged in the same way.
 *
 * Porting note: `torch.nn.functional.scaled_dot_product_attention` (PyTorch ≥ 2.0) reads a bool
 * mask the other way round (true = may attend). lmkit uses nn.MultiheadAttention's meaning
 * everywhere, `scaledDotProductAttention` included, so one mask means one thing in every API.
 *
 * Porting note: a causal mask here is aligned bottom-right: with Tq queries and Tk ≥ Tq keys,
 * query i sits at position Tk − Tq + i and sees keys 0 … Tk − Tq + i. For Tq = Tk this is
 * PyTorch's `is_causal`; for Tq < Tk (new tokens after a KV cache) it is what decoding needs,
 * where PyTorch's `is_causal` (top-left) would hide the cached keys.
 */
import { ShapeError, tf } from '@lmkit/tensor';

/** The dtypes a mask may have: bool (true = not allowed) or float32 (added to the scores). */
export const MASK_DTYPES: readonly tf.DataType[] = ['bool', 'float32'];

/** The additive form of a mask already checked to be bool or float32: bool → 0 / −∞, float32 → a clone. */
export function additiveMask(mask: tf.Tensor): tf.Tensor {
  if (mask.dtype === 'float32') return tf.clone(mask);
  return tf.where(mask, tf.scalar(-Infinity), tf.scalar(0));
}

/**
 * The additive causal mask for `rows` queries, the first at position `firstPosition`, against
 * `keys` keys: 0 where key j ≤ the query's position, −∞ after. → (rows, keys)
 */
export function causalMask(rows: number, keys: number, firstPosition: number): tf.Tensor {
  return tf.tidy(() => {
    const position = tf.range(firstPosition, firstPosition + rows, 1, 'int32').reshape([rows, 1]); // (rows, 1)
    const key = tf.range(0, keys, 1, 'int32').reshape([1, keys]); // (1, keys)
    return tf.where(tf.lessEqual(key, position), tf.scalar(0), tf.scalar(-Infinity)); // (rows, keys)
  });
}

/**
 * Checks that a mask of the given shape broadcasts to `[B, H, Tq, Tk]` by numpy rules with the
 * last two dimensions exact: (Tq, Tk), (B | 1, H | 1, Tq, Tk) and so on. `Tq` may also be 1 (one
 * row for every query, as a key padding mask is).
 */
export function assertBroadcastsTo(argument: string, mask: tf.Tensor, target: readonly [number, number, number, number]): void {
  const shape = mask.shape;
  const [B, H, Tq, Tk] = target;
  const offset = 4 - shape.length;
  const ok =
    shape.length >= 2 &&
    shape.length <= 4 &&
    shape.every((d, i) => {
      const want = target[i + offset]!;
      return i + offset === 3 ? d === want : d === want || d === 1;
    });
  if (!ok) {
    const expected = `a shape that broadcasts to [B, H, Tq, Tk] = [${B}, ${H}, ${Tq}, ${Tk}] (rank 2 to 4, last dimension Tk)`;
    throw new ShapeError(argument, expected, `shape [${shape.join(', ')}]`);
  }
}
