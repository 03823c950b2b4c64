import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactKey, nameSkeleton, normalizeName, stripGenericWords } from '../../src/geo/index.js';

const skeletonOf = (s: string): string => nameSkeleton(normalizeName(s));

describe('normalizeName', () => {
  it('folds case, diacritics and hyphens', () => {
    expect(normalizeName('Spīn Bōldak')).toBe('spin boldak');
    expect(normalizeName('SPIN-BOLDAK')).toBe('spin boldak');
    expect(normalizeName('  Dara-I-Pech ')).toBe('dara i pech');
    expect(normalizeName('Qal‘ah-ye Now')).toBe('qalah ye now');
    expect(normalizeName('Zaṟah Sharan')).toBe('zarah sharan');
    expect(normalizeName('Ḏanḏar')).toBe('dandar');
  });

  it('unifies Arabic-script letter variants used by Pashto, Dari, Urdu and Arabic keyboards', () => {
    // Arabic yeh / Farsi yeh / alef maksura / Pashto yeh
    expect(normalizeName('علي')).toBe(normalizeName('علی'));
    expect(normalizeName('علىٰ')).toBe(normalizeName('علی'));
    // Arabic kaf / keheh
    expect(normalizeName('كابل')).toBe(normalizeName('کابل'));
    // heh goal / heh / teh marbuta
    expect(normalizeName('اڈہ')).toBe(normalizeName('اڈه'));
    expect(normalizeName('قلعة')).toBe(normalizeName('قلعه'));
    // Pashto gaf and Persian gaf
    expect(normalizeName('ورګون')).toBe(normalizeName('ورگون'));
  });

  it('removes tatweel, harakat and zero-width joiners', () => {
    expect(normalizeName('بـرمـل')).toBe('برمل');
    expect(normalizeName('بَرْمَل')).toBe('برمل');
    expect(normalizeName('بر\u200Cمل')).toBe('برمل');
    expect(normalizeName('\u200Fچمن\u200E')).toBe('چمن');
  });

  it('reads Arabic presentation forms and Arabic-Indic digits', () => {
    expect(normalizeName('ﻛﺎﺑﻞ')).toBe(normalizeName('کابل'));
    expect(normalizeName('چک ۱۲۳')).toBe('چک 123');
  });
});

describe('nameSkeleton', () => {
  it.each([
    ['Bermal', 'Barmal'],
    ['Spin Boldak', 'Spin Buldak'],
    ['Spin Boldak', 'Spinboldak'],
    ['Miran Shah', 'Miranshah'],
    ['Mohmand', 'Momand'],
    ['Khyber', 'Khaibar'],
    ['Qandahar', 'Kandahar'],
    ['Wardak', 'Vardak'],
    ['Kurram', 'Kuram'],
    ['Angoor Adda', 'Angur Ada'],
    ['Sar-e Pol', 'Sar-i-Pol'],
    ['Teeri', 'Tiri'],
  ])('treats %s and %s as the same name', (a, b) => {
    expect(skeletonOf(a)).toBe(skeletonOf(b));
  });

  it('keeps different names apart', () => {
    expect(skeletonOf('Chaman')).not.toBe(skeletonOf('Kabul'));
    expect(skeletonOf('Khost')).not.toBe(skeletonOf('Kunar'));
  });

  it('folds Arabic-script long vowels and retroflex letters', () => {
    expect(skeletonOf('برمل')).toBe(skeletonOf('برمال'));
    expect(skeletonOf('پاړه چنار')).toBe(skeletonOf('پاره چنار'));
  });
});

describe('keys', () => {
  it('drops qualifying words and spaces', () => {
    expect(stripGenericWords(normalizeName('Kurram Agency'))).toBe('kurram');
    expect(stripGenericWords(normalizeName('ولسوالی برمل'))).toBe('برمل');
    expect(stripGenericWords(normalizeName('district'))).toBe('');
    expect(compactKey('spin boldak')).toBe('spinboldak');
  });
});

describe('properties', () => {
  const nameChars = fc.constantFrom(
    'a', 'e', 'k', 'h', 'q', 'w', ' ', '-', '‘', 'ā', 'ō', 'ṟ', 'ı', 'ß',
    'ی', 'ي', 'ى', 'ې', 'ک', 'ك', 'ه', 'ہ', 'ة', 'گ', 'ګ', 'ـ', '\u064E', '\u0651', '\u200C', '\u200D', 'ﻛ', '۱',
  );
  const hostile = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: nameChars }), fc.string());

  it('never throws, and is idempotent', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const n = normalizeName(s);
        expect(normalizeName(n)).toBe(n);
        expect(n).toBe(n.trim());
        expect(n).not.toMatch(/ {2}/);
        nameSkeleton(n);
        stripGenericWords(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('ignores case and surrounding punctuation', () => {
    fc.assert(
      fc.property(fc.string({ unit: nameChars }), (s) => {
        expect(normalizeName(`  ${s.toUpperCase()} -`)).toBe(normalizeName(s.toLowerCase()));
      }),
      { numRuns: 500 },
    );
  });
});
