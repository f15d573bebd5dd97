// Every WebAssembly module in src/wasm was compiled from the C source next to the package
// (wasm/<name>.c, with the headers it includes) as it is now; rebuild with
// `node scripts/build-wasm.mjs tensor`.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { wasmSourceHash } from '@lmkit/testing';

const sources = new URL('../../wasm/', import.meta.url);

describe('wasm modules', () => {
  const names = readdirSync(sources).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));

  it('exist for every C source', () => {
    expect(names.sort()).toEqual(['attention', 'elementwise', 'matmul']);
  });

  for (const name of names) {
    it(`${name}.wasm.ts matches wasm/${name}.c`, async () => {
      const { SOURCE_SHA256 } = (await import(`./${name}.wasm.ts`)) as { SOURCE_SHA256: string };
      expect(wasmSourceHash(new URL(`${name}.c`, sources))).toBe(SOURCE_SHA256);
    });
  }
});
