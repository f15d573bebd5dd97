/**
 * TemplateProcessing: special tokens placed by a template such as `[CLS] $A [SEP] $B:1 [SEP]:1`.
 *
 * Reference: HF `processors/template.rs` (pieces `{ Sequence: { id, type_id } }` and
 * `{ SpecialToken: { id, type_id } }`, `special_tokens` map of id → ids, tokens).
 */
import type { Encoding } from '../encoding.js';
import { TokenizerConfigError, TokenizerJsonError } from '../errors.js';
import { specialEncoding, type PostProcessorStage } from './post-processor.js';

export type TemplatePiece =
  | { readonly Sequence: { readonly id: 'A' | 'B'; readonly type_id: number } }
  | { readonly SpecialToken: { readonly id: string; readonly type_id: number } };

export interface SpecialTokenSpec {
  readonly id: string;
  readonly ids: readonly number[];
  readonly tokens: readonly string[];
}

export class TemplateProcessing implements PostProcessorStage {
  /** @param path JSON path for errors (`post_processor`). */
  constructor(
    readonly single: readonly TemplatePiece[],
    readonly pair: readonly TemplatePiece[],
    readonly specialTokens: ReadonlyMap<string, SpecialTokenSpec>,
    path = 'post_processor',
  ) {
    for (const [name, template] of [['single', single], ['pair', pair]] as const) {
      template.forEach((piece, i) => {
        if ('SpecialToken' in piece && !specialTokens.has(piece.SpecialToken.id)) {
          throw new TokenizerJsonError(`${path}.${name}[${i}].SpecialToken.id`, `a key of ${path}.special_tokens`, piece.SpecialToken.id);
        }
      });
    }
  }

  /**
   * Build from template strings: `$A`, `$B`, `$A:1`, `[SEP]`, `[SEP]:1`.
   * @example TemplateProcessing.fromStrings('[CLS] $A [SEP]', '[CLS] $A [SEP] $B:1 [SEP]:1', [['[CLS]', 101], ['[SEP]', 102]])
   */
  static fromStrings(single: string, pair: string, specialTokens: ReadonlyArray<readonly [string, number]>): TemplateProcessing {
    const specials = new Map(specialTokens.map(([token, id]) => [token, { id: token, ids: [id], tokens: [token] }]));
    return new TemplateProcessing(parseTemplate(single, 'single'), parseTemplate(pair, 'pair'), specials);
  }

  addedTokens(isPair: boolean): number {
    let n = 0;
    for (const piece of isPair ? this.pair : this.single) {
      if ('SpecialToken' in piece) n += this.specialTokens.get(piece.SpecialToken.id)?.ids.length ?? 0;
    }
    return n;
  }

  processEncodings(encodings: Encoding[], addSpecialTokens: boolean): Encoding[] {
    const template = encodings.length === 2 ? this.pair : this.single;
    const out: Encoding[] = [];
    for (const piece of template) {
      if ('Sequence' in piece) {
        const i = piece.Sequence.id === 'A' ? 0 : 1;
        const e = encodings[i];
        if (e === undefined) continue;
        const copy = e.clone();
        copy.typeIds = new Array<number>(copy.length).fill(piece.Sequence.type_id);
        copy.setSequenceId(i);
        out.push(copy);
      } else if (addSpecialTokens) {
        const spec = this.specialTokens.get(piece.SpecialToken.id) as SpecialTokenSpec;
        out.push(specialEncoding(spec.ids, spec.tokens, piece.SpecialToken.type_id));
      }
    }
    return out;
  }

  toJSON(): { type: 'TemplateProcessing'; single: TemplatePiece[]; pair: TemplatePiece[]; special_tokens: Record<string, SpecialTokenSpec> } {
    return {
      type: 'TemplateProcessing',
      single: [...this.single],
      pair: [...this.pair],
      special_tokens: Object.fromEntries([...this.specialTokens].map(([k, v]) => [k, { id: v.id, ids: [...v.ids], tokens: [...v.tokens] }])),
    };
  }
}

function parseTemplate(template: string, field: string): TemplatePiece[] {
  return template
    .split(/\s+/)
    .filter((p) => p.length > 0)
    .map((part) => {
      const m = /^(.*?)(?::(\d+))?$/.exec(part) as RegExpExecArray;
      const body = m[1] as string;
      const typeId = m[2] === undefined ? 0 : Number(m[2]);
      if (body === '$A' || body === '$' || body === '$B') {
        return { Sequence: { id: body === '$B' ? 'B' : 'A', type_id: typeId } } as const;
      }
      if (body.startsWith('$')) throw new TokenizerConfigError(`template.${field}`, '$A or $B sequences', part);
      return { SpecialToken: { id: body, type_id: typeId } };
    });
}
