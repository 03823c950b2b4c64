// The agreed list of an agreement over time (issue 6, section 5): each adopted annex makes a new
// version, so an incident is assessed against the list as it stood when it happened, never against
// today's. Pure: the caller passes the annexes in.

/** An adopted annex as the rules read it. */
export interface AgreedListAnnex {
  readonly id: string;
  readonly agreement: string;
  readonly actors: readonly string[];
  /** When the annex takes effect: the adoption date stated, else when it was recorded. UTC ISO 8601. */
  readonly adopted_at: string;
  /** An earlier annex of the same agreement this one replaces: its actors leave the list unless listed again. */
  readonly replaces?: string | null | undefined;
  readonly log_index: number;
}

/** One version of an agreement's agreed list: in effect over [from, to) in UTC milliseconds. */
export interface AgreedListVersion {
  readonly agreement: string;
  /** 1 for the first adopted annex, 2 after the next, … */
  readonly version: number;
  /** The annex whose adoption made this version. */
  readonly annex: string;
  readonly from: number;
  /** The next version's start, or Infinity. */
  readonly to: number;
  /** Each listed actor with the annex that lists it (the earliest, when several do). */
  readonly actors: readonly { readonly actor: string; readonly annex: string }[];
}

/**
 * The versions of `agreement`'s agreed list in order of taking effect (ties by log order). A
 * version lists every actor of the annexes in effect: an annex stops being in effect when a later
 * one `replaces` it. An annex whose date does not parse is ignored rather than placed anywhere.
 */
export function agreedListVersions(annexes: readonly AgreedListAnnex[], agreement: string): AgreedListVersion[] {
  const mine = annexes
    .filter((a) => a.agreement === agreement && Number.isFinite(Date.parse(a.adopted_at)))
    .sort((a, b) => Date.parse(a.adopted_at) - Date.parse(b.adopted_at) || a.log_index - b.log_index);
  const inEffect: AgreedListAnnex[] = [];
  const out: AgreedListVersion[] = [];
  mine.forEach((annex, i) => {
    const replaced = annex.replaces ? inEffect.findIndex((a) => a.id === annex.replaces) : -1;
    if (replaced >= 0) inEffect.splice(replaced, 1);
    inEffect.push(annex);
    const actors = new Map<string, string>();
    for (const a of inEffect) for (const actor of a.actors) if (!actors.has(actor)) actors.set(actor, a.id);
    const next = mine[i + 1];
    out.push({
      agreement,
      version: i + 1,
      annex: annex.id,
      from: Date.parse(annex.adopted_at),
      to: next ? Date.parse(next.adopted_at) : Infinity,
      actors: [...actors].map(([actor, by]) => ({ actor, annex: by })),
    });
  });
  return out;
}

/** The version in effect at `t` (UTC ms), or null before the first annex. */
export function agreedListAt(versions: readonly AgreedListVersion[], t: number): AgreedListVersion | null {
  return versions.find((v) => v.from <= t && t < v.to) ?? null;
}

/**
 * Whether `actor` was on the list during the incident's interval [from, to): `listed` throughout,
 * `not_listed` at no instant, or `partly` when the list changed inside the interval. `versions` are
 * the versions (null: no list yet) the interval overlaps, in order; `boundaries` the changes inside.
 */
export interface Listing {
  readonly actor: string;
  readonly kind: 'listed' | 'not_listed' | 'partly';
  readonly versions: readonly (AgreedListVersion | null)[];
  readonly boundaries: readonly number[];
  /** The annex that lists the actor in the earliest overlapping version that lists it. */
  readonly annex: string | null;
}

export function listingDuring(versions: readonly AgreedListVersion[], actor: string, from: number, to: number): Listing {
  // Segments of time with their version, the stretch before the first annex included (version null).
  const segments: { from: number; to: number; v: AgreedListVersion | null }[] = [];
  const first = versions[0];
  segments.push({ from: -Infinity, to: first ? first.from : Infinity, v: null });
  for (const v of versions) if (v.from < v.to) segments.push({ from: v.from, to: v.to, v });
  const touched = from === to ? segments.filter((s) => s.from <= from && from < s.to) : segments.filter((s) => s.from < to && from < s.to);
  const listedIn = touched.map((s) => s.v?.actors.find((a) => a.actor === actor)?.annex ?? null);
  const kind = listedIn.every((x) => x !== null) && touched.length > 0 ? 'listed' : listedIn.every((x) => x === null) ? 'not_listed' : 'partly';
  return {
    actor,
    kind,
    versions: touched.map((s) => s.v),
    boundaries: touched.slice(1).map((s) => s.from),
    annex: listedIn.find((x) => x !== null) ?? null,
  };
}
