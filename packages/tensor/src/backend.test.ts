import { describe, expect, it } from 'vitest';
import { initBackend, currentBackend, tf, BackendError, ConfigError, type BackendName } from '@lmkit/tensor';
import { BACKEND } from '@lmkit/testing';
import { importPackage } from './backend.js';

describe('initBackend', () => {
  it('starts the named backend and describes it', async () => {
    const info = await initBackend(BACKEND as BackendName);
    expect(info.name).toBe(BACKEND);
    expect(currentBackend()).toBe(BACKEND);
    if (BACKEND === 'wasm') {
      expect(typeof info.simd).toBe('boolean');
      expect(typeof info.threads).toBe('boolean');
    }
    if (BACKEND === 'webgpu') expect(info.adapter?.architecture).toBeTypeOf('string');
    if (BACKEND === 'cpu') expect(info.adapter).toBeUndefined();
    expect(info.skipped).toBeUndefined();
    const y = tf.add(tf.tensor([1, 2]), tf.tensor([3, 4]));
    expect(Array.from(await y.data())).toEqual([4, 6]);
  });

  it('auto reports what it picked and why it skipped the others', async () => {
    const info = await initBackend('auto');
    const order: BackendName[] = ['webgpu', 'wasm', 'cpu'];
    expect(info.skipped!.map((s) => s.name)).toEqual(order.slice(0, order.indexOf(info.name)));
    for (const s of info.skipped!) expect(s.reason).toMatch(/cannot start: .+/);
    await initBackend(BACKEND as BackendName);
  });

  it('rejects an unknown name with a typed error', async () => {
    await expect(initBackend('tpu' as BackendName)).rejects.toThrow(ConfigError);
    await expect(initBackend('tpu' as BackendName)).rejects.toThrow(/initBackend\(name\): expected 'auto' or one of cpu, wasm, webgpu, got "tpu"/);
  });

  it('says which package to install when a backend package is missing', async () => {
    const load = () => import(/* @vite-ignore */ ['@tensorflow', 'tfjs-backend-missing'].join('/'));
    const err = await importPackage('wasm', load).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect((err as Error).message).toMatch(/backend 'wasm' cannot start: its package did not load .*install it: npm i @tensorflow\/tfjs-backend-wasm@4.22.0/);
  });
});
