// Runs in headless Chromium (see backend.browser.test.ts): starts each backend, trains one step.
import { fusedAttention, fusedAttentionAvailable, initBackend, tf, Linear, Rng, type BackendName } from '@lmkit/tensor';

/** Causal attention of q, k, v (1, 2, 12, 4): the fused kernel where the backend has it, else tfjs ops. */
function attention(q: tf.Tensor, k: tf.Tensor, v: tf.Tensor): tf.Tensor {
  if (fusedAttentionAvailable()) return fusedAttention(q, k, v, { causal: true });
  const allowed = tf.linalg.bandPart(tf.ones([12, 12]), -1, 0);
  const scores = tf.add(tf.mul(tf.matMul(q, k, false, true), 0.5), tf.mul(tf.sub(1, allowed), -1e9));
  return tf.matMul(tf.softmax(scores), v);
}

async function tryBackend(name: BackendName) {
  try {
    const info = await initBackend(name, { wasmPaths: '/wasm/' });
    const lin = new Linear({ inFeatures: 4, outFeatures: 2, rng: new Rng(1) });
    const x = tf.tensor([[1, 2, 3, 4], [0, -1, 0.5, 2]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(lin.forward(x))) as tf.Scalar);
    const loss = (await value.data())[0];
    const gradNorm = (await tf.norm(grads[lin.weight.name]!).data())[0];
    // A product of many rows with a transposed operand (wasm: the seam's GEMM) and causal attention
    // (wasm: the fused kernel, whose module initBackend compiled asynchronously in the page).
    const rng = new Rng(2);
    const m = rng.randomNormal([16, 8]);
    const product = (await tf.sum(tf.matMul(m, m, true, false)).data())[0];
    const [q, k, v] = [rng.randomNormal([1, 2, 12, 4]), rng.randomNormal([1, 2, 12, 4]), rng.randomNormal([1, 2, 12, 4])];
    const attended = (await tf.sum(tf.mul(attention(q, k, v), tf.range(0, 96).reshape([1, 2, 12, 4]))).data())[0];
    return { name, info, loss, gradNorm, product, attended, fused: fusedAttentionAvailable() };
  } catch (err) {
    return { name, error: err instanceof Error ? err.message : String(err) };
  }
}

const w = window as { __result?: unknown; __error?: string };
(async () => {
  const results = [];
  for (const name of ['cpu', 'wasm', 'webgpu'] as const) results.push(await tryBackend(name));
  w.__result = results;
})().catch((err: unknown) => {
  w.__error = String(err);
});
