import type { Visibility } from '../domain/common.js';
import { normaliseName } from '../domain/common.js';
import type { IncidentInput } from '../domain/incident.js';
import type { Incident } from '../domain/incident.js';
import type { Scenario } from '../domain/scenario.js';
import { resolveOccurred } from '../domain/time.js';
import type { PlacesPort } from './ports.js';
import type { WriteSession } from './session.js';

/** Lower-case, strip diacritics and punctuation: the key actor names are indexed by. */
export function nameKey(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[\s\-‐_'’.]+/g, ' ')
    .trim();
}

/** Counts of what a write added, for summaries. */
export type AppliedCounts = Record<'parties' | 'actors' | 'relations' | 'sources' | 'agreements' | 'incidents' | 'claims' | 'designations', number>;

/**
 * Write an already-validated scenario (or a one-record slice of one) through the session:
 * one log entry per record, rows queued for the same transaction.
 */
export function applyScenario(w: WriteSession, s: Scenario, places: PlacesPort | null): AppliedCounts {
  const counts: AppliedCounts = { parties: 0, actors: 0, relations: 0, sources: 0, agreements: 0, incidents: 0, claims: 0, designations: 0 };
  for (const p of s.parties ?? []) {
    w.record('parties', 'party', p.id, p, 'public', { kind: p.kind });
    w.queue('search_docs', { kind: 'party', record_id: p.id, incident_id: null, visibility: 'public', text: [p.name, ...(p.names ?? []).map((n) => normaliseName(n).name)].join(' ') });
    counts.parties++;
  }
  for (const a of s.actors ?? []) {
    const { relations, ...actor } = a;
    w.record('actors', 'actor', a.id, actor, 'public');
    for (const n of a.names.map(normaliseName)) w.queue('actor_names', { actor_id: a.id, name: n.name, norm: nameKey(n.name), lang: n.lang ?? null });
    w.queue('search_docs', { kind: 'actor', record_id: a.id, incident_id: null, visibility: 'public', text: [a.id, ...a.names.map((n) => normaliseName(n).name)].join(' ') });
    counts.actors++;
    relations?.forEach((r, i) => {
      const id = `${a.id}.rel${i + 1}`;
      w.record('relations', 'relation', id, { id, subject: a.id, ...r }, 'public', { actor_id: a.id });
      counts.relations++;
    });
  }
  for (const x of s.sources ?? []) {
    w.record('sources', 'source', x.id, x, 'public');
    counts.sources++;
  }
  for (const ag of s.agreements ?? []) {
    w.record('agreements', 'agreement', ag.id, { ...ag, amendments: [] }, 'public');
    counts.agreements++;
  }
  for (const inc of s.incidents ?? []) {
    const incident = buildIncident(inc, places, w);
    const { visibility } = incident;
    w.record('incidents', 'incident', inc.id, incident, visibility, {
      occurred_from: incident.occurred.from,
      occurred_to: incident.occurred.to,
      country: incident.location.country,
      admin1: incident.location.admin1 ?? null,
      admin2: incident.location.admin2 ?? null,
      event_type: incident.event_type,
    });
    for (const a of dedupeActors(incident.actors)) w.queue('incident_actors', { incident_id: inc.id, actor_id: a.actor, role: a.role });
    const loc = incident.location;
    w.queue('search_docs', {
      kind: 'incident',
      record_id: inc.id,
      incident_id: inc.id,
      visibility,
      text: [incident.title, loc.place, loc.admin2, loc.admin1, incident.event_type, incident.sub_event_type, incident.notes].filter(Boolean).join(' '),
    });
    counts.incidents++;
  }
  for (const c of s.claims ?? []) {
    const visibility: Visibility = c.visibility ?? 'public';
    w.record('claims', 'claim', c.id, { ...c, visibility, recorded_by: w.author.user ?? null }, visibility, { incident_id: c.incident, by_id: c.by, basis: c.basis });
    const text = [c.asserts.text, ...(c.evidence ?? [])].filter(Boolean).join(' ');
    if (text) w.queue('search_docs', { kind: 'claim', record_id: c.id, incident_id: c.incident, visibility, text });
    counts.claims++;
  }
  for (const d of s.designations ?? []) {
    const id = `${d.by}.${d.actor}.${w.log.nextIndex()}`;
    w.record('designations', 'designation', id, { id, ...d }, 'public', { actor_id: d.actor, by_party: d.by });
    counts.designations++;
  }
  return counts;
}

function dedupeActors<T extends { actor: string; role: string }>(list: readonly T[]): T[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const k = `${a.actor}\u0000${a.role}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The stored incident: UTC interval, computed border facts, coordinates from the gazetteer when only a place was given. */
export function buildIncident(inc: IncidentInput, places: PlacesPort | null, w: WriteSession): Omit<Incident, 'log_index'> {
  let location: Incident['location'] = { ...inc.location };
  if (places) {
    if (location.lat === undefined && location.place) {
      const hit = places.resolvePlace(location.place, location.country);
      if (hit) {
        location = { ...location, lat: hit.lat, lon: hit.lon, geo_precision: location.geo_precision ?? hit.precision };
        if (!location.admin1 && hit.admin1) location = { ...location, admin1: hit.admin1 };
        if (!location.admin2 && hit.admin2) location = { ...location, admin2: hit.admin2 };
      }
    }
    if (location.lat !== undefined && location.lon !== undefined) {
      const f = places.pointFacts(location.lat, location.lon);
      location = {
        ...location,
        side: f.side,
        distance_to_border_km: f.distance_to_border_km,
        computed_country: f.country,
        computed_admin1: f.admin1,
        computed_admin2: f.admin2,
      };
      if (!location.admin1 && f.admin1) location = { ...location, admin1: f.admin1 };
      if (!location.admin2 && f.admin2) location = { ...location, admin2: f.admin2 };
    }
  }
  return {
    id: inc.id,
    title: inc.title ?? null,
    occurred: resolveOccurred(inc.occurred),
    location,
    event_type: inc.event_type,
    sub_event_type: inc.sub_event_type,
    actors: inc.actors ?? [],
    fatalities: inc.fatalities ?? null,
    sources: inc.sources ?? [],
    visibility: inc.visibility ?? 'public',
    notes: inc.notes ?? null,
    recorded_by: w.author.user ?? null,
    recorded_at: w.recordedAt,
  };
}
