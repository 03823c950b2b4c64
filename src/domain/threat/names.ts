import type { NameEntry } from '../common.js';
import { normaliseName } from '../common.js';

/**
 * Name lookup for armed actors. It proposes candidates with a score and never decides on its own
 * that two actor records are one: only a recorded same-as link does that (see links.ts).
 */

// Arabic-script letters that differ between Arabic, Urdu, Pashto and Dari keyboards for the same name.
const ARABIC_SCRIPT: Record<string, string> = {
  '\u064A': '\u06CC', // ي Arabic yeh → ی Farsi yeh
  '\u0649': '\u06CC', // ى alef maksura → ی
  '\u06D2': '\u06CC', // ے yeh barree → ی
  '\u0643': '\u06A9', // ك Arabic kaf → ک keheh
  '\u06C1': '\u0647', // ہ heh goal → ه
  '\u06C3': '\u0647', // ۃ teh marbuta goal → ه
  '\u06D5': '\u0647', // ە ae → ه
  '\u0629': '\u0647', // ة teh marbuta → ه
  '\u0623': '\u0627', // أ → ا
  '\u0625': '\u0627', // إ → ا
  '\u0622': '\u0627', // آ → ا
};

// Transliteration variants of the same word, per token (after lower-casing and diacritic folding).
const TOKEN_VARIANTS: Record<string, string> = {
  tehreek: 'tehrik',
  tahreek: 'tehrik',
  tahrik: 'tehrik',
  taleban: 'taliban',
  khurasan: 'khorasan',
  khorasaan: 'khorasan',
  qaeda: 'qaida',
  qaida: 'qaida',
  nafaz: 'nifaz',
  nifaaz: 'nifaz',
  mohammadi: 'muhammadi',
  mohammedi: 'muhammadi',
  shariah: 'shariat',
  sharia: 'shariat',
  lashkare: 'lashkar',
  daish: 'daesh',
};

// Connectors written -i-, -e- or -e (izafat) or left out altogether: "Tehrik-i-Taliban", "Tehreek-e-Taliban".
const CONNECTORS = new Set(['i', 'e', 'y']);

/** The comparison key of a name: case, diacritics, hyphens, izafat and common variants folded. */
export function normaliseActorName(name: string): string {
  let s = name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/[\u064A\u0649\u06D2\u0643\u06C1\u06C3\u06D5\u0629\u0623\u0625\u0622]/g, (c) => ARABIC_SCRIPT[c] ?? c);
  // Tatweel and zero-width (non-)joiners change how a name looks, not what it is.
  s = s.replace(/[\u0640\u200B-\u200D\u2060\uFEFF]/g, '');
  s = s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
  const tokens = s
    .split(' ')
    .filter((t) => t.length > 0 && !CONNECTORS.has(t))
    .map((t) => TOKEN_VARIANTS[t] ?? t.replace(/ee/g, 'i').replace(/oo/g, 'u'));
  return tokens.join(' ');
}

function trigrams(s: string): Set<string> {
  const padded = `  ${s} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return out;
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let common = 0;
  for (const x of a) if (b.has(x)) common++;
  return (2 * common) / (a.size + b.size);
}

/** Similarity of two names in [0, 1]: 1 when their keys are equal, else a blend of word and trigram overlap. */
export function nameSimilarity(a: string, b: string): number {
  const ka = normaliseActorName(a);
  const kb = normaliseActorName(b);
  if (ka === '' || kb === '') return 0;
  if (ka === kb) return 1;
  const words = dice(new Set(ka.split(' ')), new Set(kb.split(' ')));
  const chars = dice(trigrams(ka), trigrams(kb));
  return Math.round(Math.min(0.99, 0.4 * words + 0.6 * chars) * 1000) / 1000;
}

export interface NamedActor {
  readonly id: string;
  readonly names: readonly NameEntry[];
}

export interface NameCandidate {
  readonly actor: string;
  readonly score: number;
  /** The actor's name that matched best. */
  readonly matched: string;
  readonly used_by?: readonly string[];
}

/** Every actor whose best-matching name scores at least `min`, best first. Never a merge. */
export function findNameCandidates(query: string, actors: readonly NamedActor[], min = 0.35, limit = 10): NameCandidate[] {
  const out: NameCandidate[] = [];
  for (const a of actors) {
    let best: NameCandidate | null = null;
    for (const entry of [a.id, ...a.names]) {
      const n = normaliseName(entry);
      const score = nameSimilarity(query, n.name);
      if (!best || score > best.score) best = { actor: a.id, score, matched: n.name, ...(n.used_by ? { used_by: n.used_by } : {}) };
    }
    if (best && best.score >= min) out.push(best);
  }
  return out.sort((x, y) => y.score - x.score || x.actor.localeCompare(y.actor)).slice(0, limit);
}
