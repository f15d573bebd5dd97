/**
 * Safetensors checkpoints (https://huggingface.co/docs/safetensors — the format spec): 8 bytes of
 * little-endian u64 header length N, N bytes of JSON `{ name: { dtype, shape, data_offsets: [b, e] },
 * "__metadata__"?: { string: string } }`, then the byte buffer; offsets are relative to it.
 *
 * Reading accepts F32, F16, BF16, F64, I32, I64, I16, I8, U8, U16, U32 and BOOL; floats become
 * float32 tensors, integers int32 (I64/U32 values outside the int32 range are rejected), BOOL bool.
 * Writing emits F32 (float32), I32 (int32) and BOOL (bool).
 *
 * Untrusted bytes are validated completely before any tensor is created: header length, JSON,
 * entry fields, dtype, shape × dtype size against the offsets, offsets in range, without
 * overlaps or holes, and duplicate names.
 *
 * Porting note: like the reference writer, tensors are laid out in header order with the header
 * padded with spaces to a multiple of 8 bytes; the reference sorts by dtype alignment, which for
 * 4-byte-only dtypes is the same as name order, used here.
 */
import { SafetensorsError } from './errors.js';
import { tf } from './tf.js';

type Dtype = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'U16' | 'U32' | 'BOOL';

const BYTES: Record<Dtype, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, U16: 2, U32: 4, BOOL: 1 };
/** The largest header accepted, as the reference implementation (100 MB). */
const MAX_HEADER = 100_000_000;

export interface SafetensorsFile {
  readonly tensors: Record<string, tf.Tensor>;
  readonly metadata: Record<string, string>;
}

interface Entry {
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

const fail = (msg: string): never => {
  throw new SafetensorsError(`safetensors: ${msg}`);
};

/**
 * Parses safetensors bytes into tensors and metadata. Throws `SafetensorsError` on malformed
 * input, having allocated nothing.
 *
 * @example
 * const { tensors, metadata } = loadSafetensors(new Uint8Array(await fs.readFile('model.safetensors')));
 */
export function loadSafetensors(bytes: Uint8Array): SafetensorsFile {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const tensors: Record<string, tf.Tensor> = {};
  for (const e of entries) {
    const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart + e.begin, e.end - e.begin);
    tensors[e.name] = decode(e, view);
  }
  return { tensors, metadata };
}

function parseHeader(bytes: Uint8Array): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  if (!(bytes instanceof Uint8Array)) fail(`bytes: expected a Uint8Array, got ${typeof bytes}`);
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, shorter than the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true) + dv.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER) fail(`header length ${n} exceeds the ${MAX_HEADER}-byte limit`);
  if (8 + n > bytes.length) fail(`header length ${n} runs past the end of the ${bytes.length}-byte file`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('header is not valid UTF-8');
  }
  if (!text.startsWith('{')) fail('header must be a JSON object starting with "{"');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return fail(`header is not valid JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('header must be a JSON object');
  const duplicate = firstDuplicateKey(text);
  if (duplicate !== undefined) fail(`duplicate tensor name ${JSON.stringify(duplicate)} in header`);

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, raw] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('__metadata__ must be an object of strings');
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`__metadata__.${k} must be a string, got ${typeof v}`);
        metadata[k] = v as string;
      }
      continue;
    }
    entries.push(parseEntry(name, raw));
  }
  const dataLength = bytes.length - 8 - n;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const e of sorted) {
    if (e.begin < cursor) fail(`tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] overlap the previous tensor (ending at ${cursor})`);
    if (e.begin > cursor) fail(`tensor ${JSON.stringify(e.name)}: data_offsets start at ${e.begin}, leaving a hole after byte ${cursor}`);
    if (e.end > dataLength) fail(`tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] run past the ${dataLength}-byte data buffer`);
    cursor = e.end;
  }
  if (cursor !== dataLength) fail(`the data buffer has ${dataLength - cursor} trailing bytes not covered by any tensor`);
  return { entries, metadata, dataStart: 8 + n };
}

function parseEntry(name: string, raw: unknown): Entry {
  const where = `tensor ${JSON.stringify(name)}`;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return fail(`${where}: expected an object with dtype, shape, data_offsets`);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string' || !(dtype in BYTES)) {
    return fail(`${where}: unknown dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(BYTES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    return fail(`${where}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
    return fail(`${where}: data_offsets must be [begin, end] with 0 ≤ begin ≤ end, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const size = (shape as number[]).reduce((a, d) => a * d, 1);
  const want = size * BYTES[dtype as Dtype];
  if (end - begin !== want) {
    fail(`${where}: shape [${shape.join(', ')}] × ${dtype} needs ${want} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype: dtype as Dtype, shape: shape as number[], begin, end };
}

/** The first key repeated at the top level of a JSON object text, if any. */
function firstDuplicateKey(text: string): string | undefined {
  const seen = new Set<string>();
  let depth = 0;
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (depth === 1 && expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (seen.has(key)) return key;
        seen.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === '{' || c === '[') {
      depth++;
      if (depth === 1) expectKey = true;
    } else if (c === '}' || c === ']') {
      depth--;
    } else if (c === ',' && depth === 1) {
      expectKey = true;
    }
  }
  return undefined;
}

function decode(e: Entry, view: DataView): tf.Tensor {
  const n = e.shape.reduce((a, d) => a * d, 1);
  switch (e.dtype) {
    case 'F32':
    case 'F64':
    case 'F16':
    case 'BF16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = readFloat(e.dtype, view, i);
      return tf.tensor(out, e.shape, 'float32');
    }
    case 'BOOL': {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getUint8(i) === 0 ? 0 : 1;
      return tf.tensor(out, e.shape, 'bool');
    }
    default: {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = readInt(e.dtype, view, i);
        if (v < -2147483648 || v > 2147483647) {
          fail(`tensor ${JSON.stringify(e.name)}: ${e.dtype} value ${v} at index ${i} does not fit int32`);
        }
        out[i] = Number(v);
      }
      return tf.tensor(out, e.shape, 'int32');
    }
  }
}

function readFloat(dtype: 'F32' | 'F64' | 'F16' | 'BF16', view: DataView, i: number): number {
  switch (dtype) {
    case 'F32':
      return view.getFloat32(i * 4, true);
    case 'F64':
      return view.getFloat64(i * 8, true);
    case 'F16':
      return halfToFloat(view.getUint16(i * 2, true));
    case 'BF16':
      return bf16ToFloat(view.getUint16(i * 2, true));
  }
}

function readInt(dtype: Dtype, view: DataView, i: number): number | bigint {
  switch (dtype) {
    case 'I64':
      return view.getBigInt64(i * 8, true);
    case 'I32':
      return view.getInt32(i * 4, true);
    case 'U32':
      return view.getUint32(i * 4, true);
    case 'I16':
      return view.getInt16(i * 2, true);
    case 'U16':
      return view.getUint16(i * 2, true);
    case 'I8':
      return view.getInt8(i);
    default:
      return view.getUint8(i);
  }
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

function bf16ToFloat(h: number): number {
  u32[0] = h << 16;
  return f32[0]!;
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

const WRITE: Partial<Record<tf.DataType, Dtype>> = { float32: 'F32', int32: 'I32', bool: 'BOOL' };

/**
 * Serialises tensors (float32 → F32, int32 → I32, bool → BOOL) and optional string metadata,
 * tensors in name order. Reads values with `await data()`, so it works on every backend.
 *
 * @example
 * const bytes = await saveSafetensors(model.stateDict(), { format: 'pt' });
 */
export async function saveSafetensors(
  tensors: Readonly<Record<string, tf.Tensor>>,
  metadata?: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  const names = Object.keys(tensors).sort();
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string') throw new SafetensorsError(`saveSafetensors: metadata.${k} must be a string, got ${typeof v}`);
    }
    header.__metadata__ = { ...metadata };
  }
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    if (name === '__metadata__') throw new SafetensorsError('saveSafetensors: "__metadata__" is reserved and cannot name a tensor');
    const t = tensors[name]!;
    const dtype = WRITE[t.dtype];
    if (dtype === undefined) throw new SafetensorsError(`saveSafetensors: tensor ${JSON.stringify(name)} has dtype ${t.dtype}; only float32, int32 and bool can be written`);
    const values = await t.data();
    const bytes =
      dtype === 'BOOL' ? Uint8Array.from(values as Uint8Array, (v) => (v ? 1 : 0)) : new Uint8Array(values.buffer, values.byteOffset, values.byteLength).slice();
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padded = Math.ceil(headerBytes.length / 8) * 8;
  json += ' '.repeat(padded - headerBytes.length);
  headerBytes = encoder.encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, headerBytes.length, true);
  dv.setUint32(4, 0, true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}
