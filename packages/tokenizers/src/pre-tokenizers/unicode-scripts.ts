/**
 * UnicodeScripts pre-tokenizer: splits where the Unicode script changes (Hiragana, Katakana and
 * U+30FC count as Han; a space belongs to any script).
 *
 * Reference: HF `pre_tokenizers/unicode_scripts/pre_tokenizer.rs`.
 * Porting note: the script of a character is read through `\p{Script=…}` RegExps (JavaScript
 * has no script lookup) and memoised per code point.
 */
import type { NormalizedString } from '../normalized-string.js';
import type { PreTokenizedString } from '../pre-tokenized-string.js';
import type { PreTokenizerStage } from './pre-tokenizer.js';

const SCRIPT_NAMES = `Latin Common Inherited Han Hiragana Katakana Hangul Cyrillic Greek Arabic Hebrew Devanagari Thai
Bengali Tamil Telugu Kannada Malayalam Gujarati Gurmukhi Oriya Sinhala Lao Tibetan Myanmar Georgian Armenian Ethiopic
Khmer Mongolian Bopomofo Thaana Syriac Cherokee Canadian_Aboriginal Yi Tifinagh Nko Javanese Balinese Sundanese Runic
Ogham Coptic Glagolitic Gothic Braille Adlam Ahom Anatolian_Hieroglyphs Avestan Bamum Bassa_Vah Batak Bhaiksuki Brahmi
Buginese Buhid Carian Caucasian_Albanian Chakma Cham Chorasmian Cuneiform Cypriot Cypro_Minoan Deseret Dives_Akuru Dogra
Duployan Egyptian_Hieroglyphs Elbasan Elymaic Grantha Gunjala_Gondi Hanifi_Rohingya Hanunoo Hatran Imperial_Aramaic
Inscriptional_Pahlavi Inscriptional_Parthian Kaithi Kawi Kayah_Li Kharoshthi Khitan_Small_Script Khojki Khudawadi Lepcha
Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Mandaic Manichaean Marchen Masaram_Gondi Medefaidrin
Meetei_Mayek Mende_Kikakui Meroitic_Cursive Meroitic_Hieroglyphs Miao Modi Mro Multani Nabataean Nag_Mundari Nandinagari
New_Tai_Lue Newa Nushu Nyiakeng_Puachue_Hmong Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian
Old_Sogdian Old_South_Arabian Old_Turkic Old_Uyghur Osage Osmanya Pahawh_Hmong Palmyrene Pau_Cin_Hau Phags_Pa Phoenician
Psalter_Pahlavi Rejang Samaritan Saurashtra Sharada Shavian Siddham SignWriting Sogdian Sora_Sompeng Soyombo
Syloti_Nagri Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tangsa Tangut Tirhuta Toto Ugaritic Vai Vithkuqi Wancho
Warang_Citi Yezidi Zanabazar_Square`.split(/\s+/);

/** Each script this JavaScript engine knows, with its test. */
const SCRIPTS: ReadonlyArray<readonly [string, RegExp]> = SCRIPT_NAMES.flatMap((name) => {
  try {
    return [[name, new RegExp(`^\\p{Script=${name}}$`, 'u')] as const];
  } catch {
    return [];
  }
});

const memo = new Map<number, string>();

/** The script of `ch` as HF fixes it: kana count as Han, ' ' as 'Any'. */
export function fixedScript(ch: string): string {
  const cp = ch.codePointAt(0) as number;
  if (cp === 0x30fc) return 'Han';
  if (ch === ' ') return 'Any';
  let script = memo.get(cp);
  if (script === undefined) {
    script = SCRIPTS.find(([, re]) => re.test(ch))?.[0] ?? 'Unknown';
    memo.set(cp, script);
  }
  return script === 'Hiragana' || script === 'Katakana' ? 'Han' : script;
}

export class UnicodeScripts implements PreTokenizerStage {
  preTokenize(pretokenized: PreTokenizedString): void {
    pretokenized.split((_, normalized) => splitOnScripts(normalized));
  }

  toJSON(): { type: 'UnicodeScripts' } {
    return { type: 'UnicodeScripts' };
  }
}

function splitOnScripts(normalized: NormalizedString): NormalizedString[] {
  const cuts: number[] = [];
  let last: string | null = null;
  let offset = 0;
  for (const ch of normalized.text) {
    const script = fixedScript(ch);
    if (script !== 'Any' && last !== 'Any' && last !== script) cuts.push(offset);
    offset += ch.length;
    if (script !== 'Any') last = script;
  }
  cuts.push(normalized.length);
  const pieces: NormalizedString[] = [];
  for (let k = 0; k + 1 < cuts.length; k++) pieces.push(normalized.slice(cuts[k] as number, cuts[k + 1] as number));
  return pieces;
}
