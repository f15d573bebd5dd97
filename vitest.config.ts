/**
 * One vitest setup for the whole monorepo. Tests import packages by name (`@lmkit/tensor`),
 * resolved to their sources, so no build is needed to test.
 *
 * Projects:
 * - `unit`: packages with no tensors (tokenizers) and the apps' own logic;
 * - `browser`: `*.browser.test.ts`, which run code in headless Chromium (test/browser/harness.ts);
 * - `cpu`, `wasm`, `webgpu`: every test of the tensor-based packages, once per backend
 *   (test/setup-backend.ts starts the backend named by LMKIT_TEST_BACKEND). webgpu runs in Node
 *   through the `webgpu` package (Dawn) on Debian chromium's SwiftShader Vulkan driver.
 */
import { defineConfig } from 'vitest/config';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

const root = fileURLToPath(new URL('.', import.meta.url));
const NO_TENSOR_PACKAGES = ['tokenizers'];
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';

const resolve = {
  alias: [
    // The one tfjs-core the backends share: its Node bundle, loaded by Node itself.
    { find: /^@tensorflow\/tfjs-core$/, replacement: require.resolve('@tensorflow/tfjs-core', { paths: [`${root}packages/tensor`] }) },
    { find: /^@lmkit\/testing$/, replacement: `${root}test/index.ts` },
    { find: /^@lmkit\/([a-z-]+)$/, replacement: `${root}packages/$1/src/index.ts` },
  ],
};

// tfjs-core's ESM files (its gradients) must go through vite; its Node bundle stays external.
const server = { deps: { inline: [/@tensorflow\/tfjs-core\/dist\/(?!tf-core)/] } };

const backendProject = (backend: 'cpu' | 'wasm' | 'webgpu') => ({
  resolve,
  test: {
    name: backend,
    root,
    include: ['packages/*/src/**/*.test.ts'],
    exclude: [...NO_TENSOR_PACKAGES.map((p) => `packages/${p}/**`), '**/*.browser.test.ts'],
    setupFiles: [`${root}test/setup-backend.ts`],
    // One module graph per worker: tfjs and its registries load once, not once per test file.
    isolate: false,
    server,
    env: {
      LMKIT_TEST_BACKEND: backend,
      ...(backend === 'webgpu' && process.env.VK_ICD_FILENAMES === undefined ? { VK_ICD_FILENAMES: SWIFTSHADER } : {}),
    },
    testTimeout: backend === 'webgpu' ? 120_000 : 30_000,
    hookTimeout: 120_000,
  },
});

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          name: 'unit',
          root,
          include: [...NO_TENSOR_PACKAGES.map((p) => `packages/${p}/src/**/*.test.ts`), 'apps/*/src/**/*.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        resolve,
        test: { name: 'browser', root, include: ['packages/*/src/**/*.browser.test.ts'], testTimeout: 120_000 },
      },
      backendProject('cpu'),
      backendProject('wasm'),
      backendProject('webgpu'),
    ],
  },
});
