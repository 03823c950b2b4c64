import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { Id } from '../domain/common.js';
import { MizanError, notFound } from '../domain/errors.js';
import { IncidentInput } from '../domain/incident.js';
import type { AgreementNews, FindingWord, Lang, LinkSubject, ParsedReport, PlaceCandidate, ReportState, SmsCommand } from '../domain/monitors/index.js';
import { LANGS, LINK_THRESHOLD, MONITOR_ZONES, parseSms, reliabilitySummary, replyText, scoreLink, WHAT, fitSms, latinDigits } from '../domain/monitors/index.js';
import { authorize, seesMonitorIdentities } from '../domain/policy.js';
import { WebReport } from '../domain/monitors/web-report.js';
import type { Principal } from '../domain/principal.js';
import { resolveOccurred, TimeError } from '../domain/time.js';
import { parseOrThrow } from '../domain/validation.js';
import { writeSecret } from '../store/data-dir.js';
import { visibleLevels } from '../store/scope.js';
import type { Tx } from '../store/store.js';
import { recordAudit } from './accounts.js';
import { requireCitedEvidence } from './evidence.js';
import { buildIncident } from './apply.js';
import type { Mizan } from './mizan.js';
import type { WriteSession } from './session.js';

// ---------------------------------------------------------------------------------------------
// Policy: the monitors module's actions, decided by the one policy table.

export type MonitorAction = 'monitor.register' | 'monitor.read' | 'monitor.erase' | 'report.submit' | 'report.read' | 'report.publish' | 'link.read' | 'link.confirm' | 'monitor.message';

/** The monitors module's actions live in the one policy table (src/domain/policy.ts). */
export function authorizeMonitors(p: Principal, action: MonitorAction): void {
  authorize(p, action);
}

// ---------------------------------------------------------------------------------------------
// Keys: one 32-byte master secret in <dataDir>/keys/monitors.key (mode 0600); subkeys by HKDF.

interface MonitorKeys {
  readonly phoneHmac: Buffer;
  readonly identityEnc: Buffer;
  readonly gateway: Buffer;
}

const configured = new WeakMap<Mizan, MonitorKeys>();

/** Only for tests (vitest sets VITEST): a fixed, public secret. Never used otherwise. */
export const UNCONFIGURED_TEST_SECRET = Buffer.from('mizan-monitors-TEST-ONLY-secret-not-for-production', 'utf8');

function deriveKeys(master: Buffer): MonitorKeys {
  const sub = (label: string) => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), `mizan monitors ${label}`, 32));
  return { phoneHmac: sub('phone-hmac'), identityEnc: sub('identity-aes-256-gcm'), gateway: sub('sms-gateway') };
}

export function monitorsKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'monitors.key');
}

/** Read (or create, mode 0600) the monitors secret of a data directory and bind it to `app`. */
export function configureMonitors(app: Mizan, dataDir: string): void {
  const file = monitorsKeyPath(dataDir);
  if (!existsSync(file)) {
    mkdirSync(join(dataDir, 'keys'), { recursive: true, mode: 0o700 });
    writeSecret(file, randomBytes(32).toString('hex') + '\n');
  }
  const hex = readFileSync(file, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new MizanError('DATA_DIR_MISSING', `${file} is damaged: it must hold 64 hex digits`);
  configured.set(app, deriveKeys(Buffer.from(hex, 'hex')));
}

function keysOf(app: Mizan): MonitorKeys {
  const k = configured.get(app);
  if (k) return k;
  // A server that forgot to configure must not silently run on a known key.
  if (process.env.VITEST === undefined) throw new MizanError('INTERNAL', 'the monitors module is not configured with its data directory');
  const test = deriveKeys(UNCONFIGURED_TEST_SECRET);
  configured.set(app, test);
  return test;
}

/** The shared secret an SMS gateway signs webhooks with (hex). */
export function gatewaySecret(app: Mizan): string {
  return keysOf(app).gateway.toString('hex');
}

/** +92 300 123-4567, ۰۰۹۲۳۰۰۱۲۳۴۵۶۷ and 0092… all become +923001234567. */
export function normalizePhone(phone: string): string {
  const d = latinDigits(phone).replace(/[^0-9+]/g, '');
  const digits = d.replace(/\+/g, '');
  return d.startsWith('+') ? `+${digits}` : digits.startsWith('00') ? `+${digits.slice(2)}` : `+${digits}`;
}

function phoneHmac(app: Mizan, phone: string): string {
  return createHmac('sha256', keysOf(app).phoneHmac).update(normalizePhone(phone)).digest('hex');
}

function encryptIdentity(app: Mizan, identity: { name: string; phone: string }): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keysOf(app).identityEnc, iv);
  const ct = Buffer.concat([c.update(JSON.stringify(identity), 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), ct]);
}

function decryptIdentity(app: Mizan, blob: Uint8Array): { name: string; phone: string } {
  const b = Buffer.from(blob);
  const d = createDecipheriv('aes-256-gcm', keysOf(app).identityEnc, b.subarray(0, 12));
  d.setAuthTag(b.subarray(12, 28));
  return JSON.parse(Buffer.concat([d.update(b.subarray(28)), d.final()]).toString('utf8')) as { name: string; phone: string };
}

/** X-Mizan-Signature: hex HMAC-SHA256(gateway secret, `${timestamp}.${MessageId}\n${From}\n${Body}`). */
export function signWebhook(secretHex: string, timestamp: string, fields: { From: string; Body: string; MessageId: string }): string {
  return createHmac('sha256', Buffer.from(secretHex, 'hex')).update(`${timestamp}.${fields.MessageId}\n${fields.From}\n${fields.Body}`).digest('hex');
}

export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

export function checkWebhookSignature(app: Mizan, timestamp: string | undefined, signature: string | undefined, fields: { From: string; Body: string; MessageId: string }): void {
  if (!timestamp || !signature) throw new MizanError('BAD_SIGNATURE', 'X-Mizan-Timestamp and X-Mizan-Signature are required');
  const ts = Number(timestamp) * 1000;
  // Replays of an old, validly signed request are refused outside ±5 minutes.
  if (!Number.isFinite(ts) || Math.abs(app.clock().getTime() - ts) > SIGNATURE_WINDOW_MS) throw new MizanError('BAD_SIGNATURE', 'the timestamp is outside ±5 minutes of the server clock');
  const expected = Buffer.from(signWebhook(gatewaySecret(app), timestamp, fields), 'hex');
  const given = /^[0-9a-f]{64}$/i.test(signature) ? Buffer.from(signature, 'hex') : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new MizanError('BAD_SIGNATURE', 'the signature does not match');
}

// ---------------------------------------------------------------------------------------------
// Monitors

export const MonitorRegistration = z.strictObject({
  id: Id,
  pseudonym: z.string().min(1).max(100),
  districts: z.array(z.string().min(1).max(200)).max(50),
  languages: z.array(z.enum(LANGS)).min(1),
  zone: z.enum(MONITOR_ZONES),
  /** A monitor-role account that may use the web form as this monitor. */
  account: z.string().min(1).max(64).optional(),
  identity: z.strictObject({ name: z.string().min(1).max(300), phone: z.string().regex(/^\+?[0-9\u0660-\u0669\u06F0-\u06F9 ()-]{6,24}$/, 'must be a phone number') }),
});
export type MonitorRegistration = z.infer<typeof MonitorRegistration>;

/** What parties and the monitor itself see: never the identity. */
export interface MonitorProfile {
  readonly id: string;
  readonly pseudonym: string;
  readonly districts: readonly string[];
  readonly languages: readonly Lang[];
  readonly zone: string;
  readonly status: 'active' | 'revoked';
}

type MonitorRow = { id: string; pseudonym: string; doc: string; zone: string; status: string; user_name: string | null; phone_hmac: string | null; identity_enc: Buffer | null; identity_log_index: number | null; opted_out: number };

function profileOf(row: MonitorRow): MonitorProfile {
  const doc = JSON.parse(row.doc) as Omit<MonitorProfile, 'status'>;
  return { ...doc, status: row.status === 'revoked' ? 'revoked' : 'active' };
}

export async function registerMonitor(app: Mizan, p: Principal, body: unknown) {
  authorizeMonitors(p, 'monitor.register');
  const input = parseOrThrow(MonitorRegistration, body, 'the monitor');
  const hmac = phoneHmac(app, input.identity.phone);
  return app.write(p, async (w) => {
    const dupe = await w.tx.selectFrom('monitors').select(['id', 'phone_hmac']).where((eb) => eb.or([eb('id', '=', input.id), eb('phone_hmac', '=', hmac)])).executeTakeFirst();
    if (dupe) throw new MizanError('DUPLICATE_ID', dupe.id === input.id ? `a monitor ${input.id} exists` : 'that phone number belongs to another monitor', [{ path: [dupe.id === input.id ? 'id' : 'identity'], code: 'duplicate_id', message: 'is taken' }]);
    if (input.account) {
      const u = await w.tx.selectFrom('users').select('role').where('name', '=', input.account).executeTakeFirst();
      if (!u || u.role !== 'monitor') throw new MizanError('DANGLING_REFERENCE', `no monitor account ${input.account}`, [{ path: ['account'], code: 'dangling_reference', message: 'is not a monitor-role account' }]);
    }
    const profile = { id: input.id, pseudonym: input.pseudonym, districts: input.districts, languages: input.languages, zone: input.zone };
    // Both entries are commitments in the log (visibility is never public): the tiles are public.
    const logIndex = w.statement('monitor', profile, 'parties', input.id);
    const identityIndex = w.statement('monitor.identity', { monitor: input.id, ...input.identity, phone: normalizePhone(input.identity.phone) }, 'mediators', input.id);
    w.queue('monitors', {
      id: input.id,
      pseudonym: input.pseudonym,
      doc: JSON.stringify(profile),
      zone: input.zone,
      status: 'active',
      user_name: input.account ?? null,
      phone_hmac: hmac,
      identity_enc: encryptIdentity(app, input.identity),
      identity_log_index: identityIndex,
      opted_out: 0,
      log_index: logIndex,
      recorded_at: w.recordedAt,
    });
    return { ...profile, status: 'active' as const, identity: input.identity, log_index: logIndex };
  });
}

/** Mediators only: profiles with identities (each listing is audited). */
export async function listMonitors(app: Mizan, p: Principal) {
  authorizeMonitors(p, 'monitor.read');
  const rows = await app.store.db.selectFrom('monitors').selectAll().orderBy('log_index').execute();
  if (rows.length > 0) await recordAudit(app, p, 'list monitor identities', rows.map((r) => r.id).join(','));
  return {
    items: rows.map((r) => ({ ...profileOf(r), account: r.user_name, identity: r.identity_enc ? decryptIdentity(app, r.identity_enc) : null, erased: r.identity_enc === null, opted_out: r.opted_out === 1 })),
  };
}

export async function revokeMonitor(app: Mizan, p: Principal, id: string) {
  authorizeMonitors(p, 'monitor.register');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('monitors').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('monitor', id);
    if (row.status === 'revoked') throw new MizanError('ILLEGAL_TRANSITION', `monitor ${id} is already revoked`);
    w.statement('monitor.revocation', { monitor: id }, 'parties', id);
    await w.tx.updateTable('monitors').set({ status: 'revoked' }).where('id', '=', id).execute();
    return { ...profileOf(row), status: 'revoked' as const };
  });
}

/**
 * Erasure for good: the encrypted original and the phone HMAC are deleted, and so is the salt of
 * the identity's log entry, so its commitment can never be opened again; the log still verifies.
 */
export async function eraseMonitorIdentity(app: Mizan, p: Principal, id: string) {
  authorizeMonitors(p, 'monitor.erase');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('monitors').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('monitor', id);
    if (row.identity_enc === null) throw new MizanError('ILLEGAL_TRANSITION', `the identity of monitor ${id} is already erased`);
    w.statement('monitor.erasure', { monitor: id, identity_entry: row.identity_log_index }, 'parties', id);
    await w.tx.updateTable('monitors').set({ identity_enc: null, phone_hmac: null, status: 'revoked' }).where('id', '=', id).execute();
    if (row.identity_log_index !== null) await w.tx.updateTable('log_salts').set({ salt: null, body: null }).where('idx', '=', row.identity_log_index).execute();
    return { id, erased: true, identity_entry: row.identity_log_index };
  });
}

// ---------------------------------------------------------------------------------------------
// Reports

export interface StoredReport {
  readonly id: string;
  readonly number: number;
  readonly monitor: string;
  readonly channel: 'sms' | 'web';
  readonly visibility: 'mediators' | 'parties' | 'public';
  readonly status: 'received' | 'published' | 'superseded';
  readonly supersedes: string | null;
  readonly publish_requested: boolean;
  readonly raw: string | null;
  readonly report: ParsedReport;
  readonly incident: string | null;
  readonly recorded_at: string;
}

function candidatesFor(app: Mizan, query: string): PlaceCandidate[] {
  const geo = app.places as unknown as { lookup?: (q: string, o?: { limit?: number }) => { items: readonly { id: string; name: string; country: string | null; admin1: string | null; admin2: string | null; lat: number; lon: number; score: number }[] } } | null;
  if (!geo || typeof geo.lookup !== 'function') return [];
  try {
    return geo.lookup(query, { limit: 3 }).items.map((i) => ({ id: i.id, name: i.name, country: i.country, admin1: i.admin1, admin2: i.admin2, lat: i.lat, lon: i.lon, score: i.score }));
  } catch {
    // A hostile or odd place name must not turn a report into a 500: no candidates then.
    return [];
  }
}

/** Adds gazetteer candidates to a parsed report's place. */
export function withCandidates(app: Mizan, r: ParsedReport): ParsedReport {
  return { ...r, place: { query: r.place.query, candidates: candidatesFor(app, r.place.query) } };
}

async function nextReportNumber(tx: Tx): Promise<number> {
  const row = await tx.selectFrom('monitor_reports').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  return Number(row?.n ?? 0) + 1;
}

interface NewReport {
  monitor: MonitorRow;
  channel: 'sms' | 'web';
  raw: string | null;
  report: ParsedReport;
  visibility: 'mediators' | 'parties';
  publishRequested: boolean;
  supersedes: StoredReport | null;
  idempotencyKey: string | null;
  messageId: string | null;
}

/** Writes a report, its candidate links and (for corrections) the superseded mark in one transaction. */
async function writeReport(w: WriteSession, n: NewReport): Promise<StoredReport> {
  const number = await nextReportNumber(w.tx);
  const id = `RPT-${number}`;
  const stored: StoredReport = {
    id,
    number,
    monitor: n.monitor.id,
    channel: n.channel,
    visibility: n.visibility,
    status: 'received',
    supersedes: n.supersedes?.id ?? null,
    publish_requested: n.publishRequested,
    raw: n.raw,
    report: n.report,
    incident: null,
    recorded_at: w.recordedAt,
  };
  const logIndex = w.statement('report', stored, n.visibility, id);
  w.queue('monitor_reports', {
    id,
    number,
    monitor_id: n.monitor.id,
    channel: n.channel,
    visibility: n.visibility,
    status: 'received',
    doc: JSON.stringify(stored),
    supersedes: stored.supersedes,
    idempotency_key: n.idempotencyKey,
    message_id: n.messageId,
    incident_id: null,
    log_index: logIndex,
    recorded_at: w.recordedAt,
  });
  if (n.supersedes) await w.tx.updateTable('monitor_reports').set({ status: 'superseded' }).where('id', '=', n.supersedes.id).execute();
  await proposeLinks(w, stored);
  return stored;
}

/** Candidate links to incidents within two days of the report; never a merge. */
async function proposeLinks(w: WriteSession, r: StoredReport): Promise<void> {
  const from = new Date(Date.parse(r.report.occurred.from) - 2 * 86_400_000).toISOString();
  const to = new Date(Date.parse(r.report.occurred.to) + 2 * 86_400_000).toISOString();
  const rows = await w.tx.selectFrom('incidents').select(['id', 'doc']).where('occurred_to', '>', from).where('occurred_from', '<', to).limit(200).execute();
  const top = r.report.place.candidates[0];
  const subject: LinkSubject = { from: r.report.occurred.from, to: r.report.occurred.to, lat: top?.lat ?? null, lon: top?.lon ?? null, event_type: r.report.event_type, place: r.report.place.query };
  const scored = rows
    .map((row) => {
      const inc = JSON.parse(row.doc) as { occurred: { from: string; to: string }; location: { lat?: number; lon?: number; place?: string }; event_type: string };
      const s = scoreLink(subject, { from: inc.occurred.from, to: inc.occurred.to, lat: inc.location.lat ?? null, lon: inc.location.lon ?? null, event_type: inc.event_type, place: inc.location.place ?? null });
      return { incident: row.id, ...s };
    })
    .filter((s) => s.score >= LINK_THRESHOLD)
    .sort((a, b) => b.score - a.score || a.incident.localeCompare(b.incident))
    .slice(0, 3);
  scored.forEach((s, i) => {
    const id = `${r.id}.link${i + 1}`;
    const body = { id, report: r.id, incident: s.incident, score: s.score, explanation: s.explanation, status: 'candidate' };
    const logIndex = w.log.append({ kind: 'report.link', recordId: id, body, visibility: r.visibility === 'public' ? 'parties' : r.visibility, author: w.author, at: w.recordedAt });
    w.queue('monitor_links', { id, report_id: r.id, incident_id: s.incident, score: Math.round(s.score * 1000), explanation: s.explanation, status: 'candidate', decided_by: null, visibility: r.visibility, log_index: logIndex, recorded_at: w.recordedAt });
  });
}


async function monitorOfAccount(app: Mizan, p: Principal, tx?: Tx): Promise<MonitorRow> {
  if (p.kind !== 'user') throw new MizanError('FORBIDDEN', 'only a monitor account submits reports');
  const row = await (tx ?? app.store.db).selectFrom('monitors').selectAll().where('user_name', '=', p.name).where('status', '=', 'active').executeTakeFirst();
  if (!row) throw new MizanError('FORBIDDEN', 'this account is not registered as an active monitor');
  return row;
}

/** The web form: same fields as an SMS report; an offline re-send with the same key returns the stored report. */
export async function submitWebReport(app: Mizan, p: Principal, body: unknown): Promise<{ report: StoredReport; created: boolean }> {
  authorizeMonitors(p, 'report.submit');
  const input = parseOrThrow(WebReport, body, 'the report');
  const m = await monitorOfAccount(app, p);
  const key = `${m.id}:${input.idempotency_key}`;
  const prior = async (db: Tx | Mizan['store']['db']) => db.selectFrom('monitor_reports').select('doc').where('idempotency_key', '=', key).executeTakeFirst();
  const before = await prior(app.store.db);
  if (before) return { report: JSON.parse(before.doc) as StoredReport, created: false };
  const precision = input.occurred_local.includes('T') ? 'exact' : 'day';
  let occurred: ParsedReport['occurred'];
  try {
    const o = resolveOccurred({ local: input.occurred_local, zone: m.zone, precision });
    occurred = { from: o.from, to: o.to, local: input.occurred_local, zone: m.zone, precision };
  } catch (e) {
    if (!(e instanceof TimeError)) throw e;
    throw new MizanError('VALIDATION_FAILED', 'the report is not valid', [{ path: ['occurred_local'], code: 'invalid_date', message: e.message }]);
  }
  if (Date.parse(occurred.from) > app.clock().getTime()) throw new MizanError('VALIDATION_FAILED', 'the report is not valid', [{ path: ['occurred_local'], code: 'future_date', message: 'is after now' }]);
  const [event_type, sub_event_type] = WHAT[input.what];
  const pin: PlaceCandidate[] = input.lat !== undefined && input.lon !== undefined ? [{ id: 'pin', name: input.place, country: null, admin1: null, admin2: null, lat: input.lat, lon: input.lon, score: 1 }] : [];
  const report: ParsedReport = {
    place: { query: input.place, candidates: [...pin, ...candidatesFor(app, input.place)] },
    occurred,
    what: input.what,
    event_type,
    sub_event_type,
    killed: input.killed ?? null,
    wounded: input.wounded ?? null,
    target_category: input.target === 'CIV' ? 'civilians' : input.target === 'SEC' ? 'security_forces' : null,
    by: input.by ?? null,
    text: input.text ?? null,
    ...(input.evidence && input.evidence.length > 0 ? { evidence: input.evidence } : {}),
  };
  try {
    return await app.write(p, async (w) => {
      const again = await prior(w.tx);
      if (again) return { report: JSON.parse(again.doc) as StoredReport, created: false };
      // Each uploaded file must already be stored; the original's digest is a record of what the phone captured.
      await requireCitedEvidence(w, input.evidence?.map((e) => `sha256:${e.sha256}`));
      const stored = await writeReport(w, { monitor: m, channel: 'web', raw: null, report, visibility: input.visibility ?? 'mediators', publishRequested: input.publish_request ?? false, supersedes: null, idempotencyKey: key, messageId: null });
      return { report: stored, created: true };
    });
  } catch (e) {
    // Two re-sends racing: the unique key lets one in; the other returns what it stored.
    const after = await prior(app.store.db);
    if (after) return { report: JSON.parse(after.doc) as StoredReport, created: false };
    throw e;
  }
}

/** Which reports a caller may read: mediators all; delegates and admins `parties`; a monitor its own. */
async function reportScope(app: Mizan, p: Principal): Promise<{ levels: string[]; own: string | null }> {
  authorizeMonitors(p, 'report.read');
  const levels = visibleLevels(p).filter((l) => l !== 'public' || p.kind === 'system');
  let own: string | null = null;
  if (p.kind === 'user' && p.role === 'monitor') {
    const m = await app.store.db.selectFrom('monitors').select('id').where('user_name', '=', p.name).executeTakeFirst();
    // An account not (yet) registered as a monitor owns no report. The sentinel is '' (no monitor id
    // is empty), not a NUL-prefixed string: PostgreSQL refuses NUL in a text parameter (a 500).
    own = m?.id ?? '';
  }
  return { levels: [...levels, 'public'], own };
}

function viewOf(r: StoredReport, forMediator: boolean): StoredReport | Omit<StoredReport, 'monitor'> & { monitor: string | null } {
  // The monitor id is pseudonymous; published reports carry no monitor at all (delegated publication).
  if (!forMediator && r.status === 'published') return { ...r, monitor: null, raw: null };
  return r;
}

export async function listReports(app: Mizan, p: Principal, limit = 50) {
  const scope = await reportScope(app, p);
  let q = app.store.db.selectFrom('monitor_reports').select(['doc', 'status', 'incident_id', 'visibility']);
  q = scope.own !== null ? q.where('monitor_id', '=', scope.own) : q.where('visibility', 'in', scope.levels);
  const rows = await q.orderBy('number', 'desc').limit(limit).execute();
  const mediator = seesMonitorIdentities(p);
  if (mediator && rows.some((r) => r.visibility === 'mediators')) await recordAudit(app, p, 'list reports', String(rows.length));
  return { items: rows.map((r) => viewOf({ ...(JSON.parse(r.doc) as StoredReport), status: r.status as StoredReport['status'], incident: r.incident_id, visibility: r.visibility as StoredReport['visibility'] }, mediator)) };
}

export async function getReport(app: Mizan, p: Principal, id: string) {
  const scope = await reportScope(app, p);
  const row = await app.store.db.selectFrom('monitor_reports').selectAll().where('id', '=', id).executeTakeFirst();
  const visible = row && (scope.own !== null ? row.monitor_id === scope.own : scope.levels.includes(row.visibility));
  if (!row || !visible) throw notFound('report', id);
  const mediator = seesMonitorIdentities(p);
  if (mediator && row.visibility === 'mediators') await recordAudit(app, p, 'read report', id);
  const links = await app.store.db.selectFrom('monitor_links').select(['id', 'incident_id', 'score', 'explanation', 'status']).where('report_id', '=', id).orderBy('id').execute();
  const doc = { ...(JSON.parse(row.doc) as StoredReport), status: row.status as StoredReport['status'], incident: row.incident_id, visibility: row.visibility as StoredReport['visibility'] };
  return { ...viewOf(doc, mediator), links: links.map((l) => ({ ...l, score: l.score / 1000 })) };
}

// ---------------------------------------------------------------------------------------------
// Links: confirm or undo, each a log entry; the incident and the report stay separate records.

export async function listLinks(app: Mizan, p: Principal, status?: string) {
  authorizeMonitors(p, 'link.read');
  let q = app.store.db.selectFrom('monitor_links').select(['id', 'report_id', 'incident_id', 'score', 'explanation', 'status', 'decided_by', 'recorded_at']);
  if (status) q = q.where('status', '=', status);
  const rows = await q.orderBy('log_index', 'desc').limit(500).execute();
  return { items: rows.map((r) => ({ ...r, score: r.score / 1000 })) };
}

export async function decideLink(app: Mizan, p: Principal, id: string, decision: 'confirm' | 'undo') {
  authorizeMonitors(p, 'link.confirm');
  return app.write(p, async (w) => {
    const link = await w.tx.selectFrom('monitor_links').selectAll().where('id', '=', id).executeTakeFirst();
    if (!link) throw notFound('link', id);
    const next = decision === 'confirm' ? 'confirmed' : 'undone';
    if (decision === 'confirm' && link.status === 'confirmed') throw new MizanError('ILLEGAL_TRANSITION', `link ${id} is already confirmed`);
    if (decision === 'undo' && link.status === 'undone') throw new MizanError('ILLEGAL_TRANSITION', `link ${id} is already undone`);
    const visibility = link.visibility === 'public' ? 'parties' : (link.visibility as 'parties' | 'mediators');
    w.log.append({ kind: `report.link.${decision}`, recordId: id, body: { link: id, report: link.report_id, incident: link.incident_id, previous: link.status }, visibility, author: w.author, at: w.recordedAt });
    await w.tx.updateTable('monitor_links').set({ status: next, decided_by: w.author.user ?? null }).where('id', '=', id).execute();
    if (decision === 'confirm') {
      const rep = await w.tx.selectFrom('monitor_reports').select(['monitor_id', 'number']).where('id', '=', link.report_id).executeTakeFirst();
      if (rep) await queueOutbound(w.tx, app, rep.monitor_id, 'decision', link.report_id, (lang) => replyText.status(lang, rep.number, 'confirmed', null));
    }
    return { id, report: link.report_id, incident: link.incident_id, status: next };
  });
}

// ---------------------------------------------------------------------------------------------
// Delegated publication: a public incident under the mediator's name, with a confirmed link.

const Publication = z.strictObject({
  incident_id: Id.optional(),
  title: z.string().min(1).max(500).optional(),
  country: z.enum(['AFG', 'PAK']).optional(),
});

export async function publishReport(app: Mizan, p: Principal, id: string, body: unknown) {
  authorizeMonitors(p, 'report.publish');
  const input = parseOrThrow(Publication, body ?? {}, 'the publication');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('monitor_reports').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('report', id);
    if (row.status !== 'received') throw new MizanError('ILLEGAL_TRANSITION', `report ${id} is ${row.status}; only a received report is published`);
    const r = JSON.parse(row.doc) as StoredReport;
    // Publication speaks for the monitor in public, so only the monitor's own request allows it.
    if (!r.publish_requested) throw new MizanError('ILLEGAL_TRANSITION', `report ${id}: the monitor did not ask for publication (PUB in the SMS, or the form's publish box)`);
    const top = r.report.place.candidates.find((c) => c.country !== null);
    const country = input.country ?? top?.country;
    if (!country) throw new MizanError('VALIDATION_FAILED', 'the publication needs a country', [{ path: ['country'], code: 'required', message: 'the place was not found in the gazetteer: give AFG or PAK' }]);
    const incidentId = input.incident_id ?? `INC-${id}`;
    const exists = await w.tx.selectFrom('incidents').select('id').where('id', '=', incidentId).executeTakeFirst();
    if (exists) throw new MizanError('DUPLICATE_ID', `incident ${incidentId} exists`, [{ path: ['incident_id'], code: 'duplicate_id', message: 'is taken' }]);
    const killed = r.report.killed;
    const inc = parseOrThrow(
      IncidentInput,
      {
        id: incidentId,
        title: input.title ?? `${r.report.sub_event_type} — ${r.report.place.query}`,
        occurred: { local: r.report.occurred.local, zone: r.report.occurred.zone, precision: r.report.occurred.precision },
        location: { country, place: top?.name ?? r.report.place.query, ...(top ? { lat: top.lat, lon: top.lon, geo_precision: 2 } : {}) },
        event_type: r.report.event_type,
        sub_event_type: r.report.sub_event_type,
        ...(killed !== null ? { fatalities: { best: killed } } : {}),
        visibility: 'public',
        notes: [`Reported by a local monitor; published by the mediator.`, r.report.text].filter(Boolean).join(' '),
      },
      'the incident',
    );
    const incident = buildIncident(inc, app.places, w);
    w.record('incidents', 'incident', incidentId, incident, 'public', {
      occurred_from: incident.occurred.from,
      occurred_to: incident.occurred.to,
      country: incident.location.country,
      admin1: incident.location.admin1 ?? null,
      admin2: incident.location.admin2 ?? null,
      event_type: incident.event_type,
    });
    w.queue('search_docs', { kind: 'incident', record_id: incidentId, incident_id: incidentId, visibility: 'public', text: [incident.title, incident.location.place, incident.event_type, incident.sub_event_type].filter(Boolean).join(' ') });
    w.statement('report.publication', { report: id, incident: incidentId }, 'parties', id);
    await w.tx.updateTable('monitor_reports').set({ status: 'published', incident_id: incidentId }).where('id', '=', id).execute();
    await queueOutbound(w.tx, app, row.monitor_id, 'decision', id, (lang) => replyText.status(lang, row.number, 'published', null));
    return { report: id, incident: incidentId, status: 'published' };
  });
}

// ---------------------------------------------------------------------------------------------
// Reliability history: a mediator records whether a report was later corroborated or contradicted.

const Assessment = z.strictObject({ outcome: z.enum(['corroborated', 'contradicted']), note: z.string().max(2000).optional() });

export async function assessReport(app: Mizan, p: Principal, id: string, body: unknown) {
  authorizeMonitors(p, 'report.publish');
  const input = parseOrThrow(Assessment, body, 'the assessment');
  return app.write(p, async (w) => {
    const row = await w.tx.selectFrom('monitor_reports').select(['monitor_id']).where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('report', id);
    const n = await w.tx.selectFrom('monitor_assessments').select((eb) => eb.fn.countAll<number>().as('n')).where('report_id', '=', id).executeTakeFirstOrThrow();
    const aid = `${id}.assess${Number(n.n) + 1}`;
    const logIndex = w.statement('report.assessment', { id: aid, report: id, ...input }, 'mediators', aid);
    w.queue('monitor_assessments', { id: aid, monitor_id: row.monitor_id, report_id: id, outcome: input.outcome, note: input.note ?? null, log_index: logIndex, recorded_at: w.recordedAt });
    return { id: aid, report: id, ...input };
  });
}

export async function monitorReliability(app: Mizan, p: Principal, monitorId: string) {
  authorizeMonitors(p, 'monitor.read');
  const m = await app.store.db.selectFrom('monitors').select('id').where('id', '=', monitorId).executeTakeFirst();
  if (!m) throw notFound('monitor', monitorId);
  const rows = await app.store.db.selectFrom('monitor_assessments').select(['id', 'report_id', 'outcome', 'note', 'recorded_at']).where('monitor_id', '=', monitorId).orderBy('log_index').execute();
  return { monitor: monitorId, ...reliabilitySummary(rows.map((r) => r.outcome as 'corroborated' | 'contradicted')), history: rows };
}

// ---------------------------------------------------------------------------------------------
// Outbound messages: replies, decisions and mediator messages through the outbox.

async function queueOutbound(tx: Tx, app: Mizan, monitorId: string, kind: 'reply' | 'decision' | 'message' | 'news', reportId: string | null, text: (lang: Lang) => string, status = 'queued'): Promise<string | null> {
  const m = await tx.selectFrom('monitors').select(['doc', 'opted_out', 'status']).where('id', '=', monitorId).executeTakeFirst();
  // STOP means no more outbound messages; a direct reply to the monitor's own SMS is still returned.
  if (!m || (kind !== 'reply' && (m.opted_out === 1 || m.status !== 'active'))) return null;
  const lang = (JSON.parse(m.doc) as { languages: Lang[] }).languages[0] ?? 'en';
  const now = app.clock().toISOString();
  const id = `OUT-${randomBytes(8).toString('hex')}`;
  await tx.insertInto('monitor_outbox').values({ id, monitor_id: monitorId, kind, lang, text: fitSms(text(lang)), status, report_id: reportId, created_at: now, updated_at: now }).execute();
  return id;
}

const Message = z.strictObject({ text: z.string().min(1).max(459), report: Id.optional() });

/** "What the mechanism decided": a mediator's message to one monitor, logged as a commitment. */
export async function messageMonitor(app: Mizan, p: Principal, monitorId: string, body: unknown) {
  authorizeMonitors(p, 'monitor.message');
  const input = parseOrThrow(Message, body, 'the message');
  return app.write(p, async (w) => {
    const m = await w.tx.selectFrom('monitors').select('id').where('id', '=', monitorId).executeTakeFirst();
    if (!m) throw notFound('monitor', monitorId);
    w.statement('monitor.message', { monitor: monitorId, report: input.report ?? null, text: input.text }, 'mediators', monitorId);
    const id = await queueOutbound(w.tx, app, monitorId, 'message', input.report ?? null, () => input.text);
    return { id, queued: id !== null };
  });
}

const Broadcast = z.strictObject({ district: z.string().min(1).max(200), text: z.string().min(1).max(459) });

/** Agreement news or a finding summary for every active monitor of a district (those who sent STOP are skipped). */
export async function broadcastToDistrict(app: Mizan, p: Principal, body: unknown) {
  authorizeMonitors(p, 'monitor.message');
  const input = parseOrThrow(Broadcast, body, 'the broadcast');
  return app.write(p, async (w) => {
    const rows = await w.tx.selectFrom('monitors').select(['id', 'doc']).where('status', '=', 'active').execute();
    const key = input.district.trim().toLowerCase();
    const targets = rows.filter((r) => (JSON.parse(r.doc) as { districts: string[] }).districts.some((d) => d.trim().toLowerCase() === key));
    w.statement('monitor.broadcast', { district: input.district, text: input.text }, 'parties', null);
    let queued = 0;
    for (const t of targets) if (await queueOutbound(w.tx, app, t.id, 'news', null, () => input.text)) queued++;
    return { district: input.district, queued };
  });
}

// News the mechanism sends by itself, in the same transaction as the write that makes it true.

/** Active monitors whose districts include one of `places` (compared without case), or all of them. */
async function monitorsIn(tx: Tx, places: readonly string[] | 'all'): Promise<string[]> {
  const rows = await tx.selectFrom('monitors').select(['id', 'doc']).where('status', '=', 'active').execute();
  if (places === 'all') return rows.map((r) => r.id);
  const wanted = new Set(places.map((p) => p.trim().toLowerCase()));
  return rows.filter((r) => (JSON.parse(r.doc) as { districts: string[] }).districts.some((d) => wanted.has(d.trim().toLowerCase()))).map((r) => r.id);
}

/**
 * A finding reaches the monitors of the districts where its public incidents happened. Only a public
 * allegation's finding is sent: an SMS leaves the system, so nothing hidden may go out this way.
 */
export async function newsOfFinding(w: WriteSession, app: Mizan, allegation: { incidents: readonly string[]; visibility: string }, outcome: FindingWord): Promise<number> {
  if (allegation.visibility !== 'public') return 0;
  const rows = await w.tx.selectFrom('incidents').select('doc').where('id', 'in', [...allegation.incidents]).where('visibility', '=', 'public').execute();
  let queued = 0;
  for (const row of rows) {
    const loc = (JSON.parse(row.doc) as { location: { place?: string; admin2?: string } }).location;
    const districts = [loc.admin2, loc.place].filter((x): x is string => typeof x === 'string' && x !== '');
    if (districts.length === 0) continue;
    for (const id of await monitorsIn(w.tx, districts)) if (await queueOutbound(w.tx, app, id, 'news', null, (lang) => replyText.finding(lang, districts[0]!, outcome))) queued++;
  }
  return queued;
}

/** An extension or the end of a ceasefire reaches every active monitor: the agreements cover the whole border. */
export async function newsOfAgreement(w: WriteSession, app: Mizan, agreementId: string, news: AgreementNews): Promise<number> {
  let queued = 0;
  for (const id of await monitorsIn(w.tx, 'all')) if (await queueOutbound(w.tx, app, id, 'news', null, (lang) => replyText.agreement(lang, agreementId, news))) queued++;
  return queued;
}

/**
 * The gateway collects queued messages with the numbers to send them to (decrypted here, the one
 * place a number leaves the server) and they become `sent`; delivery reports follow.
 */
export async function pullOutbox(app: Mizan, nonce: string, limit = 100) {
  return app.store.transaction(async (tx) => {
    // A captured, validly signed pull replayed within the five minutes must not leak numbers again.
    const key = `pull:${nonce}`;
    if (await tx.selectFrom('monitor_inbound').select('message_id').where('message_id', '=', key).executeTakeFirst()) throw new MizanError('DUPLICATE_ID', 'this pull nonce was already used');
    await tx.insertInto('monitor_inbound').values({ message_id: key, received_at: app.clock().toISOString() }).execute();
    const rows = await tx.selectFrom('monitor_outbox').select(['id', 'monitor_id', 'text']).where('status', '=', 'queued').orderBy('created_at').limit(limit).execute();
    const out: { id: string; to: string; text: string }[] = [];
    const now = app.clock().toISOString();
    for (const r of rows) {
      const m = r.monitor_id ? await tx.selectFrom('monitors').select(['identity_enc', 'status', 'opted_out']).where('id', '=', r.monitor_id).executeTakeFirst() : undefined;
      const ok = m && m.identity_enc && m.status === 'active' && m.opted_out === 0;
      await tx.updateTable('monitor_outbox').set({ status: ok ? 'sent' : 'failed', updated_at: now }).where('id', '=', r.id).execute();
      if (ok) out.push({ id: r.id, to: normalizePhone(decryptIdentity(app, m.identity_enc!).phone), text: r.text });
    }
    return { messages: out };
  });
}

export async function listOutbox(app: Mizan, p: Principal, status?: string) {
  authorizeMonitors(p, 'monitor.read');
  let q = app.store.db.selectFrom('monitor_outbox').selectAll();
  if (status) q = q.where('status', '=', status);
  return { items: await q.orderBy('created_at', 'desc').limit(500).execute() };
}

export const DeliveryStatus = z.strictObject({ id: z.string().min(1).max(64), status: z.enum(['sent', 'delivered', 'failed']) });

/** The gateway reports delivery; the request is signed like the inbound webhook (Body = the status). */
export async function updateDelivery(app: Mizan, input: z.infer<typeof DeliveryStatus>) {
  const r = await app.store.db.updateTable('monitor_outbox').set({ status: input.status, updated_at: app.clock().toISOString() }).where('id', '=', input.id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw notFound('message', input.id);
  return { id: input.id, status: input.status };
}

// ---------------------------------------------------------------------------------------------
// SMS intake

export interface SmsReply {
  readonly reply: string;
  readonly lang: Lang;
  readonly report?: { readonly id: string; readonly number: number };
  readonly error?: { readonly code: string; readonly position: number };
}

const UNKNOWN_SENDER = 'Mizan: this number is not registered. / میزان: دا شمېره نه ده ثبت شوې.';

/**
 * One inbound SMS: parse, write (report or correction) and answer in the monitor's language.
 * A message that does not parse writes nothing; the reply says what was wrong.
 */
export async function receiveSms(app: Mizan, msg: { from: string; body: string; messageId: string }): Promise<SmsReply> {
  const hmac = phoneHmac(app, msg.from);
  const m = await app.store.db.selectFrom('monitors').selectAll().where('phone_hmac', '=', hmac).where('status', '=', 'active').executeTakeFirst();
  if (!m) return { reply: UNKNOWN_SENDER, lang: 'en' };
  const profile = profileOf(m);
  const received = app.clock().toISOString();
  const parsed = parseSms(msg.body, { zone: m.zone, receivedAt: received });
  const lang: Lang = profile.languages[0] ?? parsed.lang ?? 'en';
  if (!parsed.ok) return { reply: replyText.error(lang, parsed.error.code, parsed.error.message), lang, error: { code: parsed.error.code, position: parsed.error.position } };
  const cmd: SmsCommand = parsed.command;
  const seen = await app.store.db.selectFrom('monitor_inbound').select('message_id').where('message_id', '=', msg.messageId).executeTakeFirst();
  if (seen) throw new MizanError('DUPLICATE_ID', `message ${msg.messageId} was already received`);
  const system: Principal = { kind: 'system' };
  switch (cmd.type) {
    case 'status': {
      const row = await app.store.db.selectFrom('monitor_reports').select(['id', 'status', 'incident_id']).where('number', '=', cmd.of).where('monitor_id', '=', m.id).executeTakeFirst();
      if (!row) return { reply: replyText.unknownReport(lang, cmd.of), lang };
      const confirmed = await app.store.db.selectFrom('monitor_links').select('id').where('report_id', '=', row.id).where('status', '=', 'confirmed').executeTakeFirst();
      const candidate = await app.store.db.selectFrom('monitor_links').select('id').where('report_id', '=', row.id).where('status', '=', 'candidate').executeTakeFirst();
      const state: ReportState = row.status === 'published' ? 'published' : row.status === 'superseded' ? 'superseded' : confirmed ? 'confirmed' : candidate ? 'linked' : 'received';
      const reply = replyText.status(lang, cmd.of, state, null);
      await app.store.transaction(async (tx) => {
        await tx.insertInto('monitor_inbound').values({ message_id: msg.messageId, received_at: received }).execute();
        await queueOutbound(tx, app, m.id, 'reply', row.id, () => reply, 'sent');
      });
      return { reply, lang };
    }
    case 'stop': {
      await app.store.transaction(async (tx) => {
        await tx.insertInto('monitor_inbound').values({ message_id: msg.messageId, received_at: received }).execute();
        await tx.updateTable('monitors').set({ opted_out: 1 }).where('id', '=', m.id).execute();
      });
      return { reply: replyText.stop(lang), lang };
    }
    case 'report':
    case 'correction': {
      const report = withCandidates(app, cmd.report);
      let supersedes: StoredReport | null = null;
      if (cmd.type === 'correction') {
        const old = await app.store.db.selectFrom('monitor_reports').select(['doc', 'status']).where('number', '=', cmd.of).where('monitor_id', '=', m.id).executeTakeFirst();
        if (!old) return { reply: replyText.unknownReport(lang, cmd.of), lang };
        supersedes = JSON.parse(old.doc) as StoredReport;
      }
      const stored = await app.write(system, async (w) => {
        // Re-checked inside the transaction: two deliveries of one message race to here.
        if (await w.tx.selectFrom('monitor_inbound').select('message_id').where('message_id', '=', msg.messageId).executeTakeFirst()) throw new MizanError('DUPLICATE_ID', `message ${msg.messageId} was already received`);
        await w.tx.insertInto('monitor_inbound').values({ message_id: msg.messageId, received_at: received }).execute();
        const s = await writeReport(w, { monitor: m, channel: 'sms', raw: msg.body, report, visibility: supersedes?.visibility === 'parties' ? 'parties' : 'mediators', publishRequested: cmd.publish, supersedes, idempotencyKey: null, messageId: msg.messageId });
        const reply = cmd.type === 'correction' ? replyText.correction(lang, s.number, cmd.of) : replyText.receipt(lang, s.number);
        await queueOutbound(w.tx, app, m.id, 'reply', s.id, () => reply, 'sent');
        return { s, reply };
      });
      return { reply: stored.reply, lang, report: { id: stored.s.id, number: stored.s.number } };
    }
    default: {
      const never: never = cmd;
      return never;
    }
  }
}
