// Place names in a sentence, through the gazetteer's names in every script (src/geo).
// The index is built once from plain data; scanning is a map lookup per word n-gram.
import { normalizeName } from '../../geo/normalize.js';
import type { CandidateLocation, PlaceEntry } from './types.js';

export interface PlaceIndex {
  readonly byName: ReadonlyMap<string, readonly PlaceEntry[]>;
  /** normalizeName of words already seen: news text repeats its capitalised words. */
  readonly keys: Map<string, string>;
}

/** Bounded: a hostile text of endless distinct words must not grow the memo without limit. */
const MAX_KEYS = 50_000;

function keyOf(index: PlaceIndex, text: string): string {
  let key = index.keys.get(text);
  if (key === undefined) {
    key = normalizeName(text);
    if (index.keys.size >= MAX_KEYS) index.keys.clear();
    index.keys.set(text, key);
  }
  return key;
}

// Country and people names are handled as countries and actors, not as gazetteer hits; the
// rest are English words that also name a village somewhere and would read as places.
const NOT_PLACES = new Set(['pakistan', 'afghanistan', 'taliban', 'durand', 'border', 'camp', 'friday', 'sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'saturday', 'the', 'tank', 'bar', 'police', 'market', 'centre', 'center', 'line', 'pashtun', 'baloch', 'islamic']);

export function buildPlaceIndex(places: readonly PlaceEntry[]): PlaceIndex {
  const byName = new Map<string, PlaceEntry[]>();
  for (const p of places) {
    for (const n of new Set([p.name, ...p.names])) {
      const key = normalizeName(n);
      if (key.length < 3 || NOT_PLACES.has(key)) continue;
      const list = byName.get(key);
      if (list) {
        if (!list.includes(p)) list.push(p);
      } else byName.set(key, [p]);
    }
  }
  return { byName, keys: new Map() };
}

export interface PlaceHit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly place: PlaceEntry;
}

const WORD = /[\p{L}\p{M}][\p{L}\p{M}\p{N}'’-]*/gu;
const LOCATIVE = /\b(?:in|at|near|into|across|inside|outside|around|of|on|from|over|targeting|targeted|hit|struck|bombed|shelled)\s+(?:the\s+)?$/i;
const CHAIN = /^\s*(?:,|and|,\s*and|or)\s*$/i;
const SUFFIX = /^\s+(province|district|city|town|village|area|region|agency|valley|crossing|tehsil|bazaar)\b/i;
const KIND_ORDER: Readonly<Record<string, number>> = { populated_place: 0, crossing: 1, district: 2, province: 3 };

function choose(list: readonly PlaceEntry[], suffix: string | undefined): PlaceEntry | null {
  const want = suffix === undefined ? null : /province/i.test(suffix) ? 'province' : /district|agency|tehsil/i.test(suffix) ? 'district' : /crossing/i.test(suffix) ? 'crossing' : /city|town|village|bazaar/i.test(suffix) ? 'populated_place' : null;
  const ranked = [...list].sort((a, b) => {
    if (want !== null && (a.kind === want) !== (b.kind === want)) return a.kind === want ? -1 : 1;
    if (b.population !== a.population) return b.population - a.population;
    return (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9);
  });
  return ranked[0] ?? null;
}

/**
 * Places named in `s`: a Latin-script name counts when capitalised and introduced as a place
 * ("in Kabul", "Kurram district", "Kabul and Paktika"); an Arabic-script name always does,
 * since English prose quoting it is naming the place.
 */
export function findPlaces(s: string, index: PlaceIndex): PlaceHit[] {
  const words: { start: number; end: number }[] = [];
  for (const m of s.matchAll(WORD)) words.push({ start: m.index, end: m.index + m[0].length });
  const hits: PlaceHit[] = [];
  for (let i = 0; i < words.length; i++) {
    for (let n = Math.min(3, words.length - i); n >= 1; n--) {
      const first = words[i];
      const last = words[i + n - 1];
      if (!first || !last) continue;
      const c0 = s.charCodeAt(first.start);
      // Only capitalised Latin words or non-Latin script can start a place name: skip the rest cheaply.
      if (c0 >= 97 && c0 <= 122) break;
      const text = s.slice(first.start, last.end);
      if (n > 1 && /[^\s\p{L}\p{M}\p{N}'’-]/u.test(text)) continue;
      const list = index.byName.get(keyOf(index, text));
      if (!list) continue;
      const arabic = /\p{Script=Arabic}/u.test(text);
      const after = s.slice(last.end, last.end + 20);
      const suffix = SUFFIX.exec(after)?.[1];
      if (!arabic) {
        if (!/^\p{Lu}/u.test(text)) continue;
        if (/^['’]s\b/.test(after)) continue; // "Islamabad's attack": the government, not the place
        const before = s.slice(Math.max(0, first.start - 30), first.start);
        const prev = hits[hits.length - 1];
        const chained = prev !== undefined && CHAIN.test(s.slice(prev.end, first.start));
        if (!LOCATIVE.test(before) && suffix === undefined && !chained) continue;
      }
      const place = choose(list, suffix);
      if (!place) continue;
      const end = suffix !== undefined ? last.end + (SUFFIX.exec(after)?.[0].length ?? 0) : last.end;
      hits.push({ start: first.start, end, text: s.slice(first.start, end), place });
      i += n - 1;
      break;
    }
  }
  return hits;
}

export function locationOf(p: PlaceEntry): CandidateLocation {
  const admin2 = p.kind === 'province' ? null : p.admin2;
  return { name: p.name, country: p.country, admin1: p.admin1, admin2, lat: p.lat, lon: p.lon };
}

const COUNTRY_CUES: readonly (readonly [RegExp, string])[] = [
  [/\b(?:in|into|inside|across|of) (?:eastern |southern |northern |western )?Afghanistan\b|\bAfghan (?:territory|soil|province|civilians|villages?)\b/i, 'AFG'],
  [/\b(?:in|into|inside|across|of) (?:north-?western |south-?western |northern |western )?Pakistan\b|\bPakistani (?:territory|soil|military camp|military post|border post|posts?|camp|province|civilians|villages?)\b/i, 'PAK'],
];

/** The country a sentence places the event in when it names no place: "in Afghanistan", "a Pakistani military camp". */
export function countryCue(s: string): string | null {
  const found = COUNTRY_CUES.filter(([re]) => re.test(s)).map(([, c]) => c);
  return found.length === 1 ? (found[0] ?? null) : null;
}
