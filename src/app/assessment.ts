import type { Agreement } from '../domain/agreement.js';
import type { Claim } from '../domain/claim.js';
import type { Incident } from '../domain/incident.js';
import type { Party } from '../domain/party.js';
import type { Principal } from '../domain/principal.js';
import type { AssessmentInput, AssessmentRow } from '../domain/assessment/index.js';
import { assess, compareSeverity } from '../domain/assessment/index.js';
import type { RelationInput } from '../domain/actor.js';
import { visibleLevels } from '../store/scope.js';
import type { Mizan } from './mizan.js';
import { agreedListAnnexes } from './threat.js';

type StoredRelation = RelationInput & { subject: string };

/**
 * The engine's input from the store, as the caller may see it: only claims and incidents in the
 * caller's scope feed the assessment, so its reasoning never cites a record the caller cannot read.
 */
export async function assessmentInput(app: Mizan, p: Principal, incidentIds?: readonly string[]): Promise<AssessmentInput> {
  const db = app.store.db;
  const levels = visibleLevels(p);
  const docs = <T>(rows: { doc: string }[]) => rows.map((r) => JSON.parse(r.doc) as T);
  const [parties, actors, relations, agreements, annexes] = await Promise.all([
    db.selectFrom('parties').select('doc').execute().then((r) => docs<Party>(r)),
    db.selectFrom('actors').select('doc').execute().then((r) => docs<{ id: string; controlled_by: string | null }>(r)),
    db.selectFrom('relations').select('doc').execute().then((r) => docs<StoredRelation>(r)),
    db.selectFrom('agreements').select('doc').execute().then((r) => docs<Agreement>(r)),
    agreedListAnnexes(db),
  ]);
  let incidentQuery = db.selectFrom('incidents').select('doc').where('visibility', 'in', levels);
  let claimQuery = db.selectFrom('claims').select('doc').where('visibility', 'in', levels);
  if (incidentIds) {
    if (incidentIds.length === 0) return { parties, actors, relations: [], agreements: [], incidents: [], claims: [], annexes: [] };
    incidentQuery = incidentQuery.where('id', 'in', [...incidentIds]);
    claimQuery = claimQuery.where('incident_id', 'in', [...incidentIds]);
  }
  const incidents = docs<Incident>(await incidentQuery.execute());
  const claims = docs<Claim>(await claimQuery.execute());
  const supersededBy = new Map(claims.filter((c) => c.supersedes).map((c) => [c.supersedes!, c.id]));
  return {
    parties: parties.map((x) => ({ id: x.id, kind: x.kind, country: x.country })),
    actors: actors.map((a) => ({ id: a.id, controlled_by: a.controlled_by })),
    relations: relations.map((r) => ({ subject: r.subject, type: r.type, party: r.party, object_actor: r.actor, basis: r.basis, by: r.by })),
    agreements: agreements.map((a) => ({ id: a.id, parties: a.parties, mediators: a.mediators, windows: a.windows, obligations: a.obligations })),
    incidents: incidents.map((i) => ({ id: i.id, occurred: i.occurred, location: { country: i.location.country }, actors: i.actors })),
    claims: claims.map((c) => ({ id: c.id, incident: c.incident, by: c.by, basis: c.basis, asserts: c.asserts, superseded_by: supersededBy.get(c.id) ?? null })),
    annexes,
  };
}

export async function assessIncidents(app: Mizan, p: Principal, incidentIds: readonly string[], agreementId?: string): Promise<AssessmentRow[]> {
  const rows = assess(await assessmentInput(app, p, incidentIds));
  return agreementId ? rows.filter((r) => r.agreement === agreementId) : rows;
}

/** Every row, most severe first, optionally only some statuses or one agreement. */
export async function assessAll(app: Mizan, p: Principal, filter: { status?: readonly string[]; agreement?: string } = {}): Promise<AssessmentRow[]> {
  let rows = assess(await assessmentInput(app, p));
  if (filter.status?.length) rows = rows.filter((r) => filter.status!.includes(r.status));
  if (filter.agreement) rows = rows.filter((r) => r.agreement === filter.agreement);
  return rows.sort((a, b) => compareSeverity(a.status, b.status) || a.incident.localeCompare(b.incident));
}
