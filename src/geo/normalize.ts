// Place-name normalisation for AF/PK names written in Latin or Arabic script.
//
// normalizeName: case, diacritics, punctuation and Arabic-script letter variants folded
//   ("Spīn Bōldak" → "spin boldak", "پاړه چنار" and "پاره چنار" → the same string).
// nameSkeleton: additionally folds transliteration variants (Bermal/Barmal, Buldak/Boldak,
//   kh/k, q/k, w/v, oo/u, ee/i, "-e-"/"-i-"), and drops spaces; used for the weaker match tiers.

const COMBINING_MARK = /\p{M}/gu;
// Tatweel, ZWNJ/ZWJ, bidi controls, soft hyphen, BOM: invisible, and spelled inconsistently.
const INVISIBLE = /[\u0640\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g;
const APOSTROPHES = /['`´‘’ʻʼʽʾʿˈ]/g;
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]+/gu;

const LATIN_SPECIAL: Readonly<Record<string, string>> = {
  ı: 'i',
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ħ: 'h',
};
const LATIN_SPECIAL_RE = /[ıßæœøłđðþħ]/g;

// Arabic-script letters that Pashto, Dari, Urdu and Arabic keyboards write differently for
// the same name. Pashto retroflexes fold to their Urdu forms; Arabic-Indic digits to ASCII.
const ARABIC_FOLD: Readonly<Record<string, string>> = {
  'ي': 'ی', // Arabic yeh
  'ى': 'ی', // alef maksura
  'ې': 'ی', // Pashto yeh
  'ۍ': 'ی', // Pashto yeh with tail
  'ے': 'ی', // Urdu yeh barree
  'ك': 'ک', // Arabic kaf
  'ة': 'ه', // teh marbuta
  'ہ': 'ه', // Urdu heh goal
  'ە': 'ه',
  'ھ': 'ه', // heh doachashmee
  'ګ': 'گ', // Pashto gaf
  'ټ': 'ٹ',
  'ډ': 'ڈ',
  'ړ': 'ڑ',
  'ڼ': 'ن',
  'ږ': 'ژ',
  'ښ': 'ش',
};
const ARABIC_FOLD_RE = /[يىېۍےكةہەھګټډړڼږښ]/g;
const ARABIC_DIGIT_RE = /[\u0660-\u0669\u06F0-\u06F9]/g;

function foldArabicDigit(d: string): string {
  const c = d.charCodeAt(0);
  return String(c >= 0x06f0 ? c - 0x06f0 : c - 0x0660);
}

/**
 * Folds a place name to a comparable form: lower case, no diacritics or harakat, Arabic-script
 * letter variants unified, punctuation and hyphens as single spaces. Never throws.
 */
export function normalizeName(input: string): string {
  return (
    input
      // NFKD also unfolds Arabic presentation forms (ﻛ → ك) and full-width Latin.
      .normalize('NFKD')
      .replace(COMBINING_MARK, '')
      .replace(INVISIBLE, '')
      .replace(APOSTROPHES, '')
      .toLowerCase()
      .replace(LATIN_SPECIAL_RE, (c) => LATIN_SPECIAL[c] ?? c)
      .replace(ARABIC_FOLD_RE, (c) => ARABIC_FOLD[c] ?? c)
      .replace(ARABIC_DIGIT_RE, foldArabicDigit)
      .replace(NOT_LETTER_OR_DIGIT, ' ')
      .trim()
  );
}

/** The normalised name without spaces: "spin boldak" and "spinboldak" meet here. */
export function compactKey(normalized: string): string {
  return normalized.replace(/ /g, '');
}

// Words that qualify a name rather than name the place; dropped for the "generic" tier, so
// "Kurram Agency", "Torkham border" and "ولسوالی برمل" find Kurram, Torkham and Barmal.
const GENERIC_WORDS = new Set(
  [
    'district',
    'province',
    'agency',
    'tehsil',
    'tahsil',
    'city',
    'town',
    'village',
    'bazaar',
    'bazar',
    'border',
    'crossing',
    'gate',
    'point',
    'area',
    'region',
    'valley',
    'the',
    'of',
    'wuleswali',
    'woluswali',
    'wuluswali',
    'uluswali',
    'oluswali',
    'welayat',
    'wilayat',
    'velayat',
    'markaz',
    'ولسوالی',
    'ولایت',
    'ضلع',
    'صوبه',
    'شهر',
    'بازار',
    'کلی',
    'سرحد',
    'ایجنسی',
    'مرکز',
  ].map((w) => normalizeName(w)),
);

/** The normalised name without qualifying words ("district", "ولسوالی"); "" if nothing else. */
export function stripGenericWords(normalized: string): string {
  return normalized
    .split(' ')
    .filter((w) => w.length > 0 && !GENERIC_WORDS.has(w))
    .join(' ');
}

const ARABIC_LETTER = /[\u0600-\u06FF\u0750-\u077F]/;

// Latin transliteration variants. Order matters: digraphs before single letters.
function latinSkeleton(token: string): string {
  let t = token
    .replace(/kh/g, 'k')
    .replace(/gh/g, 'g')
    .replace(/sh/g, 'X')
    .replace(/ch/g, 'C')
    .replace(/zh/g, 'z')
    .replace(/th/g, 't')
    .replace(/dh/g, 'd')
    .replace(/ph/g, 'f')
    .replace(/bh/g, 'b')
    .replace(/jh/g, 'j')
    .replace(/ck/g, 'k')
    .replace(/[cq]/g, 'k')
    .replace(/w/g, 'v')
    .replace(/y/g, 'i');
  // "h" after the first letter is mostly a transliteration habit (Mohmand/Momand, Shah/Sha).
  t = t.charAt(0) + t.slice(1).replace(/h/g, '');
  // Vowels differ freely between spellings (Bermal/Barmal, Buldak/Boldak, oo/u, ee/i).
  t = t.replace(/[aeiou]+/g, 'a');
  return t.replace(/(.)\1+/g, '$1').toLowerCase();
}

// Arabic script writes long vowels inconsistently (برمل / برمال), and Dari or Arabic
// keyboards often lack the retroflex letters (پاره چنار for پاړه چنار).
const ARABIC_SKELETON: Readonly<Record<string, string>> = { 'ڑ': 'ر', 'ٹ': 'ت', 'ڈ': 'د', 'ژ': 'ز', 'ں': 'ن' };

function arabicSkeleton(token: string): string {
  return token
    .replace(/[اآ]/g, '')
    .replace(/[ڑٹڈژں]/g, (c) => ARABIC_SKELETON[c] ?? c)
    .replace(/(.)\1+/gu, '$1');
}

/**
 * A transliteration-insensitive key of a normalised name, without spaces. Lone vowels
 * between words (the Persian ezafe in "Sar-e Pol", "Dara-I-Pech") are dropped.
 */
export function nameSkeleton(normalized: string): string {
  return normalized
    .split(' ')
    .filter((w) => w.length > 0 && !/^[aeiouy]$/.test(w))
    .map((w) => (ARABIC_LETTER.test(w) ? arabicSkeleton(w) : latinSkeleton(w)))
    .join('');
}
