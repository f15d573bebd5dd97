// Builds @lmkit/tensor: one ESM bundle of src/ plus .d.ts from tsc.
// tfjs-core and the backends stay external (one shared engine with the user's copy), except
// tfjs-core's gradient registrations: its Node build ships none and its ESM files cannot be
// loaded by plain Node, so they are bundled in (they register into tfjs's global registry).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });

const externalTfjs = {
  name: 'external-tfjs',
  setup(b) {
    b.onResolve({ filter: /^(@tensorflow\/tfjs-[a-z-]+|webgpu)$/ }, (args) => ({ path: args.path, external: true }));
  },
};

await build({
  entryPoints: ['src/index.ts'],
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  external: ['node:*'],
  plugins: [externalTfjs],
  logLevel: 'warning',
});

execFileSync('tsc', ['-p', 'tsconfig.build.json'], { stdio: 'inherit' });
