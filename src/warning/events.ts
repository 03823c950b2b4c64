import type { Claim } from '../domain/claim.js';
import type { Visibility } from '../domain/common.js';
import type { Incident } from '../domain/incident.js';

/**
 * The unit every indicator counts: one incident reduced to who acted against whom, where and
 * when. Built from Mizan's own records (`eventsFromRecords`) or from an external dataset (UCDP).
 */
export interface Dyad {
  /** The side that acted; for an undirected pair, the lexically smaller side. */
  readonly a: string;
  readonly b: string;
  /** False where the data does not say who attacked (UCDP side_a/side_b, or contested attribution). */
  readonly directed: boolean;
}

export interface WarningEvent {
  readonly id: string;
  /** Start of the incident's UTC interval, in ms since the epoch. */
  readonly at: number;
  readonly dyad: Dyad;
  /** `COUNTRY/admin1` (or the country alone when admin1 is unknown). */
  readonly district: string;
  readonly fatalities: number;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly visibility: Visibility;
}

export function dyadKey(d: Dyad): string {
  return d.directed ? `${d.a}->${d.b}` : `${d.a}--${d.b}`;
}

export function undirected(x: string, y: string): Dyad {
  return x <= y ? { a: x, b: y, directed: false } : { a: y, b: x, directed: false };
}

export interface RecordsInput {
  readonly parties: readonly { id: string; country?: string | null }[];
  readonly actors: readonly { id: string; controlled_by: string | null }[];
  readonly incidents: readonly Incident[];
  readonly claims: readonly Claim[];
}

/**
 * ACLED's political-violence event types: only these are attacks one side makes on another.
 * Strategic developments (agreements, talks, "camps present"), protests and riots are not counted.
 */
export const VIOLENT_EVENT_TYPES: ReadonlySet<string> = new Set(['Battles', 'Explosions/Remote violence', 'Violence against civilians']);

// Stronger bases first: a verified or self-claimed attribution outranks an allegation.
const BASIS_RANK: Record<Claim['basis'], number> = { verified: 0, claimed_by_perpetrator: 1, alleged: 2, reported: 3 };

/**
 * Dyads from Mizan's own records. The acting side is the perpetrator actor's controlling party, or
 * the actor itself (TTP). The target side is the location's party when a party's forces act across
 * the border (a strike in Afghanistan by Pakistan's forces is PAK→AFG whoever the target was), else
 * the target actor's party or the actor, else the location's party. Perpetrators come from the
 * incident's actors; failing that, from the non-superseded claims of the strongest basis present.
 * Two or more acting sides on one incident (a clash) give an undirected pair.
 */
export function eventsFromRecords(input: RecordsInput): WarningEvent[] {
  const controller = new Map(input.actors.map((a) => [a.id, a.controlled_by]));
  const partyIds = new Set(input.parties.map((p) => p.id));
  const partyOfCountry = new Map<string, string>();
  for (const p of input.parties) if (p.country) partyOfCountry.set(p.country, p.id);
  const sideOf = (actor: string): string => controller.get(actor) ?? actor;
  const superseded = new Set(input.claims.map((c) => c.supersedes).filter((x): x is string => !!x));
  const claimsByIncident = new Map<string, Claim[]>();
  for (const c of input.claims) {
    if (superseded.has(c.id)) continue;
    const list = claimsByIncident.get(c.incident) ?? [];
    list.push(c);
    claimsByIncident.set(c.incident, list);
  }

  const out: WarningEvent[] = [];
  for (const inc of input.incidents) {
    if (!VIOLENT_EVENT_TYPES.has(inc.event_type)) continue;
    const at = Date.parse(inc.occurred.from);
    if (!Number.isFinite(at)) continue;
    const claims = claimsByIncident.get(inc.id) ?? [];
    let perpetrators = inc.actors.filter((a) => a.role === 'perpetrator').map((a) => a.actor);
    if (perpetrators.length === 0) {
      const withPerp = claims.filter((c) => c.asserts.perpetrator);
      const best = Math.min(...withPerp.map((c) => BASIS_RANK[c.basis]));
      perpetrators = withPerp.filter((c) => BASIS_RANK[c.basis] === best).map((c) => c.asserts.perpetrator!);
    }
    let targets = inc.actors.filter((a) => a.role === 'target').map((a) => a.actor);
    if (targets.length === 0) targets = claims.map((c) => c.asserts.target).filter((x): x is string => !!x);
    const locationParty = partyOfCountry.get(inc.location.country) ?? null;
    const sides = [...new Set(perpetrators.map(sideOf))].sort();
    let dyad: Dyad | null = null;
    if (sides.length >= 2) {
      dyad = undirected(sides[0]!, sides[1]!);
    } else if (sides.length === 1) {
      const a = sides[0]!;
      const targetSides = [...new Set(targets.map(sideOf))].filter((s) => s !== a);
      let b: string | null;
      if (partyIds.has(a) && locationParty && locationParty !== a) b = locationParty;
      else b = targetSides[0] ?? (locationParty !== a ? locationParty : null);
      if (b) dyad = { a, b, directed: true };
    }
    if (!dyad) continue;
    const f = inc.fatalities;
    out.push({
      id: inc.id,
      at,
      dyad,
      district: inc.location.admin1 ? `${inc.location.country}/${inc.location.admin1}` : inc.location.country,
      fatalities: f ? (f.best ?? f.low ?? f.high ?? 0) : 0,
      lat: inc.location.lat ?? null,
      lon: inc.location.lon ?? null,
      visibility: inc.visibility,
    });
  }
  return out.sort(byTime);
}

export function byTime(x: WarningEvent, y: WarningEvent): number {
  return x.at - y.at || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0);
}
