import { haversineKm } from './distance.js';
import { GeoError } from './errors.js';
import { editDistance, TrigramIndex } from './fuzzy.js';
import { compactKey, nameSkeleton, normalizeName, stripGenericWords } from './normalize.js';
import type {
  AdminNameResolution,
  AdminRename,
  Alpha3,
  GazetteerData,
  LookupItem,
  LookupOptions,
  LookupResult,
  MatchKind,
  Place,
} from './types.js';

/** Queries are cut to this many characters: names are short, and work must stay bounded. */
export const MAX_QUERY_LENGTH = 200;
/** Places scoring within this margin of the best are "close to the top". */
export const AMBIGUITY_MARGIN = 0.05;
/** Two matches in the same country this close together are taken to be the same place. */
export const SAME_PLACE_KM = 25;

const TIER_SCORE: Readonly<Record<MatchKind, number>> = {
  exact: 1,
  compact: 0.95,
  generic: 0.9,
  skeleton: 0.85,
  fuzzy: 0.8, // multiplied by the similarity
};
/** An alternate name matches slightly less strongly than the main name. */
const ALTERNATE_PENALTY = 0.03;
const FUZZY_MIN_SIMILARITY = 0.75;
/** Skeletons shorter than this are too short for an edit to mean "the same name". */
const FUZZY_MIN_LENGTH = 5;
const FUZZY_CANDIDATES = 40;
const DEFAULT_LIMIT = 10;

// Within a score, towns before the admin units named after them, bigger towns first.
const KIND_ORDER: Readonly<Record<Place['kind'], number>> = {
  populated_place: 0,
  crossing: 1,
  district: 2,
  province: 3,
};

interface Entry {
  readonly place: number;
  /** Index into place.names, or -1 for the main name. */
  readonly name: number;
}

type Postings = Map<string, Entry[]>;

function post(map: Postings, key: string, entry: Entry): void {
  if (key.length === 0) return;
  const list = map.get(key);
  if (!list) map.set(key, [entry]);
  else if (!list.some((e) => e.place === entry.place && e.name === entry.name)) list.push(entry);
}

interface Candidate {
  readonly place: number;
  score: number;
  match: MatchKind;
  name: number;
}

/** A gazetteer lookup over places from several sources, with renames of former admin units. */
export interface Gazetteer {
  lookup(query: string, options?: LookupOptions): LookupResult;
  resolveAdminName(name: string, options?: { readonly country?: Alpha3; readonly level?: 'admin1' | 'admin2' }): AdminNameResolution;
  readonly places: readonly Place[];
}

interface Where {
  readonly country: Alpha3 | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
}

// A crossing lies in one district on each side; any other place in its own admin units.
function whereabouts(p: Place): readonly Where[] {
  return p.sides && p.sides.length > 0 ? p.sides : [p];
}

function contains(outer: Place, inner: Place): boolean {
  if (outer.kind !== 'province' && outer.kind !== 'district') return false;
  return whereabouts(inner).some(
    (w) =>
      w.country === outer.country &&
      (outer.kind === 'province' ? w.admin1 === outer.name : w.admin1 === outer.admin1 && w.admin2 === outer.name),
  );
}

// Two results are the same place when one is the admin unit the other lies in (a town and
// the district named after it, a crossing and the district on either side), or when both
// lie within SAME_PLACE_KM of each other in one country. A crossing belongs to both.
function samePlace(a: Place, b: Place): boolean {
  if (contains(a, b) || contains(b, a)) return true;
  if (a.country !== null && b.country !== null && a.country !== b.country) return false;
  return haversineKm(a.lat, a.lon, b.lat, b.lon) <= SAME_PLACE_KM;
}

// "Spin Boldak district", "ولسوالی برمل", "Torkham border": the qualifying word says which
// kind of place is meant, and that kind ranks first among equal scores.
const KIND_HINT_WORDS: readonly (readonly [Place['kind'], readonly string[]])[] = [
  ['district', ['district', 'agency', 'tehsil', 'tahsil', 'wuleswali', 'woluswali', 'wuluswali', 'uluswali', 'oluswali', 'ولسوالی', 'ضلع', 'ایجنسی']],
  ['province', ['province', 'welayat', 'wilayat', 'velayat', 'ولایت', 'صوبه']],
  ['crossing', ['border', 'crossing', 'gate', 'سرحد']],
  ['populated_place', ['city', 'town', 'village', 'bazaar', 'bazar', 'شهر', 'کلی', 'بازار']],
];
const KIND_HINTS = KIND_HINT_WORDS.map(([kind, words]) => [kind, words.map((w) => normalizeName(w))] as const);

function kindHint(normalized: string): Place['kind'] | null {
  const words = new Set(normalized.split(' '));
  for (const [kind, hints] of KIND_HINTS) if (hints.some((h) => words.has(h))) return kind;
  return null;
}

export function createGazetteer(data: GazetteerData): Gazetteer {
  const places = data.places;
  const exact: Postings = new Map();
  const compact: Postings = new Map();
  const generic: Postings = new Map();
  const skeleton: Postings = new Map();

  places.forEach((p, place) => {
    [p.name, ...p.names].forEach((raw, i) => {
      const entry: Entry = { place, name: i - 1 };
      const n = normalizeName(raw);
      post(exact, n, entry);
      post(compact, compactKey(n), entry);
      const g = stripGenericWords(n);
      post(generic, compactKey(g), entry);
      post(skeleton, nameSkeleton(g.length > 0 ? g : n), entry);
    });
  });
  const fuzzy = new TrigramIndex([...skeleton.keys()]);

  const renameKeys = new Map<string, AdminRename[]>();
  for (const r of data.renames) {
    for (const from of r.from) {
      const k = compactKey(normalizeName(from));
      renameKeys.set(k, [...(renameKeys.get(k) ?? []), r]);
    }
  }

  // The caller's filters apply before the tiers are compared, so that a town called
  // "Sheikhupura" does not stop the fuzzy pass from finding the district "Sheikhpura".
  function collect(q: string, allowed: (p: Place) => boolean): Map<number, Candidate> {
    const found = new Map<number, Candidate>();
    const consider = (entries: readonly Entry[] | undefined, match: MatchKind, base: number): void => {
      for (const e of entries ?? []) {
        if (!allowed(places[e.place]!)) continue;
        const score = base - (e.name >= 0 ? ALTERNATE_PENALTY : 0);
        const prev = found.get(e.place);
        if (!prev || score > prev.score) found.set(e.place, { place: e.place, score, match, name: e.name });
      }
    };
    const g = stripGenericWords(q);
    const skel = nameSkeleton(g.length > 0 ? g : q);
    consider(exact.get(q), 'exact', TIER_SCORE.exact);
    consider(compact.get(compactKey(q)), 'compact', TIER_SCORE.compact);
    if (g.length > 0) consider(generic.get(compactKey(g)), 'generic', TIER_SCORE.generic);
    consider(skeleton.get(skel), 'skeleton', TIER_SCORE.skeleton);

    const best = Math.max(0, ...[...found.values()].map((c) => c.score));
    // The fuzzy pass only runs when nothing matched at a stronger tier, and then only over
    // the best trigram candidates: the work per query is bounded.
    if (best < TIER_SCORE.skeleton && Array.from(skel).length >= FUZZY_MIN_LENGTH) {
      for (const { key } of fuzzy.candidates(skel, FUZZY_CANDIDATES)) {
        const len = Math.max(Array.from(key).length, Array.from(skel).length);
        const maxEdits = Math.floor(len * (1 - FUZZY_MIN_SIMILARITY));
        const d = editDistance(skel, key, maxEdits);
        if (d > maxEdits) continue;
        consider(skeleton.get(key), 'fuzzy', TIER_SCORE.fuzzy * (1 - d / len));
      }
    }
    return found;
  }

  function toItem(c: Candidate): LookupItem {
    const p = places[c.place]!;
    return {
      ...p,
      score: Math.round(Math.max(0, Math.min(1, c.score)) * 1000) / 1000,
      match: c.match,
      matched: c.name < 0 ? p.name : (p.names[c.name] ?? p.name),
    };
  }

  function rank(cands: Iterable<Candidate>, hint: Place['kind'] | null): Candidate[] {
    const order = (p: Place): number => (p.kind === hint ? -1 : KIND_ORDER[p.kind]);
    return [...cands].sort((a, b) => {
      const pa = places[a.place]!;
      const pb = places[b.place]!;
      return (
        b.score - a.score ||
        order(pa) - order(pb) ||
        pb.population - pa.population ||
        (pa.id < pb.id ? -1 : pa.id > pb.id ? 1 : 0)
      );
    });
  }

  function lookup(query: string, options: LookupOptions = {}): LookupResult {
    if (typeof query !== 'string') throw new GeoError('INVALID_QUERY', 'the place name must be a string');
    const limit = Math.max(1, Math.min(100, Math.floor(options.limit ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
    const text = query.slice(0, MAX_QUERY_LENGTH);
    const q = normalizeName(text);
    if (q.length === 0) return { query, items: [], ambiguous: false };

    const kinds = options.kinds;
    const country = options.country;
    const allowed = (p: Place): boolean =>
      (!kinds || kinds.includes(p.kind)) &&
      (!country || p.country === country || (p.sides ?? []).some((s) => s.country === country));

    let found = collect(q, allowed);
    // "Khar, Bajaur": when the whole text is not a name, the part before the first comma
    // is the name and the rest narrows it down by province, district or country.
    const comma = text.indexOf(',');
    if (comma > 0 && ![...found.values()].some((c) => c.match === 'exact')) {
      const head = normalizeName(text.slice(0, comma));
      const context = text
        .slice(comma + 1)
        .split(',')
        .map((s) => compactKey(normalizeName(s)))
        .filter((s) => s.length > 0);
      if (head.length > 0) {
        const headFound = collect(head, allowed);
        const matchesContext = (c: Candidate): boolean => {
          const p = places[c.place]!;
          const about = [p.admin1, p.admin2, p.country, p.country === 'AFG' ? 'Afghanistan' : p.country === 'PAK' ? 'Pakistan' : null];
          return about.some((a) => a !== null && context.includes(compactKey(normalizeName(a))));
        };
        const narrowed = [...headFound.values()].filter(matchesContext);
        found = new Map((narrowed.length > 0 ? narrowed : [...headFound.values()]).map((c) => [c.place, c]));
      }
    }

    const ranked = rank(found.values(), kindHint(q));
    const top = ranked[0];
    if (!top) return { query, items: [], ambiguous: false };

    // Ambiguous when, among the places scoring close to the best, any two are distinct places.
    const close = ranked.filter((c) => top.score - c.score <= AMBIGUITY_MARGIN + 1e-9).slice(0, 50);
    let ambiguous = false;
    for (let i = 0; i < close.length && !ambiguous; i++) {
      for (let j = i + 1; j < close.length && !ambiguous; j++) {
        if (!samePlace(places[close[i]!.place]!, places[close[j]!.place]!)) ambiguous = true;
      }
    }
    return { query, items: ranked.slice(0, limit).map(toItem), ambiguous };
  }

  function resolveAdminName(
    name: string,
    options: { readonly country?: Alpha3; readonly level?: 'admin1' | 'admin2' } = {},
  ): AdminNameResolution {
    if (typeof name !== 'string') throw new GeoError('INVALID_QUERY', 'the admin name must be a string');
    const k = compactKey(normalizeName(name.slice(0, MAX_QUERY_LENGTH)));
    const rename = (renameKeys.get(k) ?? []).find(
      (r) => (!options.country || r.country === options.country) && (!options.level || r.level === options.level),
    );
    return rename ? { name: rename.to, rename } : { name, rename: null };
  }

  return { lookup, resolveAdminName, places };
}
