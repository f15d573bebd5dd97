// The import boundary of DESIGN.md: only @lmkit/tensor imports @tensorflow/* or `webgpu`; apps
// import packages by name, never through ../../packages; no block imports another's internals.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../../', import.meta.url).pathname;

function sources(dir: string): string[] {
  let out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) out = out.concat(sources(path));
    else if (/\.(ts|tsx|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

const IMPORT = /(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3])!);
}

function violations(): string[] {
  const found: string[] = [];
  for (const pkg of readdirSync(join(root, 'packages'))) {
    for (const file of sources(join(root, 'packages', pkg, 'src'))) {
      for (const spec of importsOf(file)) {
        const where = `${relative(root, file)} imports '${spec}'`;
        if (pkg !== 'tensor' && (spec.startsWith('@tensorflow/') || spec === 'webgpu')) found.push(`${where}: only @lmkit/tensor may import tfjs or webgpu`);
        if (/^@lmkit\/[^/]+\/src/.test(spec) || /\.\.\/\.\.\/[a-z-]+\/src/.test(spec)) found.push(`${where}: import another package by its name, not its sources`);
      }
    }
  }
  for (const app of readdirSync(join(root, 'apps'))) {
    for (const file of sources(join(root, 'apps', app, 'src'))) {
      for (const spec of importsOf(file)) {
        if (spec.includes('packages/')) found.push(`${relative(root, file)} imports '${spec}': apps import packages through their exports`);
      }
    }
  }
  return found;
}

describe('import boundaries', () => {
  it('no package but tensor imports @tensorflow/* or webgpu; nobody imports package sources', () => {
    expect(violations()).toEqual([]);
  });

  it('the scanner sees the imports it must police', () => {
    // tensor's own tfjs imports are found, so an empty violation list above means something.
    const tf = importsOf(join(root, 'packages/tensor/src/tf.ts'));
    expect(tf).toContain('@tensorflow/tfjs-core');
    expect(tf).toContain('@tensorflow/tfjs-core/dist/register_all_gradients.js');
    expect(importsOf(join(root, 'packages/tensor/src/backend.ts'))).toContain('@tensorflow/tfjs-backend-wasm');
  });
});
