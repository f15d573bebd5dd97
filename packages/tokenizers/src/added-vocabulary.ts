/**
 * Added tokens: strings matched in the input before the model runs (special tokens such as
 * `[CLS]`, or user words), with the `single_word`, `lstrip`, `rstrip` and `normalized` options.
 *
 * Reference: HF `tokenizers/src/tokenizer/added_vocabulary.rs` (leftmost-longest matching,
 * non-normalized tokens matched on the raw text first, normalized ones on each normalized piece).
 * Porting note: matching uses one RegExp alternation of the tokens, longest first, instead of
 * an Aho-Corasick automaton; both give leftmost-longest matches.
 */
import { TokenizerJsonError } from './errors.js';
import { asObject, bool, int, str } from './json.js';
import { NormalizedString } from './normalized-string.js';
import type { Normalizer } from './normalizers/normalizer.js';
import { PreTokenizedString, type Split } from './pre-tokenized-string.js';
import { escapeRegExp, isWhitespace, WORD_CHAR } from './unicode.js';

export interface AddedToken {
  readonly content: string;
  /** Match only as a whole word (default false). */
  readonly singleWord?: boolean;
  /** Also take the whitespace on the left (default false). */
  readonly lstrip?: boolean;
  /** Also take the whitespace on the right (default false). */
  readonly rstrip?: boolean;
  /** Match against the normalized text (default: true for normal tokens, false for special). */
  readonly normalized?: boolean;
  /** Special tokens are skipped by `decode(..., { skipSpecialTokens })` (default false). */
  readonly special?: boolean;
}

type Resolved = Required<AddedToken>;

/** Tokens matched as one RegExp (leftmost, longest first), or null when there are none. */
interface Matcher {
  readonly re: RegExp;
  readonly ids: ReadonlyMap<string, number>;
}

/** Looks up the model's own ids so an added token already in the vocabulary keeps its id. */
export interface VocabularyLookup {
  tokenToId(token: string): number | undefined;
  readonly vocabSize: number;
}

export class AddedVocabulary {
  private readonly byContent = new Map<string, number>();
  private readonly byId = new Map<number, Resolved>();
  private raw: Matcher | null = null;
  private normalized: Matcher | null = null;

  get size(): number {
    return this.byId.size;
  }

  /** The added tokens, ordered by id. */
  tokens(): Array<Resolved & { id: number }> {
    return [...this.byId].sort((a, b) => a[0] - b[0]).map(([id, t]) => ({ ...t, id }));
  }

  tokenToId(content: string): number | undefined {
    return this.byContent.get(content);
  }

  idToToken(id: number): string | undefined {
    return this.byId.get(id)?.content;
  }

  isSpecial(content: string): boolean {
    const id = this.byContent.get(content);
    return id !== undefined && (this.byId.get(id)?.special ?? false);
  }

  /**
   * Add tokens (HF `add_tokens` / `add_special_tokens`): a token in the model's vocabulary keeps
   * its id, others get ids after the vocabulary. Returns how many were new.
   */
  add(tokens: ReadonlyArray<string | AddedToken>, special: boolean, model: VocabularyLookup, normalizer: Normalizer | null): number {
    let added = 0;
    for (const t of tokens) {
      const token = resolve(typeof t === 'string' ? { content: t } : t, special);
      if (token.content.length === 0) continue;
      let id = this.byContent.get(token.content) ?? model.tokenToId(token.content);
      if (id === undefined) {
        const taken = [...this.byId.keys()];
        const max = taken.length === 0 ? -1 : Math.max(...taken);
        id = max >= model.vocabSize ? max + 1 : model.vocabSize;
        added++;
      }
      this.set(id, token);
    }
    this.refresh(normalizer);
    return added;
  }

  /** Register `token` under a fixed `id` (loading a file). Call `refresh` afterwards. */
  set(id: number, token: Resolved): void {
    const previous = this.byContent.get(token.content);
    if (previous !== undefined) this.byId.delete(previous);
    this.byContent.set(token.content, id);
    this.byId.set(id, token);
  }

  /** Rebuild the matchers (normalized tokens are matched in their normalized form). */
  refresh(normalizer: Normalizer | null): void {
    const raw = new Map<string, number>();
    const normalized = new Map<string, number>();
    for (const [id, token] of this.byId) {
      if (!token.normalized) raw.set(token.content, id);
      else normalized.set(normalizer === null ? token.content : normalizer.normalize(NormalizedString.from(token.content)).text, id);
    }
    this.raw = matcher(raw);
    this.normalized = matcher(normalized);
  }

  /** Cut `text` around added tokens, normalizing the pieces between them. */
  extractAndNormalize(normalizer: Normalizer | null, text: string): PreTokenizedString {
    const pre = new PreTokenizedString(NormalizedString.from(text));
    const { raw, normalized } = this;
    if (raw !== null) pre.splitWithTokens((s) => this.splitOn(s, raw));
    pre.splitWithTokens((s) => {
      const n = normalizer === null ? s : normalizer.normalize(s);
      return normalized === null ? [{ normalized: n, tokens: null }] : this.splitOn(n, normalized);
    });
    return pre;
  }

  private splitOn(s: NormalizedString, { re, ids }: Matcher): Split[] {
    const text = s.text;
    const out: Split[] = [];
    let last = 0;
    re.lastIndex = 0;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
      const i = m.index;
      const matchEnd = i + m[0].length;
      const matchId = ids.get(m[0]) as number;
      const token = this.byId.get(matchId) as Resolved;
      let start = i;
      let stop = matchEnd;
      if (token.singleWord && ((start > 0 && WORD_CHAR.test(charBefore(text, start))) || (stop < text.length && WORD_CHAR.test(charAt(text, stop))))) continue;
      if (token.lstrip) while (start > last && isWhitespace(text[start - 1] as string)) start--;
      if (token.rstrip) while (stop < text.length && isWhitespace(text[stop] as string)) stop++;
      if (last < start) out.push({ normalized: s.slice(last, start), tokens: null });
      const piece = s.slice(start, stop);
      out.push({ normalized: piece, tokens: [{ id: matchId, value: piece.text, start: 0, end: piece.length }] });
      last = stop;
      re.lastIndex = stop;
    }
    if (last < text.length) out.push({ normalized: s.slice(last, text.length), tokens: null });
    return out;
  }

  toJSON(): object[] {
    return this.tokens().map((t) => ({
      id: t.id,
      content: t.content,
      single_word: t.singleWord,
      lstrip: t.lstrip,
      rstrip: t.rstrip,
      normalized: t.normalized,
      special: t.special,
    }));
  }

  /** Read `added_tokens` (ids kept as written). */
  static fromJson(json: readonly unknown[], path = 'added_tokens'): AddedVocabulary {
    const vocab = new AddedVocabulary();
    json.forEach((entry, i) => {
      const at = `${path}[${i}]`;
      const obj = asObject(entry, at);
      const special = bool(obj, 'special', at, false);
      const id = int(obj, 'id', at);
      const content = str(obj, 'content', at);
      if (vocab.byContent.has(content)) throw new TokenizerJsonError(`${at}.content`, 'a token not already added', content);
      vocab.set(id, {
        content,
        singleWord: bool(obj, 'single_word', at, false),
        lstrip: bool(obj, 'lstrip', at, false),
        rstrip: bool(obj, 'rstrip', at, false),
        normalized: bool(obj, 'normalized', at, !special),
        special,
      });
    });
    return vocab;
  }
}

function resolve(t: AddedToken, special: boolean): Resolved {
  const isSpecial = t.special ?? special;
  return {
    content: t.content,
    singleWord: t.singleWord ?? false,
    lstrip: t.lstrip ?? false,
    rstrip: t.rstrip ?? false,
    normalized: t.normalized ?? !isSpecial,
    special: isSpecial,
  };
}

function matcher(ids: Map<string, number>): Matcher | null {
  ids.delete('');
  if (ids.size === 0) return null;
  const alternatives = [...ids.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return { re: new RegExp(alternatives.join('|'), 'g'), ids };
}

function charBefore(text: string, i: number): string {
  const low = text.charCodeAt(i - 1);
  const high = text.charCodeAt(i - 2);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff ? text.slice(i - 2, i) : (text[i - 1] as string);
}

function charAt(text: string, i: number): string {
  return String.fromCodePoint(text.codePointAt(i) as number);
}
