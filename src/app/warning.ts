import type { Claim } from '../domain/claim.js';
import type { Incident } from '../domain/incident.js';
import { MizanError } from '../domain/errors.js';
import type { Party } from '../domain/party.js';
import { readsUnpublishedReports } from '../domain/policy.js';
import type { Principal } from '../domain/principal.js';
import { visibleLevels } from '../store/scope.js';
import type { StoredReport } from './monitors.js';
import type { AlertThresholds, DyadModelView, Indicator, PeaceIndicator, RetaliationChain, WarningAlert, WarningEvent } from '../warning/index.js';
import { computeAlerts, computeIndicators, DEFAULT_CHAIN_WINDOW_HOURS, DEFAULT_THRESHOLDS, detectChains, dyadModel, eventsFromRecords, forecastAlerts, peaceIndicators, renderCap } from '../warning/index.js';
import type { Mizan } from './mizan.js';
import { eventsScope, Lru, peaceScope } from './warning-cache.js';

/** The name alerts are sent under (CAP `sender`). */
export const CAP_SENDER = 'mizan-early-warning';

/**
 * The warning engine's input from the store, as the caller may see it: only incidents and claims
 * in the caller's scope become events, so no indicator, chain or alert rests on a record the
 * caller cannot read.
 */
export async function warningEvents(app: Mizan, p: Principal): Promise<WarningEvent[]> {
  const db = app.store.db;
  const levels = visibleLevels(p);
  const docs = <T>(rows: { doc: string }[]) => rows.map((r) => JSON.parse(r.doc) as T);
  const [parties, actors, incidents, claims] = await Promise.all([
    db.selectFrom('parties').select('doc').execute().then((r) => docs<Party>(r)),
    db.selectFrom('actors').select('doc').execute().then((r) => docs<{ id: string; controlled_by: string | null }>(r)),
    db.selectFrom('incidents').select('doc').where('visibility', 'in', levels).execute().then((r) => docs<Incident>(r)),
    db.selectFrom('claims').select('doc').where('visibility', 'in', levels).execute().then((r) => docs<Claim>(r)),
  ]);
  return eventsFromRecords({
    parties: parties.map((x) => ({ id: x.id, country: x.country ?? null })),
    actors: actors.map((a) => ({ id: a.id, controlled_by: a.controlled_by })),
    incidents,
    claims,
  });
}

export interface WarningOptions {
  /** ISO 8601; defaults to the app clock. */
  readonly asOf?: string;
  readonly windowHours?: number;
  readonly thresholds?: Partial<AlertThresholds>;
  /** Fit the Hawkes model (and so the forecast alerts); views that show neither skip it. Default true. */
  readonly forecast?: boolean;
}

export interface WarningView {
  readonly as_of: string;
  readonly window_hours: number;
  readonly thresholds: AlertThresholds;
  readonly events: number;
  readonly indicators: Indicator[];
  readonly chains: RetaliationChain[];
  readonly alerts: WarningAlert[];
  /** The Hawkes model over the dyads and its 7-day forecast; null with too few events to fit. */
  readonly model: DyadModelView | null;
  readonly peace: PeaceIndicator[];
}

function asOfMs(app: Mizan, asOf: string | undefined): number {
  const ms = asOf ? Date.parse(asOf) : app.clock().getTime();
  if (!Number.isFinite(ms)) throw new MizanError('VALIDATION_FAILED', 'as_of is not a date-time', [{ path: ['as_of'], code: 'invalid_date', message: 'must be an ISO 8601 date-time' }]);
  return ms;
}

/** Indicators, chains, the model's forecast, peace indicators and alerts in one pass, as of an instant (only events before it count). */
export async function warningView(app: Mizan, p: Principal, opts: WarningOptions = {}): Promise<WarningView> {
  const asOf = asOfMs(app, opts.asOf);
  const windowHours = opts.windowHours ?? DEFAULT_CHAIN_WINDOW_HOURS;
  const thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  // Read before any row: see warning-cache.ts for why this order keeps the caches from going stale.
  const logSize = await app.log.size();
  const [visible, reports] = await Promise.all([cachedEvents(app, p, logSize), cachedPeaceReports(app, p, logSize)]);
  const events = visible.filter((e) => e.at < asOf);
  const indicators = computeIndicators(events, asOf);
  const chains = detectChains(events, windowHours);
  const model = opts.forecast === false ? null : await cachedModel(app, p, logSize, events, asOf);
  const alerts = [...computeAlerts(events, chains, indicators, asOf, thresholds), ...forecastAlerts(model, events, asOf)];
  const peace = peaceIndicators(reports, asOf);
  return { as_of: new Date(asOf).toISOString(), window_hours: windowHours, thresholds, events: events.length, indicators, chains, alerts, model, peace };
}

interface PeaceReport {
  readonly at: string;
  readonly what: string;
  readonly text: string | null;
  readonly scope: string;
}

/**
 * Per application (so per store), what repeated requests share. Events and reports do not depend
 * on as_of, which only filters them; the model does (its likelihood window ends at as_of and its
 * simulations are seeded by the instant), so its key holds the exact instant.
 */
interface WarningCaches {
  readonly events: Lru<readonly WarningEvent[]>;
  readonly peace: Lru<readonly PeaceReport[]>;
  readonly models: Lru<DyadModelView | null>;
}

// A few scopes, each at the current and the previous log size.
const SCOPE_ENTRIES = 8;
// Instants looked at again: a chosen day in the web app, the as_of of the alerts' CAP links.
const MODEL_ENTRIES = 32;
const caches = new WeakMap<Mizan, WarningCaches>();

function cachesOf(app: Mizan): WarningCaches {
  let c = caches.get(app);
  if (!c) caches.set(app, (c = { events: new Lru(SCOPE_ENTRIES), peace: new Lru(SCOPE_ENTRIES), models: new Lru(MODEL_ENTRIES) }));
  return c;
}

function cachedEvents(app: Mizan, p: Principal, logSize: number): Promise<readonly WarningEvent[]> {
  return cachesOf(app).events.getOrCompute(`${logSize}|${eventsScope(p)}`, async () => Object.freeze(await warningEvents(app, p)));
}

function cachedPeaceReports(app: Mizan, p: Principal, logSize: number): Promise<readonly PeaceReport[]> {
  return cachesOf(app).peace.getOrCompute(`${logSize}|${peaceScope(p)}`, async () => Object.freeze(await peaceReports(app, p)));
}

/** `events` must be the caller's events at `logSize` before `asOf`: the key stands for them. */
function cachedModel(app: Mizan, p: Principal, logSize: number, events: readonly WarningEvent[], asOf: number): Promise<DyadModelView | null> {
  return cachesOf(app).models.getOrCompute(`${logSize}|${eventsScope(p)}|${asOf}`, async () => dyadModel(events, asOf));
}

/**
 * Monitors' reports that count as peace indicators, as the caller may see them. Those who may read
 * reports (mediators, delegates, admins) count every report in their visibility levels that has not
 * been superseded; everyone else counts only published reports, which are public incidents anyway.
 */
async function peaceReports(app: Mizan, p: Principal): Promise<PeaceReport[]> {
  let q = app.store.db.selectFrom('monitor_reports').select('doc').where('status', '!=', 'superseded');
  q = readsUnpublishedReports(p) ? q.where('visibility', 'in', visibleLevels(p)) : q.where('status', '=', 'published');
  const rows = await q.execute();
  return rows.map((r) => {
    const rep = (JSON.parse(r.doc) as StoredReport).report;
    const top = rep.place.candidates.find((c) => c.country !== null);
    const scope = top ? (top.admin1 ? `${top.country}/${top.admin1}` : top.country!) : '(unplaced)';
    return { at: rep.occurred.from, what: rep.what, text: rep.text, scope };
  });
}

/** One alert as a CAP 1.2 document; NOT_FOUND when the caller cannot see an alert with that id. */
export async function capAlert(app: Mizan, p: Principal, id: string, opts: WarningOptions = {}): Promise<string> {
  const view = await warningView(app, p, opts);
  const alert = view.alerts.find((a) => a.id === id);
  if (!alert) throw new MizanError('NOT_FOUND', `no alert ${id} as of ${view.as_of}`);
  return renderCap(alert, { sender: CAP_SENDER, senderName: 'Mizan early warning' });
}
