/**
 * `NormalizedString` keeps every normalized unit aligned to the original text through slices,
 * rewrites, replacements and prepends.
 */
import { describe, expect, it } from 'vitest';
import { NormalizedString } from './normalized-string.js';
import { normalizeForm } from './normalizers/unicode-form.js';
import { splitNormalized } from './split-behavior.js';

const ranges = (s: NormalizedString): Array<[number, number]> => Array.from({ length: s.length }, (_, i) => [s.startOf(i), s.endOf(i)]);

describe('NormalizedString', () => {
  it('an untouched piece maps unit i to [base + i, base + i + 1) and slices keep original offsets', () => {
    const s = NormalizedString.from('hello world').slice(6, 11);
    expect(s.text).toBe('world');
    expect(s.originalRange(0, 5)).toEqual([6, 11]);
    expect(s.originalRange(2, 2)).toEqual([8, 8]);
  });

  it('mapCodePoints aligns a longer replacement to the character it replaces', () => {
    const s = NormalizedString.from('aİb').mapCodePoints((ch) => ch.toLowerCase());
    expect(s.text).toBe('ai̇b');
    expect(ranges(s)).toEqual([[0, 1], [1, 2], [1, 2], [2, 3]]);
    expect(s.slice(1, 3).originalRange(0, 2)).toEqual([1, 2]);
  });

  it('filter removes characters; an emptied piece still knows where it was', () => {
    const s = NormalizedString.from('xyz').slice(1, 3).filter(() => false);
    expect(s.text).toBe('');
    expect(s.originalRange(0, 0)).toEqual([1, 1]);
  });

  it('replace aligns the replacement to the whole match; prepend to the first character', () => {
    const s = NormalizedString.from('a  b').replace(/ +/g, '_').prepend('▁');
    expect(s.text).toBe('▁a_b');
    expect(ranges(s)).toEqual([[0, 1], [0, 1], [1, 3], [3, 4]]);
  });

  it('NFD / NFC keep per-character alignment across decomposition and composition', () => {
    const nfd = normalizeForm(NormalizedString.from('café'), 'NFD');
    expect(nfd.text).toBe('cafe\u0301');
    expect(nfd.originalRange(3, 5)).toEqual([3, 4]);
    const nfc = normalizeForm(NormalizedString.from('cafe\u0301!'), 'NFC');
    expect(nfc.text).toBe('café!');
    expect(ranges(nfc)).toEqual([[0, 1], [1, 2], [2, 3], [3, 5], [5, 6]]);
  });

  it('splits with each delimiter behaviour', () => {
    const s = NormalizedString.from('a--b-c');
    const split = (b: Parameters<typeof splitNormalized>[2]): string[] => splitNormalized(s, '-', b).map((p) => p.text);
    expect(split('Removed')).toEqual(['a', 'b', 'c']);
    expect(split('Isolated')).toEqual(['a', '-', '-', 'b', '-', 'c']);
    expect(split('MergedWithPrevious')).toEqual(['a-', '-', 'b-', 'c']);
    expect(split('MergedWithNext')).toEqual(['a', '-', '-b', '-c']);
    expect(split('Contiguous')).toEqual(['a', '--', 'b', '-', 'c']);
  });
});
