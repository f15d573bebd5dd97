/**
 * Runs a module in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) and
 * returns what it reports. The entry is bundled with esbuild for the browser (tfjs from its ESM
 * build), served from 127.0.0.1 with the tfjs wasm binaries under /wasm/.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const root = new URL('../../', import.meta.url).pathname;
const CHROMIUM = '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Serve the page cross-origin isolated. Default false. */
  readonly crossOriginIsolated?: boolean;
}

/** Bundles `entry` (which must set `window.__result` or `window.__error`) and runs it in Chromium. */
export async function runInChromium(entry: string, timeoutMs = 60_000, options: ChromiumOptions = {}): Promise<unknown> {
  const bundle = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
    alias: { '@lmkit/tensor': join(root, 'packages/tensor/src/index.ts') },
    // The wasm backend's browser build references Node modules it never loads in a page.
    external: ['fs', 'path', 'crypto', 'worker_threads', 'perf_hooks', 'os'],
  });
  const js = bundle.outputFiles[0]!.text;
  const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json', { paths: [join(root, 'packages/tensor')] }));
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    if (options.crossOriginIsolated === true) {
      res.setHeader('cross-origin-opener-policy', 'same-origin');
      res.setHeader('cross-origin-embedder-policy', 'require-corp');
    }
    if (url === '/') {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><script type="module" src="/main.js"></script>');
    } else if (url === '/main.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(js);
    } else if (url.startsWith('/wasm/') && url.endsWith('.wasm')) {
      res.setHeader('content-type', 'application/wasm');
      res.end(readFileSync(join(wasmDir, 'dist', url.slice('/wasm/'.length))));
    } else {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--enable-unsafe-webgpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  try {
    const page = await browser.newPage();
    const logs: string[] = [];
    page.on('console', (m) => logs.push(m.text()));
    page.on('pageerror', (e) => logs.push(String(e)));
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => '__result' in window || '__error' in window, undefined, { timeout: timeoutMs });
    const { result, error } = await page.evaluate(() => ({
      result: (window as { __result?: unknown }).__result,
      error: (window as { __error?: string }).__error,
    }));
    if (error !== undefined) throw new Error(`in Chromium: ${error}\n${logs.join('\n')}`);
    return result;
  } finally {
    await browser.close();
    server.close();
  }
}
