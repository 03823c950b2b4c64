import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { AllegationState } from '../domain/allegation.js';
import {
  AccessDenialInput,
  AllegationInput,
  FindingInput,
  nextState,
  OpinionInput,
  RemedyInput,
  RemedyProgressInput,
  ReplyInput,
  replyDeadline,
  TaskInput,
  TaskOutcomeInput,
} from '../domain/allegation.js';
import type { Visibility } from '../domain/common.js';
import { Visibility as VisibilitySchema } from '../domain/common.js';
import { MizanError, notFound } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { SYSTEM } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { getRecord } from '../store/read.js';
import { visibleLevels } from '../store/scope.js';
import { requireCitedEvidence } from './evidence.js';
import type { Mizan } from './mizan.js';
import { newsOfFinding } from './monitors.js';
import type { WriteSession } from './session.js';
import { kickWebhooks, stopWebhooks } from './webhooks.js';

interface HistoryItem {
  at: string;
  event: string;
  by: string;
  log_index: number;
}

export interface Allegation extends z.infer<typeof AllegationInput> {
  visibility: Visibility;
  state: AllegationState;
  filed_at: string;
  reply_deadline: string;
  assessment_at_filing: unknown[] | null;
  reply: (z.infer<typeof ReplyInput> & { at: string; by_user: string | null; log_index: number }) | null;
  tasks: (z.infer<typeof TaskInput> & { id: string; opened_at: string; outcome: (z.infer<typeof TaskOutcomeInput> & { at: string }) | null })[];
  access_denials: (z.infer<typeof AccessDenialInput> & { recorded_at: string; log_index: number })[];
  finding: (z.infer<typeof FindingInput> & { at: string; by: string | null; log_index: number }) | null;
  opinions: (z.infer<typeof OpinionInput> & { party: string; at: string; log_index: number })[];
  remedies: { id: string; text: string; due?: string | undefined; status: string; history: { at: string; status: string; text?: string | undefined }[] }[];
  reminded: boolean;
  history: HistoryItem[];
  log_index: number;
  recorded_at: string;
}

const FileBody = AllegationInput.extend({ visibility: VisibilitySchema.optional() });

function actorName(p: Principal): string {
  return p.kind === 'user' ? p.name : p.kind;
}

interface AgreementTerms {
  parties: string[];
  mediators: string[];
  reply_deadline_hours?: number;
  obligations: { id: string }[];
}

// The stored doc was validated when the agreement was recorded, so it is read back as it is.
async function agreementOf(w: WriteSession | Mizan, id: string): Promise<AgreementTerms | null> {
  const db = 'tx' in w ? w.tx : w.store.db;
  const row = await db.selectFrom('agreements').select('doc').where('id', '=', id).executeTakeFirst();
  return row ? (JSON.parse(row.doc) as AgreementTerms) : null;
}

async function notify(w: WriteSession, party: string, kind: string, subject: string, text: string): Promise<void> {
  w.queue('notifications', { id: `n_${randomBytes(8).toString('hex')}`, party, user_id: null, at: w.recordedAt, kind, subject, text, read_at: null });
}

/** How long before its reply deadline the accused party is reminded. */
const REMINDER_LEAD_MS = 24 * 3_600_000;

/** File an allegation: checks the agreement, the parties, the cited records; the deadline starts now. */
export async function fileAllegation(app: Mizan, p: Principal, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(FileBody, body, 'the allegation');
  authorize(p, 'allegation.file', { by: input.by });
  // Computed before the transaction: on SQLite the write holds the only connection.
  const assessment = app.assessIncidents ? await app.assessIncidents(input.incidents, input.agreement) : null;
  const filed = await app.write(p, async (w) => {
    const agreement = await agreementOf(w, input.agreement);
    const field = (path: string, message: string) => new MizanError('VALIDATION_FAILED', `the allegation is not valid: ${message}`, [{ path: [path], code: 'invalid_reference', message }]);
    if (!agreement) throw field('agreement', `no agreement with id ${JSON.stringify(input.agreement)}`);
    if (!agreement.parties.includes(input.by)) throw field('by', `${input.by} is not a party to ${input.agreement}`);
    if (!agreement.parties.includes(input.against) || input.against === input.by) throw field('against', `${input.against} is not another party to ${input.agreement}`);
    for (const [i, o] of (input.obligations ?? []).entries()) {
      if (!agreement.obligations.some((x) => x.id === o)) throw new MizanError('VALIDATION_FAILED', 'the allegation is not valid', [{ path: ['obligations', i], code: 'invalid_reference', message: `${input.agreement} has no obligation ${o}` }]);
    }
    const levels = visibleLevels(p);
    for (const [i, id] of input.incidents.entries()) {
      if (!(await getRecord(w.tx, 'incidents', id, levels))) throw new MizanError('VALIDATION_FAILED', 'the allegation is not valid', [{ path: ['incidents', i], code: 'invalid_reference', message: `no incident ${id}` }]);
    }
    for (const [i, id] of (input.claims ?? []).entries()) {
      if (!(await getRecord(w.tx, 'claims', id, levels))) throw new MizanError('VALIDATION_FAILED', 'the allegation is not valid', [{ path: ['claims', i], code: 'invalid_reference', message: `no claim ${id}` }]);
    }
    await requireCitedEvidence(w, input.evidence);
    if (await w.tx.selectFrom('allegations').select('id').where('id', '=', input.id).executeTakeFirst()) {
      throw new MizanError('DUPLICATE_ID', `an allegation ${input.id} already exists`, [{ path: ['id'], code: 'duplicate_id', message: 'is taken' }]);
    }
    const { visibility = 'public', ...rest } = input;
    const deadline = replyDeadline(w.recordedAt, agreement.reply_deadline_hours);
    const state = nextState('filed', 'filed');
    const doc = {
      ...rest,
      visibility,
      state,
      filed_at: w.recordedAt,
      reply_deadline: deadline,
      assessment_at_filing: assessment,
      reply: null,
      tasks: [],
      access_denials: [],
      finding: null,
      opinions: [],
      remedies: [],
      // With a window of 24 hours or less, the filing notice already names a deadline within a
      // day: a "due in 24 h" reminder would arrive with it and say nothing new.
      reminded: Date.parse(deadline) - Date.parse(w.recordedAt) <= REMINDER_LEAD_MS,
    };
    const logIndex = w.record('allegations', 'allegation', input.id, doc, visibility, {
      agreement_id: input.agreement,
      by_party: input.by,
      against_party: input.against,
      state,
      reply_deadline: deadline,
    });
    // The history is part of the stored view only; its first item is the filing entry itself.
    await w.flush();
    const saved: Allegation = { ...doc, history: [{ at: w.recordedAt, event: 'filed', by: actorName(p), log_index: logIndex }], log_index: logIndex, recorded_at: w.recordedAt };
    await saveDoc(w, saved);
    await notify(w, input.against, 'allegation_filed', input.id, `${input.by} filed allegation ${input.id} against ${input.against}; reply due ${deadline}`);
    return saved;
  });
  kickWebhooks(app);
  return filed;
}

async function loadForUpdate(w: WriteSession, id: string, p: Principal): Promise<Allegation> {
  const row = await w.tx.selectFrom('allegations').select(['doc', 'visibility']).where('id', '=', id).executeTakeFirst();
  if (!row || !visibleLevels(p).includes(row.visibility as Visibility)) throw notFound('allegation', id);
  return JSON.parse(row.doc) as Allegation;
}

async function saveDoc(w: WriteSession, a: Allegation): Promise<void> {
  await w.tx.updateTable('allegations').set({ doc: JSON.stringify(a), state: a.state }).where('id', '=', a.id).execute();
}

/** One event on an allegation: a log entry (kind `allegation.<event>`), the new state and history. */
function recordEvent(w: WriteSession, a: Allegation, event: string, body: object): number {
  const logIndex = w.statement(`allegation.${event}`, { allegation: a.id, ...body }, a.visibility);
  a.history.push({ at: w.recordedAt, event, by: w.author.user ?? 'system', log_index: logIndex });
  return logIndex;
}

/** Deadlines are enforced on every access: an overdue allegation is marked before anything else happens. */
async function settleDeadline(w: WriteSession, a: Allegation): Promise<void> {
  if (a.state === 'awaiting_reply' && Date.parse(a.reply_deadline) <= Date.parse(w.recordedAt)) {
    a.state = nextState(a.state, 'reply_overdue');
    recordEvent(w, a, 'reply_overdue', { deadline: a.reply_deadline, reply: 'no_reply' });
    await notify(w, a.by, 'reply_overdue', a.id, `${a.against} did not reply to ${a.id} by ${a.reply_deadline}`);
    await notify(w, a.against, 'reply_overdue', a.id, `the reply deadline for ${a.id} has passed; it is recorded as no reply`);
  }
}

async function update(app: Mizan, p: Principal, id: string, fn: (w: WriteSession, a: Allegation, agreement: { mediators: string[] }) => Promise<void> | void): Promise<Allegation> {
  // The overdue transition is committed even when the action itself is then refused.
  await sweepOverdue(app, [id]);
  const updated = await app.write(p, async (w) => {
    const a = await loadForUpdate(w, id, p);
    const agreement = (await agreementOf(w, a.agreement)) ?? { mediators: [] };
    await fn(w, a, agreement);
    await saveDoc(w, a);
    return a;
  });
  // Webhooks go out only once the write has committed, and never hold it up.
  kickWebhooks(app);
  return updated;
}

export function replyToAllegation(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(ReplyInput, body, 'the reply');
  return update(app, p, id, async (w, a) => {
    authorize(p, 'allegation.reply', { by: a.against });
    a.state = nextState(a.state, 'replied');
    await requireCitedEvidence(w, input.evidence);
    const logIndex = recordEvent(w, a, 'reply', input);
    a.reply = { ...input, at: w.recordedAt, by_user: w.author.user ?? null, log_index: logIndex };
    return notify(w, a.by, 'allegation_replied', a.id, `${a.against} replied (${input.kind}) to ${a.id}`);
  });
}

export function openTask(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(TaskInput, body, 'the verification task');
  return update(app, p, id, (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    if (a.state === 'finding') throw new MizanError('ILLEGAL_TRANSITION', 'the finding is issued; no new verification tasks');
    a.state = nextState(a.state, 'task_opened');
    const taskId = `${a.id}.task${a.tasks.length + 1}`;
    recordEvent(w, a, 'task', { task: taskId, ...input });
    a.tasks.push({ ...input, id: taskId, opened_at: w.recordedAt, outcome: null });
  });
}

export function recordTaskOutcome(app: Mizan, p: Principal, id: string, taskId: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(TaskOutcomeInput, body, 'the task outcome');
  return update(app, p, id, async (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    const task = a.tasks.find((t) => t.id === taskId);
    if (!task) throw notFound('verification task', taskId);
    if (task.outcome) throw new MizanError('ILLEGAL_TRANSITION', `task ${taskId} already has an outcome`);
    await requireCitedEvidence(w, input.evidence);
    recordEvent(w, a, 'task_outcome', { task: taskId, ...input });
    task.outcome = { ...input, at: w.recordedAt };
  });
}

export function recordAccessDenial(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(AccessDenialInput, body, 'the access denial');
  return update(app, p, id, (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    if (input.party !== a.by && input.party !== a.against) throw new MizanError('VALIDATION_FAILED', 'the access denial is not valid', [{ path: ['party'], code: 'invalid_reference', message: `${input.party} is not a party to this allegation` }]);
    const logIndex = recordEvent(w, a, 'access_denial', input);
    a.access_denials.push({ ...input, recorded_at: w.recordedAt, log_index: logIndex });
  });
}

export function issueFinding(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(FindingInput, body, 'the finding');
  return update(app, p, id, async (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    a.state = nextState(a.state, 'finding');
    const logIndex = recordEvent(w, a, 'finding', input);
    a.finding = { ...input, at: w.recordedAt, by: p.kind === 'user' ? p.party : null, log_index: logIndex };
    for (const party of [a.by, a.against]) await notify(w, party, 'finding_issued', a.id, `finding on ${a.id}: ${input.outcome}`);
    await newsOfFinding(w, app, a, input.outcome);
  });
}

export function addOpinion(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(OpinionInput, body, 'the opinion');
  return update(app, p, id, (w, a) => {
    const party = p.kind === 'user' ? (p.party ?? '') : '';
    authorize(p, 'allegation.opinion', { by: party });
    if (party !== a.by && party !== a.against) throw new MizanError('FORBIDDEN', 'only the two parties to the allegation give opinions on its finding');
    if (!a.finding) throw new MizanError('ILLEGAL_TRANSITION', 'there is no finding to give an opinion on yet');
    const logIndex = recordEvent(w, a, 'opinion', { party, ...input });
    a.opinions.push({ ...input, party, at: w.recordedAt, log_index: logIndex });
  });
}

export function addRemedy(app: Mizan, p: Principal, id: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(RemedyInput, body, 'the remedy');
  return update(app, p, id, (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    if (a.finding?.outcome !== 'substantiated') throw new MizanError('ILLEGAL_TRANSITION', 'remedies follow a substantiated finding');
    const remedyId = `${a.id}.remedy${a.remedies.length + 1}`;
    recordEvent(w, a, 'remedy', { remedy: remedyId, ...input });
    a.remedies.push({ id: remedyId, text: input.text, due: input.due, status: 'agreed', history: [{ at: w.recordedAt, status: 'agreed' }] });
  });
}

export function recordRemedyProgress(app: Mizan, p: Principal, id: string, remedyId: string, body: unknown): Promise<Allegation> {
  const input = parseOrThrow(RemedyProgressInput, body, 'the remedy progress');
  return update(app, p, id, (w, a, ag) => {
    authorize(p, 'allegation.review', { mediators: ag.mediators });
    const remedy = a.remedies.find((r) => r.id === remedyId);
    if (!remedy) throw notFound('remedy', remedyId);
    if (remedy.status === 'completed') throw new MizanError('ILLEGAL_TRANSITION', `remedy ${remedyId} is already completed`);
    recordEvent(w, a, 'remedy_progress', { remedy: remedyId, ...input });
    remedy.status = input.status;
    remedy.history.push({ at: w.recordedAt, status: input.status, text: input.text });
  });
}

/**
 * Mark every allegation whose reply deadline has passed as `reply_overdue` (a log entry each),
 * and remind the accused party 24 hours before. Run on access and by the server's timer.
 */
export async function sweepOverdue(app: Mizan, only?: string[]): Promise<number> {
  const now = app.clock();
  const soon = new Date(now.getTime() + REMINDER_LEAD_MS).toISOString();
  let q = app.store.db.selectFrom('allegations').select('id').where('state', '=', 'awaiting_reply').where('reply_deadline', '<=', soon);
  if (only) q = q.where('id', 'in', only);
  const due = await q.execute();
  if (due.length === 0) return 0;
  let changed = 0;
  await app.write(SYSTEM, async (w) => {
    for (const { id } of due) {
      const a = await loadForUpdate(w, id, SYSTEM);
      if (a.state !== 'awaiting_reply') continue;
      if (Date.parse(a.reply_deadline) <= now.getTime()) {
        await settleDeadline(w, a);
        changed++;
      } else if (!a.reminded) {
        a.reminded = true;
        await notify(w, a.against, 'reply_due_soon', a.id, `reply to ${a.id} is due by ${a.reply_deadline}`);
      } else continue;
      await saveDoc(w, a);
    }
  });
  kickWebhooks(app);
  return changed;
}

/**
 * The server's clock for deadlines: marks overdue allegations, writes the 24-hour reminders and
 * retries webhook deliveries even when nobody reads an allegation. Returns the stop function.
 */
export function startDeadlineTimer(app: Mizan, everyMs = 60_000, onError: (e: unknown) => void = () => undefined): () => Promise<void> {
  // Deliveries are kicked even when the sweep fails: retries must not wait on the deadlines.
  const tick = () => void sweepOverdue(app).catch(onError).finally(() => kickWebhooks(app));
  const timer = setInterval(tick, everyMs);
  tick();
  return async () => {
    clearInterval(timer);
    await stopWebhooks(app);
  };
}

export const AllegationQuery = z.strictObject({
  state: z.enum(['filed', 'awaiting_reply', 'replied', 'reply_overdue', 'under_review', 'finding']).optional(),
  party: z.string().max(128).optional(),
  agreement: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export async function listAllegations(app: Mizan, p: Principal, q: z.infer<typeof AllegationQuery>) {
  await sweepOverdue(app);
  const where: Record<string, string> = {};
  if (q.state) where.state = q.state;
  if (q.agreement) where.agreement_id = q.agreement;
  const page = await app.list(p, 'allegations', q.limit, q.cursor, where);
  if (q.party) return { ...page, items: page.items.filter((a) => (a as Allegation).by === q.party || (a as Allegation).against === q.party) };
  return page;
}

export async function getAllegation(app: Mizan, p: Principal, id: string) {
  await sweepOverdue(app, [id]);
  return app.get(p, 'allegations', id);
}

/** Access denials counted per party, across all allegations the caller may see. */
export async function accessDenialCounts(app: Mizan, p: Principal): Promise<{ party: string; denials: number }[]> {
  const rows = await app.store.db.selectFrom('allegations').select('doc').where('visibility', 'in', visibleLevels(p)).execute();
  const counts = new Map<string, number>();
  for (const r of rows) for (const d of (JSON.parse(r.doc) as Allegation).access_denials) counts.set(d.party, (counts.get(d.party) ?? 0) + 1);
  return [...counts].map(([party, denials]) => ({ party, denials })).sort((a, b) => b.denials - a.denials);
}

/** The inbox of a delegate's or mediator's party. */
export async function inbox(app: Mizan, p: Principal, limit = 100) {
  if (p.kind !== 'user' || !p.party) return [];
  return app.store.db.selectFrom('notifications').selectAll().where('party', '=', p.party).orderBy('at', 'desc').limit(limit).execute();
}
