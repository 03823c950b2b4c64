// Issue 9 §2: from a file's candidates to reports, and from reports to incidents.
//
// `ingestExtraction` records a source and one report per incident candidate, each report holding
// the claims its text makes (who states which figure, on which basis), then links them — all in
// one transaction. `runLinker` links the reports that have no live link yet. A link is never a
// merge: the report and its claims stay their own records; the link row (in `monitor_links`, the
// one link table, so `POST /api/v1/links/{id}/confirm|undo` work for every report) records the
// score, the explanation and, once a person decides, who confirmed or undid it.
//
// Visibility: everything ingestion makes is `mediators` unless the caller asks otherwise,
// because machine-read text is unreviewed and a wrong attribution must not reach the parties
// or the public before a mediator has looked at it.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Basis, Fatalities, Visibility } from '../domain/common.js';
import { Visibility as VisibilitySchema } from '../domain/common.js';
import { MizanError, notFound } from '../domain/errors.js';
import { IncidentInput } from '../domain/incident.js';
import { authorize, isAllowed } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { actorEntries, agreementEntries, createExtractor, MAX_TEXT, parsePublished, type IncidentCandidate, type NamedRef, type PlaceEntry } from '../intake/extract/index.js';
import { reportOfCandidate, suggestLink, type LinkDecision, type LinkIncident } from '../intake/link/index.js';
import { visibleLevels } from '../store/scope.js';
import type { Db, Tx } from '../store/store.js';
import { recordAudit } from './accounts.js';
import { applyScenario } from './apply.js';
import { linkIncidentOf, listAll } from './extract.js';
import type { Mizan } from './mizan.js';
import type { WriteSession } from './session.js';

export const IngestRequest = z.strictObject({
  text: z.string().min(1, 'text is empty').max(MAX_TEXT, `text is longer than ${MAX_TEXT} characters`),
  published: z.string().refine((s) => parsePublished(s) !== null, 'must be a real date, YYYY-MM-DD'),
  source: z.strictObject({
    title: z.string().trim().min(1, 'the source needs a title').max(1000),
    publisher: z.string().min(1).max(300).optional(),
    url: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  }),
  visibility: VisibilitySchema.optional(),
});
export type IngestRequest = z.infer<typeof IngestRequest>;

/** What one source asserts in one report: kept as it was read, never merged with another's. */
export interface ReportClaim {
  readonly id: string;
  /** The source the report came from. */
  readonly by: string;
  /** Who the text says made the statement ("Taliban officials", "ISPR"), with the party when known. */
  readonly stated_by: NamedRef;
  readonly basis: Basis;
  readonly asserts: {
    readonly perpetrator?: string;
    readonly denies?: string;
    readonly target?: string;
    readonly target_category?: string;
    readonly fatalities?: Fatalities;
    readonly text: string;
  };
}

export interface ExtractedReport {
  readonly id: string;
  readonly source: string;
  readonly published: string;
  readonly candidate: IncidentCandidate;
  readonly claims: readonly ReportClaim[];
}

export interface LinkResult {
  readonly report: string;
  readonly incident: string | null;
  readonly decision: LinkDecision;
  readonly score: number;
  readonly explanation: string;
}

export interface IngestResult {
  readonly source: string;
  readonly reports: readonly ExtractedReport[];
  readonly links: readonly LinkResult[];
}

const TARGET_CATEGORY: Record<IncidentCandidate['target_category'], string | null> = {
  civilians: 'civilians',
  security_forces: 'security_forces',
  critical_infrastructure: 'critical_infrastructure',
  armed_group: 'militants',
  unknown: null,
};

/** Hedging words to claim bases (issue 9 §1); a denial is reported, with what is denied. */
function basisOf(h: IncidentCandidate['hedging']): Basis {
  switch (h) {
    case 'claimed':
      return 'claimed_by_perpetrator';
    case 'alleged':
      return 'alleged';
    case 'reported':
    case 'denied':
      return 'reported';
    default: {
      const never: never = h;
      return never;
    }
  }
}

/** One claim per figure (each has its own speaker); one claim without a figure when there is none. */
export function claimsOf(reportId: string, sourceId: string, c: IncidentCandidate): ReportClaim[] {
  const perpetrator = c.actors.perpetrator?.id ?? undefined;
  const common = {
    ...(c.hedging === 'denied' ? (perpetrator ? { denies: perpetrator } : {}) : perpetrator ? { perpetrator } : {}),
    ...(c.actors.target?.id ? { target: c.actors.target.id } : {}),
    ...(TARGET_CATEGORY[c.target_category] ? { target_category: TARGET_CATEGORY[c.target_category]! } : {}),
    text: c.text_span.text,
  };
  const basis = basisOf(c.hedging);
  const figures = c.fatalities.length > 0 ? c.fatalities : [null];
  return figures.map((f, i) => ({
    id: `${reportId}.c${i + 1}`,
    by: sourceId,
    stated_by: f?.who ?? { id: null, name: 'unattributed' },
    basis,
    asserts: { ...common, ...(f ? { fatalities: fatalitiesOf(f.low, f.high) } : {}) },
  }));
}

function fatalitiesOf(low: number | null, high: number | null): Fatalities {
  if (low !== null && high !== null && low === high) return { best: low };
  return { ...(low !== null ? { low } : {}), ...(high !== null ? { high } : {}) };
}

/** The ingest key: the same text under the same source title is the same ingest. */
export function ingestKey(text: string, title: string): { key: string; textSha256: string } {
  const textSha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  const key = createHash('sha256').update(`${title.trim()}\u0000${textSha256}`, 'utf8').digest('hex');
  return { key, textSha256 };
}

/** Who may make a provisional incident for a report that matches nothing: those who publish reports. */
function mayCreateIncidents(p: Principal): boolean {
  return isAllowed(p, 'report.publish');
}

/**
 * Records a source and one report per incident candidate of `body.text`, and links them, in one
 * transaction. The same text under the same source title is refused (DUPLICATE_ID naming the
 * source it became), so running an ingest twice never doubles the claims.
 */
export async function ingestExtraction(app: Mizan, p: Principal, body: unknown, places: readonly PlaceEntry[]): Promise<IngestResult> {
  authorize(p, 'import');
  const input = parseOrThrow(IngestRequest, body, 'the ingest request');
  const { key, textSha256 } = ingestKey(input.text, input.source.title);
  const sourceId = `SRC-X-${key.slice(0, 16)}`;
  const visibility: Visibility = input.visibility ?? 'mediators';
  const [parties, actors, agreements] = [await listAll(app, p, 'parties'), await listAll(app, p, 'actors'), await listAll(app, p, 'agreements')];
  const extractor = createExtractor({ actors: actorEntries(parties, actors), agreements: agreementEntries(agreements), places });
  const candidates = extractor.extract(input.text, input.published).incidents;
  if (candidates.length === 0) throw new MizanError('VALIDATION_FAILED', 'the text holds no incident candidate: nothing to ingest', [{ path: ['text'], code: 'no_candidates', message: 'no incident found' }]);
  const reports: ExtractedReport[] = candidates.map((c, i) => {
    const id = `${sourceId}.r${i + 1}`;
    return { id, source: sourceId, published: input.published, candidate: c, claims: claimsOf(id, sourceId, c) };
  });
  const duplicate = (sourceOfPrior: string) =>
    new MizanError('DUPLICATE_ID', `this text was already ingested under the title ${JSON.stringify(input.source.title)} as source ${sourceOfPrior}`, [{ path: ['source', 'title'], code: 'duplicate_id', message: `already ingested as ${sourceOfPrior}` }]);
  try {
    return await writeIngest(app, p, { key, textSha256, sourceId, visibility, input, reports, duplicate });
  } catch (e) {
    // Two ingests of one file racing (PostgreSQL runs them side by side): the key's primary key
    // lets one in; the other is told which source it became rather than seeing a driver error.
    if (e instanceof MizanError) throw e;
    const prior = await app.store.db.selectFrom('extract_ingests').select('source_id').where('key', '=', key).executeTakeFirst();
    if (prior) throw duplicate(prior.source_id);
    throw e;
  }
}

async function writeIngest(
  app: Mizan,
  p: Principal,
  x: { key: string; textSha256: string; sourceId: string; visibility: Visibility; input: IngestRequest; reports: readonly ExtractedReport[]; duplicate: (source: string) => MizanError },
): Promise<IngestResult> {
  const { key, textSha256, sourceId, visibility, input, reports } = x;
  return app.write(p, async (w) => {
    const prior = await w.tx.selectFrom('extract_ingests').select('source_id').where('key', '=', key).executeTakeFirst();
    if (prior) throw x.duplicate(prior.source_id);
    const source = { id: sourceId, title: input.source.title, published: input.published, archive_sha256: textSha256, ...(input.source.publisher ? { publisher: input.source.publisher } : {}), ...(input.source.url ? { url: input.source.url } : {}) };
    w.record('sources', 'source', sourceId, source, visibility);
    w.queue('extract_ingests', { key, source_id: sourceId, recorded_at: w.recordedAt });
    const pool = await incidentPool(w.tx, p, reports.map((r) => r.candidate));
    const decided = decideAll(reports, pool, new Map(), mayCreateIncidents(p), () => visibility, await provisionalIds(w.tx));
    for (const r of reports) {
      const logIndex = w.statement('report.extracted', { ...r, visibility }, visibility, r.id);
      const d = decided.get(r.id)!;
      w.queue('extract_reports', { id: r.id, source_id: sourceId, visibility, status: d.result.decision, doc: JSON.stringify(r), incident_id: d.result.incident, log_index: logIndex, recorded_at: w.recordedAt });
    }
    const links = await recordDecisions(w, app, reports, decided, visibility);
    return { source: sourceId, reports, links };
  });
}

// ---------------------------------------------------------------------------------------------
// The matcher over stored reports

interface Decided {
  readonly result: LinkResult;
  /** A provisional incident to create for a `new` report (null when none can or may be made). */
  readonly create: IncidentInput | null;
}

/** Incidents the caller may see near the reports' times (all of them when a report has no date). */
async function incidentPool(db: Tx | Db, p: Principal, candidates: readonly IncidentCandidate[]): Promise<LinkIncident[]> {
  let q = db.selectFrom('incidents').select('doc').where('visibility', 'in', visibleLevels(p));
  const times = candidates.flatMap((c) => (c.occurred.from && c.occurred.to ? [Date.parse(c.occurred.from), Date.parse(c.occurred.to)] : []));
  if (candidates.every((c) => c.occurred.from && c.occurred.to) && times.length > 0) {
    const margin = 8 * 86_400_000;
    q = q.where('occurred_to', '>', new Date(Math.min(...times) - margin).toISOString()).where('occurred_from', '<', new Date(Math.max(...times) + margin).toISOString());
  }
  const rows = await q.orderBy('id').limit(20_000).execute();
  return rows.flatMap((r) => {
    const li = linkIncidentOf(JSON.parse(r.doc));
    return li ? [li] : [];
  });
}

/** The provisional incident a `new` report becomes, or null when the text lacks a country, a date or a valid event type. */
/** Ids of provisional incidents already made (any visibility): a new one never reuses one. */
async function provisionalIds(db: Tx | Db): Promise<Set<string>> {
  const rows = await db.selectFrom('incidents').select('id').where('id', 'like', 'INC-SRC-X-%').execute();
  return new Set(rows.map((r) => r.id));
}

/** `base`, or `base.2`, `base.3`, … — the first not in `used` (a report unlinked from its first provisional incident may need another). */
function freeId(base: string, used: ReadonlySet<string>): string {
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}.${n}`)) return `${base}.${n}`;
}

function provisionalIncident(r: ExtractedReport, visibility: Visibility, id: string): IncidentInput | null {
  const c = r.candidate;
  if (!c.occurred.from || !c.occurred.to || !c.location.country) return null;
  const loc = c.location;
  const actors = [
    ...(c.actors.perpetrator?.id ? [{ actor: c.actors.perpetrator.id, role: 'perpetrator' as const }] : []),
    ...(c.actors.target?.id ? [{ actor: c.actors.target.id, role: 'target' as const }] : []),
  ];
  const parsed = IncidentInput.safeParse({
    id,
    title: `${c.sub_event_type} — ${loc.name ?? loc.admin1 ?? loc.country} (extracted, unreviewed)`,
    occurred: { from: c.occurred.from, to: c.occurred.to },
    location: {
      country: loc.country,
      ...(loc.admin1 ? { admin1: loc.admin1 } : {}),
      ...(loc.admin2 ? { admin2: loc.admin2 } : {}),
      ...(loc.name ? { place: loc.name } : {}),
      ...(loc.lat !== null && loc.lon !== null ? { lat: loc.lat, lon: loc.lon, geo_precision: 2 } : {}),
    },
    event_type: c.event_type,
    sub_event_type: c.sub_event_type,
    actors,
    sources: [r.source],
    visibility,
    notes: `Made from report ${r.id} by the matcher because no incident matched; its figures are the report's claims.`,
  });
  return parsed.success ? parsed.data : null;
}

/**
 * Decide every report in order. A provisional incident made for one report joins the pool, so the
 * next report of the same strike links to it rather than making another. `refused` lists, per
 * report, incidents a person has already unlinked it from: the matcher does not propose them again.
 */
function decideAll(
  reports: readonly ExtractedReport[],
  incidents: readonly LinkIncident[],
  refused: ReadonlyMap<string, ReadonlySet<string>>,
  mayCreate: boolean,
  visibility: (r: ExtractedReport) => Visibility,
  taken: ReadonlySet<string>,
): Map<string, Decided> {
  const used = new Set(taken);
  const pool = [...incidents];
  const out = new Map<string, Decided>();
  for (const r of reports) {
    const no = refused.get(r.id);
    const candidates = no ? pool.filter((i) => !no.has(i.id)) : pool;
    const s = suggestLink(reportOfCandidate(r.candidate), candidates);
    if (s.decision !== 'new') {
      out.set(r.id, { result: { report: r.id, incident: s.incident, decision: s.decision, score: s.score, explanation: s.explanation }, create: null });
      continue;
    }
    const create = mayCreate ? provisionalIncident(r, visibility(r), freeId(`INC-${r.id}`, used)) : null;
    if (create) used.add(create.id);
    const why = create ? `${s.explanation}; new provisional incident ${create.id}` : `${s.explanation}; ${mayCreate ? 'the text lacks a date, a country or a valid event type, so' : 'only a mediator creates incidents, so'} the report waits for a person to create its incident`;
    out.set(r.id, { result: { report: r.id, incident: create?.id ?? null, decision: 'new', score: s.score, explanation: why }, create });
    if (create) {
      const li = linkIncidentOf(create);
      if (li) pool.push(li);
    }
  }
  return out;
}

/** Writes the provisional incidents and the link rows (with their log entries) for decided reports. */
async function recordDecisions(w: WriteSession, app: Mizan, reports: readonly ExtractedReport[], decided: ReadonlyMap<string, Decided>, visibility: Visibility | ((r: ExtractedReport) => Visibility)): Promise<LinkResult[]> {
  const results: LinkResult[] = [];
  for (const r of reports) {
    const d = decided.get(r.id)!;
    const vis = typeof visibility === 'function' ? visibility(r) : visibility;
    if (d.create) {
      // An actor the alias table knows may not be stored here (a party id, say): keep only stored actors.
      const named = (d.create.actors ?? []).map((a) => a.actor);
      const stored = new Set(named.length === 0 ? [] : (await w.tx.selectFrom('actors').select('id').where('id', 'in', named).execute()).map((a) => a.id));
      applyScenario(w, { incidents: [{ ...d.create, actors: (d.create.actors ?? []).filter((a) => stored.has(a.actor)) }] }, app.places);
    }
    if (d.result.incident) {
      const n = await w.tx.selectFrom('monitor_links').select((eb) => eb.fn.countAll<number>().as('n')).where('report_id', '=', r.id).executeTakeFirstOrThrow();
      const id = `${r.id}.link${Number(n.n) + 1}`;
      const status = d.result.decision === 'queued' ? 'queued' : 'linked';
      const body = { id, report: r.id, incident: d.result.incident, decision: d.result.decision, score: d.result.score, explanation: d.result.explanation, status };
      const logIndex = w.statement('report.link', body, vis, id);
      w.queue('monitor_links', { id, report_id: r.id, incident_id: d.result.incident, score: Math.round(d.result.score * 1000), explanation: d.result.explanation, status, decided_by: null, visibility: vis, log_index: logIndex, recorded_at: w.recordedAt });
    }
    results.push(d.result);
  }
  return results;
}

/** Link statuses that hold a report to an incident (a person may still confirm or undo them). */
export const LIVE_LINK = ['linked', 'queued', 'confirmed', 'candidate'] as const;

/**
 * Runs the matcher over every extracted report the caller may see that has no live link, in the
 * order they were recorded. `dryRun` decides and reports without writing anything.
 */
export async function runLinker(app: Mizan, p: Principal, opts: { readonly dryRun?: boolean } = {}): Promise<LinkResult[]> {
  authorize(p, 'link.confirm');
  const levels = visibleLevels(p);
  const work = async (w: WriteSession | null): Promise<LinkResult[]> => {
    const db = w ? w.tx : app.store.db;
    const open = await db
      .selectFrom('extract_reports')
      .select(['id', 'doc', 'visibility'])
      .where('visibility', 'in', levels)
      .where('id', 'not in', (eb) => eb.selectFrom('monitor_links').select('report_id').where('status', 'in', [...LIVE_LINK]))
      .orderBy('log_index')
      .execute();
    const undone = open.length === 0 ? [] : await db.selectFrom('monitor_links').select(['report_id', 'incident_id']).where('report_id', 'in', open.map((r) => r.id)).where('status', '=', 'undone').execute();
    const refused = new Map<string, Set<string>>();
    for (const l of undone) refused.set(l.report_id, (refused.get(l.report_id) ?? new Set()).add(l.incident_id));
    const reports = open.map((r) => JSON.parse(r.doc) as ExtractedReport);
    const visOf = new Map(open.map((r) => [r.id, r.visibility as Visibility]));
    const visibility = (r: ExtractedReport): Visibility => visOf.get(r.id) ?? 'mediators';
    if (reports.length === 0) return [];
    const pool = await incidentPool(db, p, reports.map((r) => r.candidate));
    const decided = decideAll(reports, pool, refused, mayCreateIncidents(p), visibility, await provisionalIds(db));
    if (!w) return reports.map((r) => decided.get(r.id)!.result);
    for (const r of reports) {
      const d = decided.get(r.id)!.result;
      await w.tx.updateTable('extract_reports').set({ status: d.decision, incident_id: d.incident }).where('id', '=', r.id).execute();
    }
    return recordDecisions(w, app, reports, decided, visibility);
  };
  const results = opts.dryRun ? await work(null) : await app.write(p, (w) => work(w));
  await auditMediatorReports(app, p, 'link extracted reports', results.map((r) => r.report));
  return results;
}

/** Reads of mediator-only records by a person are audited, as `Mizan.get` and `Mizan.list` do. */
async function auditMediatorReports(app: Mizan, p: Principal, action: string, ids: readonly string[]): Promise<void> {
  if (p.kind !== 'user' || ids.length === 0) return;
  const secret = await app.store.db.selectFrom('extract_reports').select('id').where('id', 'in', [...ids]).where('visibility', '=', 'mediators').execute();
  if (secret.length > 0) await recordAudit(app, p, action, secret.map((r) => r.id).join(','));
}

/** The reports (with their own claims) that a live link holds to `incidentId`, as the caller may see them. */
export async function reportsOfIncident(app: Mizan, p: Principal, incidentId: string): Promise<{ report: ExtractedReport; link: { id: string; status: string; score: number; explanation: string; decided_by: string | null } }[]> {
  authorize(p, 'link.read');
  const incident = await app.store.db.selectFrom('incidents').select('id').where('id', '=', incidentId).where('visibility', 'in', visibleLevels(p)).executeTakeFirst();
  if (!incident) throw notFound('incident', incidentId);
  const links = await app.store.db.selectFrom('monitor_links').select(['id', 'report_id', 'status', 'score', 'explanation', 'decided_by']).where('incident_id', '=', incidentId).where('status', 'in', [...LIVE_LINK]).orderBy('log_index').execute();
  if (links.length === 0) return [];
  const rows = await app.store.db.selectFrom('extract_reports').select(['id', 'doc']).where('id', 'in', links.map((l) => l.report_id)).where('visibility', 'in', visibleLevels(p)).execute();
  const byId = new Map(rows.map((r) => [r.id, JSON.parse(r.doc) as ExtractedReport]));
  await auditMediatorReports(app, p, 'read reports of incident', [...byId.keys()]);
  return links.flatMap((l) => {
    const report = byId.get(l.report_id);
    return report ? [{ report, link: { id: l.id, status: l.status, score: l.score / 1000, explanation: l.explanation, decided_by: l.decided_by } }] : [];
  });
}

export const LinkRunRequest = z.strictObject({ dry_run: z.boolean().optional() });

/** The HTTP form of `runLinker`: the body is checked after the caller is. */
export async function runLinkerFor(app: Mizan, p: Principal, body: unknown): Promise<LinkResult[]> {
  authorize(p, 'link.confirm');
  const input = parseOrThrow(LinkRunRequest, body ?? {}, 'the link request');
  return runLinker(app, p, { dryRun: input.dry_run === true });
}
