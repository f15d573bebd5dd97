// Runs in headless Chromium (see backend.browser.test.ts): starts each backend, trains one step.
import { initBackend, tf, Linear, Rng, type BackendName } from '@lmkit/tensor';

async function tryBackend(name: BackendName) {
  try {
    const info = await initBackend(name, { wasmPaths: '/wasm/' });
    const lin = new Linear({ inFeatures: 4, outFeatures: 2, rng: new Rng(1) });
    const x = tf.tensor([[1, 2, 3, 4], [0, -1, 0.5, 2]]);
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.square(lin.forward(x))) as tf.Scalar);
    const loss = (await value.data())[0];
    const gradNorm = (await tf.norm(grads[lin.weight.name]!).data())[0];
    return { name, info, loss, gradNorm };
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
