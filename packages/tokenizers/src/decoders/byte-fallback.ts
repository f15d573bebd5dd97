/**
 * ByteFallback decoder: runs of `<0xAB>` tokens become the text their bytes spell (one U+FFFD
 * per byte when they are not valid UTF-8).
 *
 * Reference: HF `decoders/byte_fallback.rs`.
 */
import type { DecoderStage } from './decoder.js';

const strict = new TextDecoder('utf-8', { fatal: true });
const BYTE_TOKEN = /^<0x([0-9A-Fa-f]{2})>$/;

export class ByteFallback implements DecoderStage {
  decodeChain(tokens: string[]): string[] {
    const out: string[] = [];
    let pending: number[] = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      try {
        out.push(strict.decode(Uint8Array.from(pending)));
      } catch {
        for (let k = 0; k < pending.length; k++) out.push('\ufffd');
      }
      pending = [];
    };
    for (const token of tokens) {
      const m = BYTE_TOKEN.exec(token);
      if (m !== null) pending.push(parseInt(m[1] as string, 16));
      else {
        flush();
        out.push(token);
      }
    }
    flush();
    return out;
  }

  toJSON(): { type: 'ByteFallback' } {
    return { type: 'ByteFallback' };
  }
}
