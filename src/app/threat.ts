import { MizanError, notFound } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import type { PartyKind } from '../domain/party.js';
import type { NameEntry } from '../domain/common.js';
import { parseOrThrow } from '../domain/validation.js';
import { UtcInstant } from '../domain/common.js';
import type {
  AgreedListAnnex,
  Annex,
  MatrixActor,
  MatrixChange,
  MatrixParty,
  MatrixRow,
  NameCandidate,
  ProposalView,
  ReferenceDesignation,
  SameAsLink,
  StatedDesignation,
  StixCorroboration,
  StixIncident,
  StixMonitorCorroboration,
  StixObject,
  StixRelation,
  StoredProposal,
  StoredResponse,
} from '../domain/threat/index.js';
import {
  acceptsResponses,
  agreedListAt,
  agreedListVersions,
  adoptable,
  AdoptInput,
  buildMatrix,
  deriveProposal,
  designatingParties,
  findNameCandidates,
  matrixHistory,
  ProposalInput,
  ReferenceFile,
  ResponseInput,
  SameAsInput,
  toStixBundle,
  toStixObjects,
  UndoInput,
} from '../domain/threat/index.js';
import { decodeEntry } from '../ledger/statement.js';
import { visibleLevels } from '../store/scope.js';
import type { Visibility } from '../domain/common.js';
import type { Database } from '../store/schema.js';
import type { Db, Tx } from '../store/store.js';
import type { Mizan } from './mizan.js';

/**
 * Use cases of the joint threat definition (issue 6). Every write is one transaction whose log
 * entries and rows commit together; every view is derived from the stored statements.
 */

type ThreatTable = 'threat_references' | 'threat_same_as' | 'threat_proposals' | 'threat_responses' | 'threat_annexes';

type Reader = Db | Tx;

async function docs<T>(db: Reader, table: keyof Database & ('parties' | 'actors' | 'designations' | 'relations' | ThreatTable)): Promise<T[]> {
  const rows = await db.selectFrom(table as 'actors').select(['doc', 'log_index']).where('visibility', '=', 'public').orderBy('log_index', 'asc').execute();
  return rows.map((r) => JSON.parse(r.doc) as T);
}

interface PartyDoc {
  id: string;
  name: string;
  kind: PartyKind;
  recorded_at: string;
}
interface ActorDoc {
  id: string;
  names: NameEntry[];
  kind?: string;
  controlled_by: string | null;
  recorded_at: string;
}

async function links(db: Reader): Promise<SameAsLink[]> {
  const rows = await db.selectFrom('threat_same_as').select(['doc', 'active']).orderBy('log_index', 'asc').execute();
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as SameAsLink), active: Number(r.active) === 1 }));
}

async function matrixInput(db: Reader) {
  const [parties, actors, designations, references, sameAs] = await Promise.all([
    docs<PartyDoc>(db, 'parties'),
    docs<ActorDoc>(db, 'actors'),
    docs<StatedDesignation>(db, 'designations'),
    docs<ReferenceDesignation>(db, 'threat_references'),
    links(db),
  ]);
  return {
    parties: parties.map((p): MatrixParty => ({ id: p.id, kind: p.kind })),
    partyDocs: parties,
    actors: actors.map((a): MatrixActor & ActorDoc => a),
    designations,
    references,
    links: sameAs,
  };
}

export interface ThreatMatrix {
  readonly parties: readonly string[];
  readonly actors: readonly MatrixRow[];
}

/** The joint view: each designating party's current position on each armed actor, and where they agree. */
export async function threatMatrix(app: Mizan): Promise<ThreatMatrix> {
  const input = await matrixInput(app.store.db);
  return { parties: designatingParties(input.parties), actors: buildMatrix(input) };
}

/** How the matrix changed over time, one change per statement that moved an actor's status. */
export async function threatMatrixHistory(app: Mizan): Promise<{ changes: MatrixChange[] }> {
  return { changes: matrixHistory(await matrixInput(app.store.db)) };
}

/** Candidate actors for a name, with scores; a human decides (and may record a same-as link). */
export async function nameCandidates(app: Mizan, q: string): Promise<{ query: string; candidates: NameCandidate[] }> {
  const actors = await docs<ActorDoc>(app.store.db, 'actors');
  return { query: q, candidates: findNameCandidates(q, actors) };
}

async function actorExists(db: Reader, id: string): Promise<boolean> {
  return (await db.selectFrom('actors').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
}

function dangling(path: (string | number)[], what: string, id: string): MizanError {
  return new MizanError('DANGLING_REFERENCE', `${what} ${JSON.stringify(id)} does not exist`, [{ path, code: 'dangling_reference', message: `no ${what} ${JSON.stringify(id)}` }]);
}

function who(p: Principal): string {
  return p.kind === 'user' ? (p.party ? `${p.name} (${p.party})` : p.name) : p.kind;
}

export async function listSameAs(app: Mizan): Promise<{ items: SameAsLink[] }> {
  return { items: await links(app.store.db) };
}

/** Record that two actor records name the same group: reversible, with who decided and why; nothing is merged. */
export async function linkSameAs(app: Mizan, p: Principal, body: unknown): Promise<SameAsLink> {
  authorize(p, 'same_as.link');
  const input = parseOrThrow(SameAsInput, body, 'the same-as link');
  if (input.a === input.b) throw new MizanError('VALIDATION_FAILED', 'an actor is trivially the same as itself', [{ path: ['b'], code: 'same_actor', message: 'must differ from a' }]);
  return app.write(p, async (w) => {
    if (!(await actorExists(w.tx, input.a))) throw dangling(['a'], 'actor', input.a);
    if (!(await actorExists(w.tx, input.b))) throw dangling(['b'], 'actor', input.b);
    const existing = (await links(w.tx)).find((l) => l.active && ((l.a === input.a && l.b === input.b) || (l.a === input.b && l.b === input.a)));
    if (existing) throw new MizanError('CONFLICT', `${input.a} and ${input.b} are already linked (${existing.id})`);
    const id = input.id ?? `same-as.${input.a}.${input.b}.${w.log.nextIndex()}`;
    if (await w.tx.selectFrom('threat_same_as').select('id').where('id', '=', id).executeTakeFirst()) throw new MizanError('DUPLICATE_ID', `a same-as link ${id} already exists`, [{ path: ['id'], code: 'duplicate_id', message: 'already exists' }]);
    const link: SameAsLink = { id, a: input.a, b: input.b, reason: input.reason, decided_by: who(p), active: true };
    const logIndex = w.record('threat_same_as', 'actor.same_as', id, link, 'public', { actor_a: input.a, actor_b: input.b, active: 1 });
    return { ...link, recorded_at: w.recordedAt, log_index: logIndex } as SameAsLink;
  });
}

/** Undo a same-as link: a new log entry; the link stays in the history, marked undone. */
export async function undoSameAs(app: Mizan, p: Principal, id: string, body: unknown): Promise<SameAsLink> {
  authorize(p, 'same_as.link');
  const input = parseOrThrow(UndoInput, body, 'the undo');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('threat_same_as').select(['doc', 'active']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('same-as link', id);
    if (Number(row.active) !== 1) throw new MizanError('ILLEGAL_TRANSITION', `the same-as link ${id} is already undone`);
    const logIndex = w.statement('actor.same_as.undo', { link: id, reason: input.reason });
    const updated = { ...(JSON.parse(row.doc) as SameAsLink), active: false, undone: { by: who(p), reason: input.reason, at: w.recordedAt, log_index: logIndex } };
    await w.tx.updateTable('threat_same_as').set({ doc: JSON.stringify(updated), active: 0 }).where('id', '=', id).execute();
    return updated;
  });
}

export async function listReferences(app: Mizan, actor?: string): Promise<{ items: ReferenceDesignation[] }> {
  const all = await docs<ReferenceDesignation>(app.store.db, 'threat_references');
  return { items: actor ? all.filter((r) => r.actor === actor) : all };
}

/**
 * Import reference designations (third-party lists) from a parsed file: one log entry per
 * reference, all in one transaction. Re-importing an identical entry is a no-op; a different
 * entry under an existing id is refused (a correction is a new entry).
 */
export async function importReferences(app: Mizan, p: Principal, doc: unknown): Promise<{ imported: number; unchanged: number }> {
  authorize(p, 'designation.reference');
  const file = parseOrThrow(ReferenceFile, Array.isArray(doc) ? { references: doc } : doc, 'the reference designations');
  const ids = new Set<string>();
  file.references.forEach((r, i) => {
    if (ids.has(r.id)) throw new MizanError('DUPLICATE_ID', `reference ${r.id} appears twice`, [{ path: ['references', i, 'id'], code: 'duplicate_id', message: 'appears twice in the file' }]);
    ids.add(r.id);
  });
  return app.write(p, async (w) => {
    let imported = 0;
    let unchanged = 0;
    for (const [i, r] of file.references.entries()) {
      if (!(await actorExists(w.tx, r.actor))) throw dangling(['references', i, 'actor'], 'actor', r.actor);
      const prev = await w.tx.selectFrom('threat_references').select('doc').where('id', '=', r.id).executeTakeFirst();
      if (prev) {
        const { visibility: _v, recorded_at: _r, log_index: _l, ...stored } = JSON.parse(prev.doc) as Record<string, unknown>;
        if (JSON.stringify(sortKeys(stored)) === JSON.stringify(sortKeys(r))) {
          unchanged++;
          continue;
        }
        throw new MizanError('CONFLICT', `reference ${r.id} already exists with different content; record a correction under a new id`, [{ path: ['references', i, 'id'], code: 'conflict', message: 'exists with different content' }]);
      }
      w.record('threat_references', 'designation.reference', r.id, r, 'public', { actor_id: r.actor, list_name: r.list });
      imported++;
    }
    return { imported, unchanged };
  });
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
}

async function proposalState(db: Reader, id: string): Promise<ProposalView | null> {
  const row = await db.selectFrom('threat_proposals').select('doc').where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  const responses = (await db.selectFrom('threat_responses').select('doc').where('proposal_id', '=', id).orderBy('log_index', 'asc').execute()).map((r) => JSON.parse(r.doc) as StoredResponse);
  const annexes = (await db.selectFrom('threat_annexes').select('doc').where('proposal_id', '=', id).orderBy('log_index', 'asc').execute()).map((r) => JSON.parse(r.doc) as Annex);
  return deriveProposal(JSON.parse(row.doc) as StoredProposal, responses, annexes);
}

export async function getProposal(app: Mizan, id: string): Promise<ProposalView> {
  const view = await proposalState(app.store.db, id);
  if (!view) throw notFound('proposal', id);
  return view;
}

export async function listProposals(app: Mizan): Promise<{ items: ProposalView[] }> {
  const [proposals, responses, annexes] = await Promise.all([
    docs<StoredProposal>(app.store.db, 'threat_proposals'),
    docs<StoredResponse>(app.store.db, 'threat_responses'),
    docs<Annex>(app.store.db, 'threat_annexes'),
  ]);
  return { items: proposals.map((x) => deriveProposal(x, responses, annexes)) };
}

/** A mediator proposes a joint definition: a list of actors for collective action, with its criteria. */
export async function createProposal(app: Mizan, p: Principal, body: unknown): Promise<ProposalView> {
  authorize(p, 'threat.propose');
  const input = parseOrThrow(ProposalInput, body, 'the proposal');
  await app.write(p, async (w) => {
    if (await w.tx.selectFrom('threat_proposals').select('id').where('id', '=', input.id).executeTakeFirst()) throw new MizanError('DUPLICATE_ID', `a proposal ${input.id} already exists`, [{ path: ['id'], code: 'duplicate_id', message: 'already exists' }]);
    for (const [i, a] of input.actors.entries()) if (!(await actorExists(w.tx, a))) throw dangling(['actors', i], 'actor', a);
    const parties = await w.tx.selectFrom('parties').select(['id', 'kind']).execute();
    const designating = designatingParties(parties.map((x) => ({ id: x.id, kind: x.kind as PartyKind })));
    const asked = input.parties ?? designating;
    asked.forEach((x, i) => {
      if (!designating.includes(x)) throw new MizanError('VALIDATION_FAILED', `${x} is not a state or de facto authority that designates`, [{ path: ['parties', i], code: 'not_designating', message: 'is not a designating party' }]);
    });
    if (input.agreement && !(await w.tx.selectFrom('agreements').select('id').where('id', '=', input.agreement).executeTakeFirst())) throw dangling(['agreement'], 'agreement', input.agreement);
    const proposal = { ...input, actors: [...new Set(input.actors)], parties: asked, proposed_by: p.kind === 'user' ? (p.party ?? p.name) : null };
    w.record('threat_proposals', 'threat.proposal', input.id, proposal, 'public');
  });
  return getProposal(app, input.id);
}

/** A party accepts or rejects items of a proposal, each with a reason; the derived state is logged when it changes. */
export async function respondToProposal(app: Mizan, p: Principal, proposalId: string, body: unknown): Promise<ProposalView> {
  const stated = typeof body === 'object' && body !== null && 'by' in body ? body.by : undefined;
  // Who may respond is settled before the body is examined: a caller with no right to respond learns nothing from validation.
  authorize(p, 'threat.respond', typeof stated === 'string' ? { by: stated } : p.kind === 'user' && p.party ? { by: p.party } : {});
  const raw = typeof body === 'object' && body !== null && stated === undefined && p.kind === 'user' && p.party ? { ...body, by: p.party } : body;
  const input = parseOrThrow(ResponseInput, raw, 'the response');
  await app.write(p, async (w) => {
    const before = await proposalState(w.tx, proposalId);
    if (!before) throw notFound('proposal', proposalId);
    if (!acceptsResponses(before.state)) throw new MizanError('ILLEGAL_TRANSITION', `proposal ${proposalId} is ${before.state} and takes no more responses`);
    if (!before.parties.includes(input.by)) throw new MizanError('FORBIDDEN', `${input.by} is not asked to respond to proposal ${proposalId}`);
    input.items.forEach((it, i) => {
      if (!before.items.some((x) => x.actor === it.actor)) throw new MizanError('VALIDATION_FAILED', `${it.actor} is not an item of proposal ${proposalId}`, [{ path: ['items', i, 'actor'], code: 'not_an_item', message: 'is not an item of the proposal' }]);
    });
    const n = await w.tx.selectFrom('threat_responses').select((eb) => eb.fn.countAll<number>().as('n')).where('proposal_id', '=', proposalId).executeTakeFirstOrThrow();
    const id = `${proposalId}.resp${Number(n.n) + 1}`;
    const logIndex = w.record('threat_responses', 'threat.proposal.response', id, { id, proposal: proposalId, ...input }, 'public', { proposal_id: proposalId, by_party: input.by });
    const stored: StoredResponse = { id, proposal: proposalId, ...input, recorded_at: w.recordedAt, log_index: logIndex };
    const row = await w.tx.selectFrom('threat_proposals').select('doc').where('id', '=', proposalId).executeTakeFirstOrThrow();
    const previous = (await w.tx.selectFrom('threat_responses').select('doc').where('proposal_id', '=', proposalId).execute()).map((r) => JSON.parse(r.doc) as StoredResponse);
    const after = deriveProposal(JSON.parse(row.doc) as StoredProposal, [...previous, stored]);
    if (after.state !== before.state || after.agreed_list.join() !== before.agreed_list.join()) {
      w.statement('threat.proposal.state', { proposal: proposalId, state: after.state, agreed_list: after.agreed_list, after_response: id });
    }
  });
  return getProposal(app, proposalId);
}

/** Adopt a decided proposal's agreed list as an annex to an agreement its parties are bound by. */
export async function adoptProposal(app: Mizan, p: Principal, proposalId: string, body: unknown): Promise<Annex> {
  authorize(p, 'threat.adopt');
  const input = parseOrThrow(AdoptInput, body, 'the adoption');
  return app.write(p, async (w) => {
    const view = await proposalState(w.tx, proposalId);
    if (!view) throw notFound('proposal', proposalId);
    const responseTimes = new Map(
      (await w.tx.selectFrom('threat_responses').select('doc').where('proposal_id', '=', proposalId).execute()).map((r) => {
        const x = JSON.parse(r.doc) as StoredResponse;
        return [x.id, Date.parse(x.at ?? x.recorded_at)] as const;
      }),
    );
    if (!adoptable(view.state)) throw new MizanError('ILLEGAL_TRANSITION', `proposal ${proposalId} is ${view.state}: only an accepted or partially accepted proposal can be adopted`);
    const ag = await w.tx.selectFrom('agreements').select('doc').where('id', '=', input.agreement).executeTakeFirst();
    if (!ag) throw dangling(['agreement'], 'agreement', input.agreement);
    const agreementParties = (JSON.parse(ag.doc) as { parties: string[] }).parties;
    const missing = view.parties.filter((x) => !agreementParties.includes(x));
    if (missing.length > 0) throw new MizanError('VALIDATION_FAILED', `agreement ${input.agreement} does not bind ${missing.join(', ')}`, [{ path: ['agreement'], code: 'parties_mismatch', message: `does not bind ${missing.join(', ')}` }]);
    const id = `${input.agreement}.annex.${proposalId}`;
    // The annex takes effect when stated, else now. A stated date is checked, because it decides which
    // incidents the list applies to: never in the future, never before the parties' last response.
    const adoptedAt = input.adopted_at === undefined ? w.recordedAt : new Date(Date.parse(input.adopted_at)).toISOString();
    if (Date.parse(adoptedAt) > Date.parse(w.recordedAt)) throw new MizanError('VALIDATION_FAILED', 'an annex cannot be adopted in the future', [{ path: ['adopted_at'], code: 'in_future', message: 'is after the time of recording' }]);
    const lastResponse = Math.max(...view.items.flatMap((it) => Object.values(it.decisions).map((d) => d.response)).map((r) => responseTimes.get(r) ?? -Infinity));
    if (Date.parse(adoptedAt) < lastResponse) throw new MizanError('VALIDATION_FAILED', `proposal ${proposalId} was not yet agreed at ${adoptedAt}`, [{ path: ['adopted_at'], code: 'before_agreement', message: `is before the last response (${new Date(lastResponse).toISOString()})` }]);
    if (input.replaces !== undefined) {
      const all = await agreedListAnnexes(w.tx, input.agreement);
      const replaced = all.find((a) => a.id === input.replaces);
      if (!replaced) throw dangling(['replaces'], `annex of ${input.agreement}`, input.replaces);
      const by = all.find((a) => a.replaces === input.replaces);
      if (by) throw new MizanError('CONFLICT', `annex ${input.replaces} is already replaced by ${by.id}`, [{ path: ['replaces'], code: 'conflict', message: `already replaced by ${by.id}` }]);
      if (Date.parse(replaced.adopted_at) > Date.parse(adoptedAt)) throw new MizanError('VALIDATION_FAILED', `annex ${input.replaces} takes effect after this one would`, [{ path: ['replaces'], code: 'replaces_later', message: `takes effect at ${replaced.adopted_at}` }]);
    }
    const annex = {
      id,
      proposal: proposalId,
      agreement: input.agreement,
      actors: view.agreed_list,
      adopted_at: adoptedAt,
      ...(input.replaces !== undefined ? { replaces: input.replaces } : {}),
      ...(input.note ? { note: input.note } : {}),
    };
    const logIndex = w.record('threat_annexes', 'agreement.annex.threat_list', id, annex, 'public', { proposal_id: proposalId, agreement_id: input.agreement });
    return { ...annex, recorded_at: w.recordedAt, log_index: logIndex };
  });
}

/**
 * Every adopted annex (annexes are public records) as the assessment reads it: an annex recorded
 * before `adopted_at` was kept takes effect when it was recorded.
 */
export async function agreedListAnnexes(db: Reader, agreementId?: string): Promise<AgreedListAnnex[]> {
  let q = db.selectFrom('threat_annexes').select(['doc', 'log_index', 'recorded_at']).where('visibility', '=', 'public');
  if (agreementId !== undefined) q = q.where('agreement_id', '=', agreementId);
  const rows = await q.orderBy('log_index', 'asc').execute();
  return rows.map((r) => {
    const a = JSON.parse(r.doc) as Annex;
    return { id: a.id, agreement: a.agreement, actors: a.actors, adopted_at: a.adopted_at ?? r.recorded_at, replaces: a.replaces ?? null, log_index: Number(r.log_index) };
  });
}

export interface AgreedListView {
  readonly agreement: string;
  /** The instant asked about (now by default). */
  readonly at: string;
  /** The version in effect at `at`, or null before the first annex. */
  readonly version: number | null;
  readonly actors: readonly string[];
  /** Every version, oldest first. */
  readonly versions: readonly { version: number; annex: string; from: string; to: string | null; actors: readonly { actor: string; annex: string }[] }[];
  readonly annexes: readonly Annex[];
}

/**
 * The agreed list adopted into an agreement — what "any actor on the agreed list" in a no_support
 * obligation means — as it stood at `at` (default: now), with every version.
 */
export async function agreedListFor(app: Mizan, agreementId: string, at?: string): Promise<AgreedListView> {
  const when = at === undefined ? app.clock().toISOString() : parseOrThrow(UtcInstant, at, 'the time');
  const annexes = await agreedListAnnexes(app.store.db, agreementId);
  const versions = agreedListVersions(annexes, agreementId);
  const current = agreedListAt(versions, Date.parse(when));
  const docsOf = (await app.store.db.selectFrom('threat_annexes').select('doc').where('agreement_id', '=', agreementId).orderBy('log_index', 'asc').execute()).map((r) => JSON.parse(r.doc) as Annex);
  return {
    agreement: agreementId,
    at: new Date(Date.parse(when)).toISOString(),
    version: current?.version ?? null,
    actors: current?.actors.map((a) => a.actor) ?? [],
    versions: versions.map((v) => ({
      version: v.version,
      annex: v.annex,
      from: new Date(v.from).toISOString(),
      to: Number.isFinite(v.to) ? new Date(v.to).toISOString() : null,
      actors: v.actors,
    })),
    annexes: docsOf,
  };
}

/** Each party's current designation of each actor (later statements supersede earlier ones). */
function currentDesignations(all: readonly StatedDesignation[]): StatedDesignation[] {
  const latest = new Map<string, StatedDesignation>();
  for (const d of all) {
    const k = `${d.by}\u0000${d.actor}`;
    const prev = latest.get(k);
    if (!prev || prev.log_index < d.log_index) latest.set(k, d);
  }
  return [...latest.values()].sort((a, b) => a.log_index - b.log_index);
}

/** The STIX 2.1 objects a caller may see (incidents and claims are scope-filtered like every read). */
export async function stixObjects(app: Mizan, p: Principal): Promise<StixObject[]> {
  const db = app.store.db;
  const levels = visibleLevels(p);
  const input = await matrixInput(db);
  const relations = await docs<StixRelation>(db, 'relations');
  const incidents = (await db.selectFrom('incidents').select('doc').where('visibility', 'in', levels).orderBy('log_index', 'asc').execute()).map((r) => JSON.parse(r.doc) as StixIncident);
  const claims = (await db.selectFrom('claims').select('doc').where('visibility', 'in', levels).where('basis', '=', 'verified').orderBy('log_index', 'asc').execute()).map(
    (r) => JSON.parse(r.doc) as { id: string; incident: string; by: string; asserts: { perpetrator?: string }; recorded_at: string },
  );
  const corroborations: StixCorroboration[] = claims.map((c) => ({ id: c.id, incident: c.incident, by: c.by, perpetrator: c.asserts.perpetrator, recorded_at: c.recorded_at }));
  const monitorCorroborations = await monitorCorroborationsOf(db, levels, incidents.map((i) => i.id));
  const epoch = input.partyDocs[0]?.recorded_at ?? new Date(0).toISOString();
  return toStixObjects({
    monitorCorroborations,
    parties: input.partyDocs,
    actors: input.actors,
    relations,
    designations: currentDesignations(input.designations),
    references: input.references,
    incidents,
    corroborations,
    epoch,
  });
}

/**
 * Confirmed monitor-report links per incident, counted only where the caller may see them (a count
 * counts only what the caller may see). A link on a public report still counts as `parties`, as its
 * confirmation is logged (decideLink), so anonymous callers and public exports get none. Only the
 * count, the confirmation time and the confirming mediator party leave this function: never a
 * monitor, a report or a user.
 */
async function monitorCorroborationsOf(db: Reader, levels: readonly Visibility[], incidentIds: readonly string[]): Promise<StixMonitorCorroboration[]> {
  if (incidentIds.length === 0) return [];
  const seen = levels.filter((l) => l !== 'public');
  if (seen.length === 0) return [];
  const links = await db
    .selectFrom('monitor_links')
    .select(['id', 'report_id', 'incident_id', 'visibility', 'recorded_at'])
    .where('status', '=', 'confirmed')
    .where('visibility', 'in', [...seen, ...(seen.includes('parties') ? ['public'] : [])])
    .orderBy('log_index', 'asc')
    .execute();
  const visible = new Set(incidentIds);
  const mine = links.filter((l) => visible.has(l.incident_id));
  if (mine.length === 0) return [];
  // The latest confirmation of each link, from its log entry (the row keeps only the link's creation time).
  const confirmations = await db.selectFrom('log_entries').select(['idx', 'entry', 'record_id']).where('kind', '=', 'report.link.confirm').where('record_id', 'in', mine.map((l) => l.id)).orderBy('idx', 'asc').execute();
  const confirmedOf = new Map<string, { at: string; party: string | undefined }>();
  for (const c of confirmations) {
    const st = decodeEntry(new Uint8Array(c.entry)).statement;
    if (c.record_id) confirmedOf.set(c.record_id, { at: st.at, party: st.author.party });
  }
  const byIncident = new Map<string, { reports: Set<string>; at: string; by: Set<string> }>();
  for (const l of mine) {
    const c = confirmedOf.get(l.id);
    const at = c?.at ?? l.recorded_at;
    const entry = byIncident.get(l.incident_id) ?? { reports: new Set<string>(), at, by: new Set<string>() };
    entry.reports.add(l.report_id);
    if (Date.parse(at) > Date.parse(entry.at)) entry.at = at;
    if (c?.party) entry.by.add(c.party);
    byIncident.set(l.incident_id, entry);
  }
  return [...byIncident].map(([incident, e]) => ({ incident, reports: e.reports.size, confirmed_at: e.at, confirmed_by: [...e.by] }));
}

export async function stixBundle(app: Mizan, p: Principal) {
  return toStixBundle(await stixObjects(app, p));
}
