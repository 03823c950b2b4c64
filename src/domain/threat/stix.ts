import { sha1 } from '@noble/hashes/legacy.js';
import type { NameEntry } from '../common.js';
import { normaliseName } from '../common.js';
import type { PartyKind } from '../party.js';
import type { Position, StatedDesignation } from './matrix.js';
import type { ReferenceDesignation } from './types.js';

/**
 * STIX 2.1 mapping (OASIS STIX Version 2.1, https://docs.oasis-open.org/cti/stix/v2.1/stix-v2.1.html).
 * Pure: plain records in, plain STIX objects out. Ids are UUIDv5 of our own ids (RFC 9562 §5.5),
 * so a re-export produces the same ids and a receiving system updates instead of duplicating.
 */

/** The UUIDv5 namespace of Mizan's STIX ids (a fixed random UUID; never change it). */
export const MIZAN_STIX_NAMESPACE = '6f1c3f2e-8d4b-4b8e-9a52-2f6c0e9b7d41';

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** RFC 9562 §5.5: SHA-1 of namespace ‖ name, version 5, variant 10. */
export function uuidv5(name: string, namespace: string = MIZAN_STIX_NAMESPACE): string {
  const ns = uuidBytes(namespace);
  const nameBytes = new TextEncoder().encode(name);
  const input = new Uint8Array(ns.length + nameBytes.length);
  input.set(ns, 0);
  input.set(nameBytes, ns.length);
  const h = sha1(input).slice(0, 16);
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const hex = Array.from(h, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The STIX id of one of our records: `<type>--<uuidv5("<type>:<our id>")>`. */
export function stixId(type: string, ourId: string): string {
  return `${type}--${uuidv5(`${type}:${ourId}`)}`;
}

/**
 * A party's position as a STIX opinion on the proposition "this actor is a terrorist group":
 * terrorist → strongly-agree, not_terrorist → strongly-disagree, under_review → neutral.
 */
export const OPINION_OF: Record<Position, 'strongly-agree' | 'strongly-disagree' | 'neutral'> = {
  terrorist: 'strongly-agree',
  not_terrorist: 'strongly-disagree',
  under_review: 'neutral',
};

// ISO 3166-1 alpha-3 → alpha-2 for the countries the records use; STIX location.country is alpha-2.
const ALPHA2: Record<string, string> = { AFG: 'AF', PAK: 'PK', IRN: 'IR', IND: 'IN', CHN: 'CN', QAT: 'QA', TUR: 'TR', SAU: 'SA', ARE: 'AE', USA: 'US', GBR: 'GB' };

export type StixObject = Record<string, unknown> & { type: string; id: string; spec_version: '2.1'; created: string; modified: string };

export interface StixParty {
  readonly id: string;
  readonly name: string;
  readonly kind: PartyKind;
  readonly recorded_at: string;
}

export interface StixActor {
  readonly id: string;
  readonly names: readonly NameEntry[];
  readonly kind?: string | undefined;
  readonly controlled_by?: string | null | undefined;
  readonly recorded_at: string;
}

export interface StixRelation {
  readonly id: string;
  readonly subject: string;
  readonly type: string;
  readonly party?: string | undefined;
  readonly actor?: string | undefined;
  readonly basis: string;
  readonly by?: string | undefined;
  readonly recorded_at: string;
}

export interface StixIncident {
  readonly id: string;
  readonly title: string | null;
  readonly occurred: { readonly from: string; readonly to: string };
  readonly location: { readonly country: string; readonly admin1?: string | undefined; readonly admin2?: string | undefined; readonly place?: string | undefined; readonly lat?: number | undefined; readonly lon?: number | undefined };
  readonly event_type: string;
  readonly sub_event_type?: string | undefined;
  readonly actors: readonly { readonly actor: string; readonly role: string }[];
  readonly notes?: string | null | undefined;
  readonly recorded_at: string;
}

/** An incident a mediator or monitor corroborated (a `verified` claim, or a monitor's confirmed report). */
export interface StixCorroboration {
  readonly id: string;
  readonly incident: string;
  readonly by: string;
  readonly perpetrator?: string | undefined;
  readonly recorded_at: string;
}

/**
 * Local monitors' confirmed reports on one incident, aggregated: how many, when the last was
 * confirmed, and which mediator parties confirmed them. Nothing that identifies a monitor or a
 * report is passed in, so nothing of the kind can reach the bundle (DESIGN.md: monitor identities
 * are mediator-only and a reprisal risk).
 */
export interface StixMonitorCorroboration {
  readonly incident: string;
  /** Confirmed monitor reports linked to the incident (≥ 1). */
  readonly reports: number;
  /** When the latest of those links was confirmed. */
  readonly confirmed_at: string;
  /** Mediator parties whose people confirmed the links; empty when none did (an analyst, say). */
  readonly confirmed_by: readonly string[];
}

export interface StixInput {
  readonly parties: readonly StixParty[];
  readonly actors: readonly StixActor[];
  readonly relations: readonly StixRelation[];
  readonly designations: readonly StatedDesignation[];
  readonly references: readonly ReferenceDesignation[];
  readonly incidents: readonly StixIncident[];
  readonly corroborations: readonly StixCorroboration[];
  /** Incidents corroborated by local monitors (issue 6: "sightings where monitors corroborated them"). */
  readonly monitorCorroborations?: readonly StixMonitorCorroboration[] | undefined;
  /** The instant the record as a whole was made, for objects that have no record of their own. */
  readonly epoch: string;
}

/** STIX timestamps need milliseconds (core.json: `T\d{2}:\d{2}:\d{2}\.\d{3,}Z$`). */
export function stixTime(iso: string): string {
  return new Date(iso).toISOString();
}

const MIZAN_IDENTITY = 'mizan';

function core(type: string, ourId: string, at: string): StixObject {
  const t = stixTime(at);
  return { type, spec_version: '2.1', id: stixId(type, ourId), created: t, modified: t };
}

function isArmedActor(a: StixActor): boolean {
  return a.kind !== 'state_forces';
}

/** The STIX id an actor or party is exported under (parties and state forces are identities). */
function refOf(id: string, parties: ReadonlyMap<string, StixParty>, actors: ReadonlyMap<string, StixActor>): string | null {
  if (parties.has(id)) return stixId('identity', `party:${id}`);
  const a = actors.get(id);
  if (!a) return null;
  return isArmedActor(a) ? stixId('intrusion-set', a.id) : stixId('identity', `actor:${a.id}`);
}

/** The whole export as STIX objects, in a stable order. */
export function toStixObjects(input: StixInput): StixObject[] {
  const parties = new Map(input.parties.map((p) => [p.id, p]));
  const actors = new Map(input.actors.map((a) => [a.id, a]));
  const out: StixObject[] = [];
  const mizan = { ...core('identity', MIZAN_IDENTITY, input.epoch), name: 'Mizan ceasefire record', identity_class: 'system', description: 'The shared, verifiable record of the ceasefire; creator of objects that no single party states.' };
  out.push(mizan);
  const creator = mizan.id;

  for (const p of input.parties) {
    out.push({ ...core('identity', `party:${p.id}`, p.recorded_at), name: p.name, identity_class: 'organization', description: `Party to the record (${p.kind.replace(/_/g, ' ')}).`, external_references: [{ source_name: 'mizan', external_id: p.id }] });
  }
  for (const a of input.actors) {
    const names = a.names.map(normaliseName);
    const primary = names[0]?.name ?? a.id;
    const aliases = [...new Set(names.slice(1).map((n) => n.name))];
    if (isArmedActor(a)) {
      out.push({ ...core('intrusion-set', a.id, a.recorded_at), created_by_ref: creator, name: primary, ...(aliases.length ? { aliases } : {}), external_references: [{ source_name: 'mizan', external_id: a.id }] });
    } else {
      out.push({ ...core('identity', `actor:${a.id}`, a.recorded_at), created_by_ref: creator, name: primary, identity_class: 'organization', description: a.controlled_by ? `Forces of ${a.controlled_by}.` : 'State forces.', external_references: [{ source_name: 'mizan', external_id: a.id }] });
    }
  }
  for (const r of input.relations) {
    const source = refOf(r.subject, parties, actors);
    const target = refOf(r.party ?? r.actor ?? '', parties, actors);
    if (!source || !target) continue;
    const by = r.by ? ` according to ${r.by}` : '';
    out.push({
      ...core('relationship', r.id, r.recorded_at),
      created_by_ref: r.by && parties.has(r.by) ? stixId('identity', `party:${r.by}`) : creator,
      relationship_type: r.type.replace(/_/g, '-'),
      source_ref: source,
      target_ref: target,
      description: `${r.subject} ${r.type.replace(/_/g, ' ')} ${r.party ?? r.actor}${by} (basis: ${r.basis}).`,
    });
  }
  for (const d of input.designations) {
    const target = refOf(d.actor, parties, actors);
    const party = parties.get(d.by);
    if (!target || !party) continue;
    const basis = d.basis ? ` Basis: ${d.basis}` : '';
    out.push({
      ...core('opinion', `designation:${d.id}`, d.recorded_at),
      created_by_ref: stixId('identity', `party:${d.by}`),
      opinion: OPINION_OF[d.position],
      authors: [party.name],
      explanation: `${party.name} designates ${d.actor} as ${d.position.replace(/_/g, ' ')}; collective action: ${d.collective_action}.${basis}`,
      object_refs: [target],
      labels: [`position:${d.position}`, `collective-action:${d.collective_action}`],
    });
  }
  const authorities = new Map<string, string>();
  for (const r of input.references) {
    const target = refOf(r.actor, parties, actors);
    if (!target) continue;
    if (!authorities.has(r.authority)) {
      const identity = { ...core('identity', `authority:${r.authority}`, r.recorded_at ?? input.epoch), name: r.authority, identity_class: 'organization', description: 'Keeps a list of designated groups (reference designation).' };
      authorities.set(r.authority, identity.id);
      out.push(identity);
    }
    out.push({
      ...core('opinion', `reference:${r.id}`, r.recorded_at ?? input.epoch),
      created_by_ref: authorities.get(r.authority)!,
      opinion: 'strongly-agree',
      authors: [r.authority],
      explanation: `Listed on the ${r.list}${r.reference ? ` as ${r.reference}` : ''}${r.listed_name ? ` ("${r.listed_name}")` : ''} on ${r.listed_on}. Source: ${r.source}`,
      object_refs: [target],
      labels: ['reference-designation'],
      external_references: [{ source_name: r.list, ...(r.reference ? { external_id: r.reference } : {}), ...(r.url ? { url: r.url } : { description: r.source }) }],
    });
  }
  const reports = new Map<string, { report: string; location: string; incident: StixIncident }>();
  for (const inc of input.incidents) {
    const loc = inc.location;
    const country = ALPHA2[loc.country];
    const hasPoint = loc.lat !== undefined && loc.lon !== undefined;
    if (!country && !hasPoint) continue;
    const location = {
      ...core('location', `incident:${inc.id}`, inc.recorded_at),
      created_by_ref: creator,
      name: [loc.place, loc.admin2, loc.admin1, loc.country].filter(Boolean).join(', '),
      ...(country ? { country } : {}),
      ...(loc.admin1 ? { administrative_area: loc.admin1 } : {}),
      ...(hasPoint ? { latitude: loc.lat, longitude: loc.lon } : {}),
    };
    out.push(location);
    const refs = [location.id, ...new Set(inc.actors.map((a) => refOf(a.actor, parties, actors)).filter((x): x is string => x !== null))];
    const report = {
      ...core('report', `incident:${inc.id}`, inc.recorded_at),
      created_by_ref: creator,
      name: inc.title ?? inc.id,
      description: [`${inc.event_type}${inc.sub_event_type ? ` / ${inc.sub_event_type}` : ''}, ${inc.occurred.from} – ${inc.occurred.to}.`, inc.notes ?? ''].filter(Boolean).join(' '),
      published: stixTime(inc.recorded_at),
      report_types: ['threat-report'],
      object_refs: refs,
      external_references: [{ source_name: 'mizan', external_id: inc.id }],
    };
    out.push(report);
    reports.set(inc.id, { report: report.id, location: location.id, incident: inc });
  }
  for (const c of input.corroborations) {
    const r = reports.get(c.incident);
    if (!r) continue;
    const perpetrator = c.perpetrator ? refOf(c.perpetrator, parties, actors) : null;
    const from = stixTime(r.incident.occurred.from);
    out.push({
      ...core('sighting', `corroboration:${c.id}`, c.recorded_at),
      created_by_ref: parties.has(c.by) ? stixId('identity', `party:${c.by}`) : creator,
      sighting_of_ref: perpetrator && perpetrator.startsWith('intrusion-set--') ? perpetrator : r.report,
      where_sighted_refs: [r.location],
      first_seen: from,
      last_seen: stixTime(r.incident.occurred.to),
      count: 1,
      description: `Incident ${c.incident} corroborated by ${c.by}.`,
    });
  }
  for (const m of input.monitorCorroborations ?? []) {
    const r = reports.get(m.incident);
    if (!r || !(m.reports >= 1)) continue;
    const mediators = [...new Set(m.confirmed_by)].filter((id) => parties.get(id)?.kind === 'mediator').sort();
    const mediatorRefs = mediators.map((id) => stixId('identity', `party:${id}`));
    // The sighting of the one armed perpetrator the incident record names, else of the report itself.
    const perpetrators = [...new Set(r.incident.actors.filter((a) => a.role === 'perpetrator').map((a) => refOf(a.actor, parties, actors)))].filter(
      (x): x is string => x !== null && x.startsWith('intrusion-set--'),
    );
    const by = mediators.length > 0 ? `, confirmed by ${mediators.map((id) => parties.get(id)?.name ?? id).join(' and ')}` : '';
    out.push({
      // One sighting per incident (not per report), so its id says nothing about any report or monitor.
      ...core('sighting', `monitors:${m.incident}`, m.confirmed_at),
      created_by_ref: mediatorRefs.length === 1 ? mediatorRefs[0]! : creator,
      sighting_of_ref: perpetrators.length === 1 ? perpetrators[0]! : r.report,
      where_sighted_refs: [...mediatorRefs, r.location],
      first_seen: stixTime(r.incident.occurred.from),
      last_seen: stixTime(r.incident.occurred.to),
      count: m.reports,
      description: `Incident ${m.incident} corroborated by ${m.reports} confirmed ${m.reports === 1 ? 'report' : 'reports'} of local monitors${by}. Monitors are not identified.`,
      labels: ['corroborated-by-local-monitors'],
    });
  }
  return out;
}

/** One STIX bundle; its id is derived from the ids and versions inside, so the same content gives the same bundle id. */
export function toStixBundle(objects: readonly StixObject[]): { type: 'bundle'; id: string; objects: StixObject[] } {
  const key = objects.map((o) => `${o.id}@${o.modified}`).join('\n');
  return { type: 'bundle', id: `bundle--${uuidv5(`bundle:${key}`)}`, objects: [...objects] };
}
