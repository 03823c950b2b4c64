// Issue 9 §2: match a report (an extracted candidate, a monitor's report, an imported row)
// against existing incidents. Blocking by time window and distance (or the same admin2),
// then a weighted score of time overlap, distance, event type and actors, with the reasons.
// Pure, and never a merge: the caller records the link (score, explanation, who confirmed
// it) next to the report, whose claims stay its own.
import { haversineKm } from '../../geo/distance.js';

/** What the matcher needs of a report: every field may be unknown. */
export interface LinkReport {
  readonly occurred: { readonly from: string | null; readonly to: string | null };
  readonly location: { readonly country: string | null; readonly admin1: string | null; readonly admin2: string | null; readonly lat: number | null; readonly lon: number | null };
  readonly event_type: string | null;
  readonly sub_event_type: string | null;
  /** Actor ids named as perpetrator or target. */
  readonly actors: readonly string[];
}

/** What the matcher needs of an incident (the store's incident rows have these fields). */
export interface LinkIncident {
  readonly id: string;
  readonly occurred: { readonly from: string; readonly to: string };
  readonly location: { readonly country?: string | null; readonly admin1?: string | null; readonly admin2?: string | null; readonly lat?: number | null; readonly lon?: number | null };
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly actors: readonly { readonly actor: string; readonly role?: string }[];
}

export type LinkDecision = 'linked' | 'queued' | 'new';

export interface LinkScore {
  readonly incident: string;
  /** 0–1. */
  readonly score: number;
  readonly parts: { readonly time: number; readonly place: number; readonly event: number; readonly actors: number };
  readonly explanation: string;
}

export interface LinkSuggestion {
  /** The best incident, or null when nothing passed the blocking step or the grey zone. */
  readonly incident: string | null;
  readonly decision: LinkDecision;
  readonly score: number;
  readonly explanation: string;
  /** Runners-up, best first (at most three), so a reviewer sees the alternatives. */
  readonly alternatives: readonly LinkScore[];
}

/** At or above: suggested as the same incident (a person still confirms). */
export const LINK_THRESHOLD = 0.75;
/** At or above, below LINK_THRESHOLD: the grey zone, queued for a person. */
export const QUEUE_THRESHOLD = 0.5;
/** Blocking: incidents further apart in time than this are never compared. */
export const BLOCK_DAYS = 7;
/** Blocking: incidents further apart than this are never compared (unless in the same admin2). */
export const BLOCK_KM = 300;

const WEIGHTS = { time: 0.35, place: 0.3, event: 0.2, actors: 0.15 } as const;
const DAY = 86_400_000;

function timeScore(r: LinkReport, i: LinkIncident): { s: number; why: string } | null {
  const rf = r.occurred.from ? Date.parse(r.occurred.from) : NaN;
  const rt = r.occurred.to ? Date.parse(r.occurred.to) : NaN;
  const f = Date.parse(i.occurred.from);
  const t = Date.parse(i.occurred.to);
  if (!Number.isFinite(rf) || !Number.isFinite(rt) || !Number.isFinite(f) || !Number.isFinite(t)) return { s: 0.5, why: 'time unknown' };
  const gap = Math.max(0, Math.max(rf, f) - Math.min(rt, t));
  if (gap > BLOCK_DAYS * DAY) return null;
  if (gap === 0) {
    // Overlap: Jaccard of the intervals, floored so a wide report still counts.
    const inter = Math.min(rt, t) - Math.max(rf, f);
    const union = Math.max(rt, t) - Math.min(rf, f);
    const j = union > 0 ? inter / union : 1;
    return { s: 0.8 + 0.2 * j, why: `times overlap (${Math.round(j * 100)}% of the joint span)` };
  }
  return { s: Math.max(0, 0.7 * (1 - gap / (3 * DAY))), why: `${(gap / DAY).toFixed(1)} days apart` };
}

function placeScore(r: LinkReport, i: LinkIncident): { s: number; why: string } | null {
  const a = r.location;
  const b = i.location;
  const sameAdmin2 = a.admin2 && b.admin2 && a.admin2 === b.admin2;
  if (a.lat !== null && a.lon !== null && typeof b.lat === 'number' && typeof b.lon === 'number') {
    const km = haversineKm(a.lat, a.lon, b.lat, b.lon);
    if (km > BLOCK_KM && !sameAdmin2) return null;
    if (sameAdmin2) return { s: Math.max(0.9, 1 - km / 150), why: `same district (${a.admin2}), ${km.toFixed(0)} km apart` };
    if (a.admin1 && b.admin1 && a.admin1 === b.admin1) return { s: Math.max(0.6, 1 - km / 150), why: `same province (${a.admin1}), ${km.toFixed(0)} km apart` };
    return { s: Math.max(0, 1 - km / 150), why: `${km.toFixed(0)} km apart` };
  }
  if (sameAdmin2) return { s: 0.9, why: `same district (${a.admin2})` };
  if (a.admin1 && b.admin1) return a.admin1 === b.admin1 ? { s: 0.75, why: `same province (${a.admin1})` } : a.country === b.country ? { s: 0.1, why: `different provinces (${a.admin1} / ${b.admin1})` } : null;
  if (a.country && b.country) return a.country === b.country ? { s: 0.55, why: `same country (${a.country}), no closer place` } : null;
  return { s: 0.45, why: 'place unknown' };
}

function eventScore(r: LinkReport, i: LinkIncident): { s: number; why: string } {
  if (!r.event_type) return { s: 0.5, why: 'event type unknown' };
  if (r.sub_event_type === i.sub_event_type) return { s: 1, why: `same sub-event type (${i.sub_event_type})` };
  if (r.event_type === i.event_type) return { s: 0.7, why: `same event type (${i.event_type})` };
  return { s: 0.1, why: `different event types (${r.event_type} / ${i.event_type})` };
}

function actorScore(r: LinkReport, i: LinkIncident): { s: number; why: string } {
  const theirs = new Set(i.actors.map((a) => a.actor));
  if (r.actors.length === 0 || theirs.size === 0) return { s: 0.5, why: 'actors not comparable' };
  const shared = r.actors.filter((a) => theirs.has(a));
  if (shared.length > 0) return { s: 1, why: `shared actors (${[...new Set(shared)].join(', ')})` };
  return { s: 0.15, why: 'no actor in common' };
}

/** Score of one report against one incident; null when blocking rules the pair out. */
export function scoreLink(r: LinkReport, i: LinkIncident): LinkScore | null {
  const time = timeScore(r, i);
  if (!time) return null;
  const place = placeScore(r, i);
  if (!place) return null;
  const event = eventScore(r, i);
  const actors = actorScore(r, i);
  const score = WEIGHTS.time * time.s + WEIGHTS.place * place.s + WEIGHTS.event * event.s + WEIGHTS.actors * actors.s;
  const r3 = (n: number): number => Math.round(n * 1000) / 1000;
  return {
    incident: i.id,
    score: r3(score),
    parts: { time: r3(time.s), place: r3(place.s), event: r3(event.s), actors: r3(actors.s) },
    explanation: [time.why, place.why, event.why, actors.why].join('; '),
  };
}

/** The decision for one report: linked (suggested), queued for a person, or a new incident. */
export function suggestLink(r: LinkReport, incidents: readonly LinkIncident[]): LinkSuggestion {
  const scored = incidents.flatMap((i) => {
    const s = scoreLink(r, i);
    return s ? [s] : [];
  });
  scored.sort((a, b) => b.score - a.score || a.incident.localeCompare(b.incident));
  const best = scored[0];
  if (!best) return { incident: null, decision: 'new', score: 0, explanation: 'no incident within the time window and distance', alternatives: [] };
  const decision: LinkDecision = best.score >= LINK_THRESHOLD ? 'linked' : best.score >= QUEUE_THRESHOLD ? 'queued' : 'new';
  return {
    incident: decision === 'new' ? null : best.incident,
    decision,
    score: best.score,
    explanation: decision === 'new' ? `best match ${best.incident} scores ${best.score} < ${QUEUE_THRESHOLD}: ${best.explanation}` : best.explanation,
    alternatives: scored.slice(decision === 'new' ? 0 : 1, decision === 'new' ? 3 : 4),
  };
}

/** An extracted candidate in the matcher's terms. */
export function reportOfCandidate(c: {
  readonly occurred: { readonly from: string | null; readonly to: string | null };
  readonly location: LinkReport['location'];
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly actors: { readonly perpetrator: { readonly id: string | null } | null; readonly target: { readonly id: string | null } | null };
}): LinkReport {
  const ids = [c.actors.perpetrator?.id, c.actors.target?.id].filter((x): x is string => typeof x === 'string');
  return { occurred: c.occurred, location: c.location, event_type: c.event_type, sub_event_type: c.sub_event_type, actors: ids };
}
