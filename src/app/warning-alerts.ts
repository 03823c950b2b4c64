import type { Principal } from '../domain/principal.js';
import { SYSTEM } from '../domain/principal.js';
import { visibleLevels } from '../store/scope.js';
import type { WarningAlert } from '../warning/index.js';
import { escapeXml, renderCap } from '../warning/index.js';
import type { Mizan } from './mizan.js';
import type { WarningOptions } from './warning.js';
import { CAP_SENDER, warningView } from './warning.js';

/** Where new alerts are POSTed as CAP XML when no URL is passed: `$MIZAN_WARNING_WEBHOOK`. */
export const WEBHOOK_ENV = 'MIZAN_WARNING_WEBHOOK';
const WEBHOOK_TIMEOUT_MS = 10_000;

export interface RunOptions extends WarningOptions {
  /** Webhook URL; default `$MIZAN_WARNING_WEBHOOK`; null for none. */
  readonly webhook?: string | null;
  /** Where delivery failures are reported (default stderr); they never undo the write. */
  readonly report?: (message: string) => void;
  readonly fetch?: typeof fetch;
}

export interface RunResult {
  readonly as_of: string;
  /** Alerts the rules produce as of the instant. */
  readonly computed: number;
  /** Of those, the ones not stored before: now stored and logged. */
  readonly stored: string[];
  readonly deliveries: { readonly id: string; readonly delivery: string }[];
}

const capOf = (a: WarningAlert) => renderCap(a, { sender: CAP_SENDER, senderName: 'Mizan early warning' });

/**
 * The alerting job (`mizan warning run`, e.g. from cron): compute the alerts on every record (as
 * the system), store each one not stored before — its row and a `warning.alert` log entry with the
 * alert's own visibility, all in one transaction — then POST each new one to the webhook as CAP
 * XML. Alert ids are deterministic, so running twice stores nothing twice.
 */
export async function runWarning(app: Mizan, opts: RunOptions = {}): Promise<RunResult> {
  const view = await warningView(app, SYSTEM, opts);
  const stored = await app.write(SYSTEM, async (w) => {
    const ids = view.alerts.map((a) => a.id);
    const known = new Set(ids.length ? (await w.tx.selectFrom('alerts').select('id').where('id', 'in', ids).execute()).map((r) => r.id) : []);
    const fresh: WarningAlert[] = [];
    for (const a of view.alerts) {
      if (known.has(a.id)) continue;
      known.add(a.id);
      const logIndex = w.statement('warning.alert', a, a.visibility, a.id);
      w.queue('alerts', { id: a.id, rule: a.rule, subject: a.subject, visibility: a.visibility, as_of: a.as_of, doc: JSON.stringify(a), log_index: logIndex, recorded_at: w.recordedAt, delivery: null });
      fresh.push(a);
    }
    return fresh;
  });
  const url = opts.webhook === undefined ? process.env[WEBHOOK_ENV] || null : opts.webhook;
  const deliveries: { id: string; delivery: string }[] = [];
  if (url) {
    const report = opts.report ?? ((m: string) => void process.stderr.write(`${m}\n`));
    for (const a of stored) {
      const delivery = await deliver(url, capOf(a), opts.fetch ?? fetch);
      if (delivery !== 'sent') report(`warning: alert ${a.id} not delivered to the webhook: ${delivery}`);
      // Delivery status is operational bookkeeping (like the SMS outbox), not a record: no log entry.
      await app.store.db.updateTable('alerts').set({ delivery }).where('id', '=', a.id).execute();
      deliveries.push({ id: a.id, delivery });
    }
  }
  return { as_of: view.as_of, computed: view.alerts.length, stored: stored.map((a) => a.id), deliveries };
}

async function deliver(url: string, xml: string, f: typeof fetch): Promise<string> {
  try {
    const res = await f(url, { method: 'POST', headers: { 'content-type': 'application/cap+xml; charset=utf-8' }, body: xml, signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS) });
    return res.ok ? 'sent' : `failed: HTTP ${res.status}`;
  } catch (e) {
    return `failed: ${(e as Error).message}`.slice(0, 300);
  }
}

/** Stored alerts the caller may see, newest first. */
export async function storedAlerts(app: Mizan, p: Principal, limit = 200): Promise<(WarningAlert & { log_index: number; recorded_at: string })[]> {
  const rows = await app.store.db.selectFrom('alerts').select(['doc', 'log_index', 'recorded_at']).where('visibility', 'in', visibleLevels(p)).orderBy('recorded_at', 'desc').orderBy('id').limit(limit).execute();
  return rows.map((r) => ({ ...(JSON.parse(r.doc) as WarningAlert), log_index: r.log_index, recorded_at: r.recorded_at }));
}

/**
 * The stored alerts as an Atom feed whose entries carry the CAP 1.2 document inline
 * (`content type="application/cap+xml"`), so a reader needs one request.
 */
export async function storedAlertsFeed(app: Mizan, p: Principal, selfUrl: string): Promise<string> {
  const alerts = await storedAlerts(app, p);
  const e = escapeXml;
  const updated = alerts[0]?.recorded_at ?? new Date(0).toISOString();
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n';
  x += `  <id>urn:mizan:warning:alerts</id>\n  <title>Mizan early-warning alerts (stored)</title>\n  <updated>${e(updated)}</updated>\n`;
  x += `  <author><name>${e(CAP_SENDER)}</name></author>\n  <link rel="self" href="${e(selfUrl)}"/>\n`;
  for (const a of alerts) {
    const cap = capOf(a).replace(/^<\?xml[^>]*\?>\n/, '');
    x += `  <entry>\n    <id>urn:mizan:warning:${e(a.id)}</id>\n    <title>${e(a.headline)}</title>\n    <updated>${e(a.recorded_at)}</updated>\n`;
    x += `    <summary>${e(a.description)}</summary>\n    <content type="application/cap+xml">\n${cap}    </content>\n  </entry>\n`;
  }
  return x + '</feed>\n';
}
