import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tf, loadSafetensors, saveSafetensors, SafetensorsError, Linear } from '@lmkit/tensor';
import torchWritten from '../fixtures/torch-written.json' with { type: 'json' };

const fixture = (name: string) => new URL(`../fixtures/${name}`, import.meta.url);

/** Builds a file from a header object and a data buffer, as an attacker might. */
function craft(header: unknown, data = new Uint8Array(0), headerText = JSON.stringify(header)): Uint8Array {
  const h = new TextEncoder().encode(headerText);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors interop with PyTorch', () => {
  it('loads a file written from torch tensors (every dtype) with the values torch reads', async () => {
    const { tensors, metadata } = loadSafetensors(new Uint8Array(readFileSync(fixture('torch-written.safetensors'))));
    expect(metadata).toEqual(torchWritten.metadata);
    expect(Object.keys(tensors).sort()).toEqual(Object.keys(torchWritten.tensors).sort());
    for (const [name, want] of Object.entries(torchWritten.tensors)) {
      const t = tensors[name]!;
      expect(t.shape, name).toEqual(want.shape);
      const dtype = want.dtype === 'BOOL' ? 'bool' : want.dtype.startsWith('F') || want.dtype === 'BF16' ? 'float32' : 'int32';
      expect(t.dtype, name).toBe(dtype);
      const got = Array.from(await t.data(), Number);
      // F64 values are rounded to float32 on load; everything else is exact.
      const expected = want.dtype === 'F64' ? want.values.map(Math.fround) : want.values.map(Number);
      expect(got, name).toEqual(expected);
    }
    tf.dispose(Object.values(tensors));
  });

  it('writes the bytes that PyTorch reads back (fixtures/lmkit-written.safetensors, checked by generate.py)', async () => {
    // Keep in sync with lmkit_written_expected() in fixtures/generate.py.
    const tensors = {
      weight: tf.tidy(() => tf.sub(tf.div(tf.range(0, 12).reshape([3, 4]), 8), 0.75)),
      bias: tf.tensor([0.5, -0.25, 0.125]),
      ids: tf.tensor([[1, -2], [2147483647, -2147483648]], undefined, 'int32'),
      mask: tf.tensor([true, false], undefined, 'bool'),
    };
    const bytes = await saveSafetensors(tensors, { format: 'pt', writer: 'lmkit' });
    if (process.env.LMKIT_UPDATE_FIXTURES === '1') writeFileSync(fixture('lmkit-written.safetensors'), bytes);
    expect(Array.from(bytes)).toEqual(Array.from(readFileSync(fixture('lmkit-written.safetensors'))));
    const headerLength = new DataView(bytes.buffer).getUint32(0, true);
    expect(headerLength % 8).toBe(0);
    tf.dispose(Object.values(tensors));
  });

  it('round-trips a module state dict', async () => {
    const a = new Linear({ inFeatures: 3, outFeatures: 2 });
    const b = new Linear({ inFeatures: 3, outFeatures: 2, rng: new (await import('@lmkit/tensor')).Rng(9) });
    const { tensors } = loadSafetensors(await saveSafetensors(a.stateDict()));
    b.loadStateDict(tensors);
    expect(await b.weight.data()).toEqual(await a.weight.data());
    expect(await b.bias!.data()).toEqual(await a.bias!.data());
    tf.dispose(Object.values(tensors));
    a.dispose();
    b.dispose();
  });
});

describe('safetensors rejects malformed input, allocating nothing', () => {
  const f32 = (n: number) => new Uint8Array(4 * n);
  const cases: Array<[string, Uint8Array, RegExp]> = [
    ['a file shorter than 8 bytes', new Uint8Array(5), /shorter than the 8-byte header length/],
    ['a header length past the end', (() => { const b = craft({}); new DataView(b.buffer).setUint32(0, 999, true); return b; })(), /header length 999 runs past the end/],
    ['a huge header length', (() => { const b = craft({}); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), /exceeds the 100000000-byte limit/],
    ['invalid JSON', craft(null, new Uint8Array(0), '{"a": '), /not valid JSON/],
    ['a JSON array', craft(null, new Uint8Array(0), '[1, 2]'), /must be a JSON object/],
    ['an unknown dtype', craft({ a: { dtype: 'Q8', shape: [1], data_offsets: [0, 1] } }, new Uint8Array(1)), /tensor "a": unknown dtype "Q8"/],
    ['a bad shape', craft({ a: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, f32(1)), /tensor "a": shape must be an array of non-negative integers/],
    ['offsets not matching shape × dtype', craft({ a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 12] } }, f32(3)), /shape \[2, 2\] × F32 needs 16 bytes, but data_offsets \[0, 12\] hold 12/],
    ['offsets out of range', craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, f32(1)), /run past the 4-byte data buffer/],
    ['overlapping offsets', craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /overlap the previous tensor/],
    ['a hole between tensors', craft({ a: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32(2)), /leaving a hole after byte 0/],
    ['trailing bytes', craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32(2)), /4 trailing bytes/],
    ['duplicate names', craft(null, f32(2), '{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}'), /duplicate tensor name "a"/],
    ['non-string metadata', craft({ __metadata__: { n: 1 } }), /__metadata__.n must be a string/],
    ['I64 values outside int32', craft({ a: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } }, new Uint8Array([0, 0, 0, 0, 1, 0, 0, 0])), /I64 value 4294967296 at index 0 does not fit int32/],
  ];
  for (const [what, bytes, message] of cases) {
    it(what, () => {
      const before = tf.memory().numTensors;
      expect(() => loadSafetensors(bytes)).toThrow(SafetensorsError);
      expect(() => loadSafetensors(bytes)).toThrow(message);
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  it('accepts keys that only look like duplicates inside nested objects', () => {
    const bytes = craft(null, f32(1), '{"__metadata__":{"a":"x"},"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}');
    const { tensors, metadata } = loadSafetensors(bytes);
    expect(metadata).toEqual({ a: 'x' });
    tf.dispose(Object.values(tensors));
  });

  it('refuses to write dtypes it cannot represent and the reserved name', async () => {
    const c = tf.tensor(['a', 'b']);
    await expect(saveSafetensors({ c })).rejects.toThrow(/tensor "c" has dtype string; only float32, int32 and bool/);
    const x = tf.ones([1]);
    await expect(saveSafetensors({ __metadata__: x })).rejects.toThrow(/reserved/);
    tf.dispose([c, x]);
  });
});
