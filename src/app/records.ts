import type { z } from 'zod';
import { ActorInput, RelationInput } from '../domain/actor.js';
import { AgreementInput, AmendmentInput, applyAmendment } from '../domain/agreement.js';
import type { Window } from '../domain/agreement.js';
import { ClaimInput } from '../domain/claim.js';
import { DesignationInput } from '../domain/designation.js';
import type { FieldIssue } from '../domain/errors.js';
import { MizanError, notFound } from '../domain/errors.js';
import { IncidentInput } from '../domain/incident.js';
import { PartyInput } from '../domain/party.js';
import type { Principal } from '../domain/principal.js';
import { authorize } from '../domain/policy.js';
import type { KnownRecords } from '../domain/scenario.js';
import { externalReferences, NOTHING_KNOWN, Scenario, validateScenario } from '../domain/scenario.js';
import type { Visibility } from '../domain/common.js';
import { SourceInput } from '../domain/source.js';
import { parseOrThrow } from '../domain/validation.js';
import type { AppliedCounts } from './apply.js';
import { applyScenario } from './apply.js';
import { newsOfAgreement } from './monitors.js';
import type { Mizan } from './mizan.js';
import { existingIds, getRecord } from '../store/read.js';
import type { RecordTable } from '../store/schema.js';
import { visibleLevels } from '../store/scope.js';

/** Ask the store about exactly the ids a scenario refers to without defining. */
export async function knownRecordsFor(app: Mizan, s: Scenario): Promise<KnownRecords> {
  const refs = externalReferences(s);
  const defined = {
    parties: (s.parties ?? []).map((x) => x.id),
    actors: (s.actors ?? []).map((x) => x.id),
    sources: (s.sources ?? []).map((x) => x.id),
    incidents: (s.incidents ?? []).map((x) => x.id),
    claims: (s.claims ?? []).map((x) => x.id),
    agreements: (s.agreements ?? []).map((x) => x.id),
  };
  const ids = (kind: keyof typeof defined) => [...new Set([...refs.filter((r) => r.kind === kind).map((r) => r.id), ...defined[kind]])];
  const db = app.store.db;
  // Parties, actors and sources share one id space, so each is checked against all three tables.
  const shared = [...new Set([...ids('parties'), ...ids('actors'), ...ids('sources')])];
  const [parties, actors, sources, incidents, claims, agreements] = await Promise.all([
    existingIds(db, 'parties', shared),
    existingIds(db, 'actors', shared),
    existingIds(db, 'sources', shared),
    existingIds(db, 'incidents', ids('incidents')),
    existingIds(db, 'claims', ids('claims')),
    existingIds(db, 'agreements', ids('agreements')),
  ]);
  return {
    parties,
    actors: new Set(actors.keys()),
    sources: new Set(sources.keys()),
    incidents: incidents as Map<string, Visibility>,
    claims: new Set(claims.keys()),
    agreements: new Set(agreements.keys()),
  };
}

/** Validate and write a whole scenario in one transaction; nothing is written if any part is wrong. */
export async function loadScenario(app: Mizan, principal: Principal, doc: unknown): Promise<AppliedCounts> {
  authorize(principal, 'scenario.load');
  // Shape errors are reported first, without asking the store anything.
  const shape = Scenario.safeParse(doc);
  const known = shape.success ? await knownRecordsFor(app, shape.data) : NOTHING_KNOWN;
  const s = validateScenario(doc, known);
  return app.write(principal, (w) => applyScenario(w, s, app.places));
}

/**
 * Create one record through the scenario path, so that a single create and a scenario load
 * check references and write the log in exactly the same way. Error paths are made relative
 * to the record (`/location/lat`, not `/incidents/0/location/lat`).
 */
/** A statement signed by a party's own key, to be logged as it is (see submissions.ts). */
export interface SignedEntry {
  readonly kind: string;
  readonly entry: Uint8Array;
  /** Hash of the signed bytes: used once, in the same transaction as the write, so a refused write leaves it unused. */
  readonly nonce: string;
}

async function createOne(app: Mizan, principal: Principal, section: keyof Scenario, record: object, signed?: SignedEntry): Promise<AppliedCounts> {
  const slice = { [section]: [record] } as Scenario;
  const known = await knownRecordsFor(app, slice);
  let valid: Scenario;
  try {
    valid = validateScenario(slice, known);
  } catch (e) {
    if (e instanceof MizanError) throw relativeTo(e, section);
    throw e;
  }
  if (signed && recordVisibility(valid, section) !== 'public') {
    throw new MizanError('VALIDATION_FAILED', `a signed submission puts its body in the public log, and this ${section.replace(/s$/, '')} would not be public (its incident is not)`);
  }
  return app.write(principal, async (w) => {
    if (signed) {
      const used = await w.tx.insertInto('used_nonces').values({ nonce: signed.nonce, at: w.recordedAt }).onConflict((oc) => oc.column('nonce').doNothing()).executeTakeFirst();
      if (Number(used.numInsertedOrUpdatedRows ?? 0) === 0) throw new MizanError('BAD_SIGNATURE', 'this signed statement was already submitted (replay)');
      w.presigned = signed;
    }
    return applyScenario(w, valid, app.places);
  });
}

function recordVisibility(s: Scenario, section: keyof Scenario): string {
  const first = (s[section] as { visibility?: string }[] | undefined)?.[0];
  return first?.visibility ?? 'public';
}

function relativeTo(e: MizanError, section: string): MizanError {
  const fields: FieldIssue[] = e.fields.map((f) => (f.path[0] === section && f.path[1] === 0 ? { ...f, path: f.path.slice(2) } : f));
  const code = fields.some((f) => f.code === 'duplicate_id') ? 'DUPLICATE_ID' : e.code;
  return new MizanError(code, fields[0] ? `${e.message.replace('the scenario', `the ${section.replace(/s$/, '')}`)}: ${fields[0].message}` : e.message, fields);
}

/** The record just written, echoed to its filer even when their own scope would not list it. */
async function created(app: Mizan, table: RecordTable, id: string): Promise<Record<string, unknown>> {
  const rec = await getRecord(app.store.db, table, id, ['public', 'parties', 'mediators']);
  if (!rec) throw notFound(table, id);
  return rec;
}

async function isSource(app: Mizan, id: string): Promise<boolean> {
  return (await existingIds(app.store.db, 'sources', [id])).size > 0;
}

function parse<T extends z.ZodType>(schema: T, body: unknown, what: string): z.infer<T> {
  return parseOrThrow(schema, body, what);
}

export async function createParty(app: Mizan, p: Principal, body: unknown) {
  authorize(p, 'party.create');
  const input = parse(PartyInput, body, 'the party');
  await createOne(app, p, 'parties', input);
  return created(app, 'parties', input.id);
}

export async function createActor(app: Mizan, p: Principal, body: unknown) {
  authorize(p, 'actor.create');
  const input = parse(ActorInput, body, 'the actor');
  await createOne(app, p, 'actors', input);
  return created(app, 'actors', input.id);
}

export async function createSource(app: Mizan, p: Principal, body: unknown) {
  authorize(p, 'source.create');
  const input = parse(SourceInput, body, 'the source');
  await createOne(app, p, 'sources', input);
  return created(app, 'sources', input.id);
}

export async function createIncident(app: Mizan, p: Principal, body: unknown, signed?: SignedEntry) {
  authorize(p, 'incident.create');
  const input = parse(IncidentInput, body, 'the incident');
  await createOne(app, p, 'incidents', input, signed);
  return created(app, 'incidents', input.id);
}

export async function createClaim(app: Mizan, p: Principal, incidentId: string, body: unknown, signed?: SignedEntry) {
  const raw = typeof body === 'object' && body !== null ? { ...body, incident: incidentId } : body;
  const input = parse(ClaimInput, raw, 'the claim');
  authorize(p, 'claim.create', { by: input.by, basis: input.basis, byIsSource: await isSource(app, input.by) });
  if (!(await getRecord(app.store.db, 'incidents', incidentId, visibleLevels(p)))) throw notFound('incident', incidentId);
  await createOne(app, p, 'claims', input, signed);
  return created(app, 'claims', input.id);
}

export async function createRelation(app: Mizan, p: Principal, actorId: string, body: unknown) {
  const input = parse(RelationInput, body, 'the relation');
  authorize(p, 'relation.create', { by: input.by, byIsSource: input.by ? await isSource(app, input.by) : false });
  if (!(await getRecord(app.store.db, 'actors', actorId, visibleLevels(p)))) throw notFound('actor', actorId);
  const count = await app.store.db.selectFrom('relations').select((eb) => eb.fn.countAll<number>().as('n')).where('actor_id', '=', actorId).executeTakeFirstOrThrow();
  const id = `${actorId}.rel${Number(count.n) + 1}`;
  // Check the relation's references exactly as a scenario would, on a stand-in actor; then write only the relation.
  const probe = { actors: [{ id: `relation-probe-${id}`, names: ['probe'], controlled_by: null, relations: [input] }] };
  const known = await knownRecordsFor(app, probe);
  try {
    validateScenario(probe, known);
  } catch (e) {
    if (e instanceof MizanError) throw new MizanError(e.code, 'the relation is not valid', e.fields.map((f) => ({ ...f, path: f.path.slice(4) })));
    throw e;
  }
  await app.write(p, (w) => {
    w.record('relations', 'relation', id, { id, subject: actorId, ...input }, 'public', { actor_id: actorId });
  });
  return created(app, 'relations', id);
}

export async function createDesignation(app: Mizan, p: Principal, body: unknown, signed?: SignedEntry) {
  const input = parse(DesignationInput, body, 'the designation');
  authorize(p, 'designation.create', { by: input.by });
  await createOne(app, p, 'designations', input, signed);
  const row = await app.store.db.selectFrom('designations').select('doc').where('actor_id', '=', input.actor).where('by_party', '=', input.by).orderBy('log_index', 'desc').limit(1).executeTakeFirstOrThrow();
  return JSON.parse(row.doc) as unknown;
}

export async function createAgreement(app: Mizan, p: Principal, body: unknown) {
  authorize(p, 'agreement.create');
  const input = parse(AgreementInput, body, 'the agreement');
  await createOne(app, p, 'agreements', input);
  return created(app, 'agreements', input.id);
}

/** An amendment is its own log entry; the agreement's windows are recomputed from all of them. */
export async function amendAgreement(app: Mizan, p: Principal, agreementId: string, body: unknown) {
  authorize(p, 'agreement.amend');
  const amendment = parse(AmendmentInput, body, 'the amendment');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('agreements').select('doc').where('id', '=', agreementId).executeTakeFirst();
    if (!row) throw notFound('agreement', agreementId);
    const agreement = JSON.parse(row.doc) as AgreementInput & { amendments: unknown[]; windows: Window[] };
    const n = await w.tx.selectFrom('amendments').select((eb) => eb.fn.countAll<number>().as('n')).where('agreement_id', '=', agreementId).executeTakeFirstOrThrow();
    const id = `${agreementId}.amend${Number(n.n) + 1}`;
    const logIndex = w.record('amendments', 'agreement.amendment', id, { id, agreement: agreementId, ...amendment }, 'public', { agreement_id: agreementId });
    const windows = applyAmendment(agreement.windows, amendment);
    const updated = { ...agreement, windows, amendments: [...agreement.amendments, { id, ...amendment, recorded_at: w.recordedAt, log_index: logIndex }] };
    await w.tx.updateTable('agreements').set({ doc: JSON.stringify(updated) }).where('id', '=', agreementId).execute();
    await newsOfAgreement(w, app, agreementId, amendment.type === 'extension' ? { type: 'extension', until: amendment.window.to } : { type: 'termination', at: amendment.at });
    return updated;
  });
}

export const TABLE_OF: Record<string, RecordTable> = {
  parties: 'parties',
  actors: 'actors',
  sources: 'sources',
  agreements: 'agreements',
  incidents: 'incidents',
  claims: 'claims',
  designations: 'designations',
  relations: 'relations',
};
