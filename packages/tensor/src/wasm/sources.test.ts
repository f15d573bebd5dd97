// Every WebAssembly module in src/wasm was compiled from the C source next to the package
// (wasm/<name>.c) as it is now; rebuild with `node scripts/build-wasm.mjs tensor`.
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const sources = new URL('../../wasm/', import.meta.url);

describe('wasm modules', () => {
  const names = readdirSync(sources).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));

  it('exist for every C source', () => {
    expect(names.sort()).toEqual(['attention', 'elementwise', 'matmul']);
  });

  for (const name of names) {
    it(`${name}.wasm.ts matches wasm/${name}.c`, async () => {
      const { SOURCE_SHA256 } = (await import(`./${name}.wasm.ts`)) as { SOURCE_SHA256: string };
      const sha = createHash('sha256').update(readFileSync(new URL(`${name}.c`, sources))).digest('hex');
      expect(sha).toBe(SOURCE_SHA256);
    });
  }
});
