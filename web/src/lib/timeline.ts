// Pure data shaping for the overview's timeline: who against whom (the dyad), daily counts and
// fatalities, and agreement windows as bands.
import type { ActorRecord, AgreementRecord, Incident } from '../api/types.js';
import { utcDay } from './format.js';

export const NO_DYAD = '~none';
export const OPEN_DYAD = '~open';

/**
 * A dyad is an unordered pair of sides, as UCDP counts them: a party (through the forces it
 * controls) or a non-state group by itself. It is taken from the incident record's own actors,
 * never from one side's claim, and names no perpetrator: "AFG–PAK" reads the same either way.
 */
export function dyadOf(incident: Pick<Incident, 'actors' | 'event_type'>, actors: ReadonlyMap<string, Pick<ActorRecord, 'controlled_by'>>): string {
  const sides = new Set<string>();
  for (const a of incident.actors ?? []) sides.add(actors.get(a.actor)?.controlled_by ?? a.actor);
  if (sides.size >= 2) return [...sides].sort().join('|');
  if (sides.size === 0 && incident.event_type === 'Strategic developments') return NO_DYAD;
  return OPEN_DYAD;
}

export const dyadSides = (dyad: string): string[] => (dyad === NO_DYAD || dyad === OPEN_DYAD ? [] : dyad.split('|'));

/** Fatalities the incident record states (best, else low); claims are compared on the incident page. */
export function recordedFatalities(i: Pick<Incident, 'fatalities'>): number | null {
  const f = i.fatalities;
  if (!f) return null;
  return f.best ?? f.low ?? f.high ?? null;
}

const DAY = 86_400_000;
/** Incidents spanning more than this are drawn as spans, not counted on one day. */
export const SPAN_LIMIT_MS = 2 * DAY;

export interface DailyBar {
  readonly day: Date;
  readonly dayEnd: Date;
  readonly dyad: string;
  readonly count: number;
  readonly fatalities: number;
  readonly ids: readonly string[];
}

export interface Span {
  readonly id: string;
  readonly from: Date;
  readonly to: Date;
  readonly dyad: string;
  readonly title: string;
}

export interface TimelineData {
  readonly bars: readonly DailyBar[];
  readonly spans: readonly Span[];
  readonly dyads: readonly string[];
  readonly domain: readonly [Date, Date];
}

/** Day of an incident: the UTC day its interval starts in (the timeline's days are UTC days). */
export function incidentDay(i: Pick<Incident, 'occurred'>): string {
  return utcDay(i.occurred.from);
}

export function isSpan(i: Pick<Incident, 'occurred'>): boolean {
  return Date.parse(i.occurred.to) - Date.parse(i.occurred.from) > SPAN_LIMIT_MS;
}

export function buildTimeline(
  incidents: readonly Pick<Incident, 'id' | 'occurred' | 'actors' | 'event_type' | 'fatalities' | 'title'>[],
  actors: ReadonlyMap<string, Pick<ActorRecord, 'controlled_by'>>,
  windows: readonly { from: string; to: string | null }[] = [],
): TimelineData {
  const groups = new Map<string, { day: string; dyad: string; count: number; fatalities: number; ids: string[] }>();
  const spans: Span[] = [];
  const dyads = new Set<string>();
  let min = Infinity;
  let max = -Infinity;
  for (const i of incidents) {
    const dyad = dyadOf(i, actors);
    dyads.add(dyad);
    const from = Date.parse(i.occurred.from);
    const to = Date.parse(i.occurred.to);
    min = Math.min(min, from);
    max = Math.max(max, to);
    if (to - from > SPAN_LIMIT_MS) {
      spans.push({ id: i.id, from: new Date(from), to: new Date(to), dyad, title: i.title ?? i.id });
      continue;
    }
    const day = incidentDay(i);
    const key = `${day}|${dyad}`;
    const g = groups.get(key) ?? { day, dyad, count: 0, fatalities: 0, ids: [] };
    g.count += 1;
    g.fatalities += recordedFatalities(i) ?? 0;
    g.ids.push(i.id);
    groups.set(key, g);
  }
  for (const w of windows) {
    const f = Date.parse(w.from);
    if (Number.isFinite(f) && Number.isFinite(min)) min = Math.min(min, f);
  }
  if (!Number.isFinite(min)) {
    const now = Date.now();
    min = now - 30 * DAY;
    max = now;
  }
  const start = new Date(Math.floor(min / DAY) * DAY);
  const end = new Date(Math.ceil(Math.max(max, min + DAY) / DAY) * DAY);
  const bars = [...groups.values()]
    .sort((a, b) => a.day.localeCompare(b.day) || a.dyad.localeCompare(b.dyad))
    .map((g) => {
      const day = new Date(`${g.day}T00:00:00Z`);
      return { day, dayEnd: new Date(day.getTime() + DAY), dyad: g.dyad, count: g.count, fatalities: g.fatalities, ids: g.ids };
    });
  return { bars, spans, dyads: [...dyads].sort(), domain: [start, end] };
}

/** The windows of every agreement, clipped to the chart's domain (open windows run to its end). */
export function agreementBands(agreements: readonly AgreementRecord[], domain: readonly [Date, Date]) {
  const out: { agreement: string; title: string; from: Date; to: Date; open: boolean }[] = [];
  for (const a of agreements) {
    for (const w of a.windows) {
      const from = new Date(w.from);
      const to = w.to === null ? domain[1] : new Date(w.to);
      if (to <= domain[0] || from >= domain[1]) continue;
      out.push({ agreement: a.id, title: a.title, from: from < domain[0] ? domain[0] : from, to: to > domain[1] ? domain[1] : to, open: w.to === null });
    }
  }
  return out;
}

/** Does the incident's half-open interval touch the UTC day? */
export function overlapsDay(i: Pick<Incident, 'occurred'>, day: string): boolean {
  const d0 = Date.parse(`${day}T00:00:00Z`);
  return Date.parse(i.occurred.from) < d0 + DAY && Date.parse(i.occurred.to) > d0;
}

export const DYAD_PALETTE = ['#4269d0', '#efb118', '#ff725c', '#6cc5b0', '#3ca951', '#ff8ab7', '#a463f2', '#97bbf5', '#9c6b4e', '#9498a0'];

export function dyadColour(dyads: readonly string[], dyad: string): string {
  if (dyad === NO_DYAD) return '#b9b9b9';
  if (dyad === OPEN_DYAD) return '#7d7d7d';
  const real = dyads.filter((d) => d !== NO_DYAD && d !== OPEN_DYAD);
  const i = real.indexOf(dyad);
  return DYAD_PALETTE[(i < 0 ? 0 : i) % DYAD_PALETTE.length]!;
}
