/**
 * The word2vec vector file formats of Mikolov et al.'s word2vec.c, as gensim's
 * `KeyedVectors.load_word2vec_format` / `save_word2vec_format` read and write them:
 * a text header "V D\n", then per word either "word v₁ … v_D\n" (text) or "word " followed by D
 * little-endian float32 values (binary).
 *
 * Porting note: text values are written in the shortest form that reads back to the same float32
 * (as numpy's `repr`, which gensim uses). Binary vectors are written without word2vec.c's newline
 * after each vector, as gensim writes them; on reading, a newline before a word is skipped either way.
 */
import { FormatError } from './errors.js';

/** Words and their vectors, row-major [V, D]. */
export interface WordVectors {
  readonly words: readonly string[];
  readonly vectors: Float32Array;
  readonly dim: number;
}

export interface Word2VecFormatOptions {
  /** The binary format (float32 bytes) instead of text. Default false. */
  readonly binary?: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parses word2vec text or binary data (text may also be given as a string). */
export function readWord2VecFormat(data: Uint8Array | string, options: Word2VecFormatOptions = {}): WordVectors {
  if (options.binary === true) {
    if (typeof data === 'string') throw new FormatError('word2vec binary data must be bytes (a Uint8Array), not a string');
    return readBinary(data);
  }
  return readText(typeof data === 'string' ? data : decode(data, 0, data.length, 'the file'));
}

/** word2vec text or binary bytes of `vectors`, ready to write to a file. */
export function writeWord2VecFormat(vectors: WordVectors, options: Word2VecFormatOptions = {}): Uint8Array {
  const { words, vectors: data, dim: D } = vectors;
  const header = `${words.length} ${D}\n`;
  if (options.binary !== true) {
    const lines = [header];
    words.forEach((w, i) => {
      const values: string[] = [];
      for (let j = 0; j < D; j++) values.push(shortestFloat32(data[i * D + j]!));
      lines.push(`${w} ${values.join(' ')}\n`);
    });
    return encoder.encode(lines.join(''));
  }
  const head = encoder.encode(header);
  const encoded = words.map((w) => encoder.encode(`${w} `));
  const out = new Uint8Array(head.length + encoded.reduce((n, e) => n + e.length + 4 * D, 0));
  const view = new DataView(out.buffer);
  out.set(head);
  let at = head.length;
  encoded.forEach((e, i) => {
    out.set(e, at);
    at += e.length;
    for (let j = 0; j < D; j++, at += 4) view.setFloat32(at, data[i * D + j]!, true);
  });
  return out;
}

/** The shortest decimal that reads back as the float32 `x`. */
function shortestFloat32(x: number): string {
  for (let p = 1; p < 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(Number(x.toPrecision(9)));
}

function parseHeader(line: string): [number, number] {
  const parts = line.trim().split(/\s+/);
  const [V, D] = parts.map(Number);
  if (parts.length !== 2 || !Number.isInteger(V) || !Number.isInteger(D) || V! < 0 || D! < 1) {
    throw new FormatError(`word2vec header: expected "<vocabulary size> <dimensions>", got ${JSON.stringify(line.slice(0, 80))}`);
  }
  return [V!, D!];
}

function readText(text: string): WordVectors {
  const lines = text.split('\n');
  const [V, D] = parseHeader(lines[0] ?? '');
  const words: string[] = [];
  const vectors = new Float32Array(V * D);
  for (let i = 0; i < V; i++) {
    const line = lines[i + 1];
    if (line === undefined || line.trim() === '') throw new FormatError(`word2vec text: the header promises ${V} words, found ${i}`);
    const parts = line.trimEnd().split(' ');
    if (parts.length !== D + 1) throw new FormatError(`word2vec text line ${i + 2}: expected a word and ${D} values, got ${parts.length - 1} values`);
    words.push(parts[0]!);
    for (let j = 0; j < D; j++) {
      const v = Number(parts[j + 1]);
      if (Number.isNaN(v) && parts[j + 1] !== 'nan') throw new FormatError(`word2vec text line ${i + 2}: value ${JSON.stringify(parts[j + 1])} is not a number`);
      vectors[i * D + j] = v;
    }
  }
  return { words, vectors, dim: D };
}

function readBinary(bytes: Uint8Array): WordVectors {
  const eol = bytes.indexOf(10);
  if (eol < 0) throw new FormatError('word2vec binary: no header line');
  const [V, D] = parseHeader(decode(bytes, 0, eol, 'the header'));
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const words: string[] = [];
  const vectors = new Float32Array(V * D);
  let at = eol + 1;
  for (let i = 0; i < V; i++) {
    while (bytes[at] === 10) at++;
    const space = bytes.indexOf(32, at);
    if (space < 0 || space + 1 + 4 * D > bytes.length) throw new FormatError(`word2vec binary: the header promises ${V} words, the data ends in word ${i + 1}`);
    words.push(decode(bytes, at, space, `word ${i + 1}`));
    at = space + 1;
    for (let j = 0; j < D; j++, at += 4) vectors[i * D + j] = view.getFloat32(at, true);
  }
  return { words, vectors, dim: D };
}

function decode(bytes: Uint8Array, from: number, to: number, what: string): string {
  try {
    return decoder.decode(bytes.subarray(from, to));
  } catch {
    throw new FormatError(`word2vec: ${what} is not valid UTF-8`);
  }
}
