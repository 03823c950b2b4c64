// `mizan warning indicators|chains|alerts|cap|backtest|run` (alias `mizan warn …`): the terminal edge of src/app/warning.ts
// and src/warning/backtest.ts.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError, Option } from 'commander';
import type { WarningOptions } from '../app/warning.js';
import { capAlert, CAP_SENDER, warningView } from '../app/warning.js';
import { runWarning, WEBHOOK_ENV } from '../app/warning-alerts.js';
import { SYSTEM } from '../domain/principal.js';
import { resolveDataDir } from '../store/data-dir.js';
import { formatBacktest, formatHawkesBacktest, parseUcdpCsv, renderCapFeed, runBacktest, runHawkesBacktest } from '../warning/index.js';
import { openApp } from './open.js';

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; SQLite in the data directory when unset)');
const asOfOption = () => new Option('--as-of <instant>', 'compute as of this ISO 8601 instant (default: now); only events before it count').argParser(instant);
const windowOption = () => new Option('--window-hours <h>', 'retaliation window in hours (default 72)').argParser(positive);

function instant(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/.test(v) || Number.isNaN(Date.parse(v))) throw new InvalidArgumentError('must be an ISO 8601 date or date-time, e.g. 2025-10-16T00:00:00Z');
  return v.length === 10 ? `${v}T00:00:00Z` : v;
}

function positive(v: string): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

interface ViewOpts {
  data?: string;
  databaseUrl?: string;
  asOf?: string;
  windowHours?: number;
  json?: boolean;
}

async function view(opts: ViewOpts) {
  const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: false });
  try {
    const o: WarningOptions = { ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.windowHours ? { windowHours: opts.windowHours } : {}) };
    return { v: await warningView(app, SYSTEM, o), cap: (id: string) => capAlert(app, SYSTEM, id, o) };
  } finally {
    await app.close();
  }
}

const out = (s: string): void => {
  process.stdout.write(s.endsWith('\n') ? s : `${s}\n`);
};
const fixed = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : String(x));

/** `mizan` commands of the warning module. */
export function registerWarningCommands(program: Command): void {
  const w = program.command('warning').alias('warn').description('early warning: escalation indicators, retaliation chains, alerts, and the model backtest');
  const common = (c: Command) => c.addOption(asOfOption()).addOption(windowOption()).option('--json', 'print JSON').addOption(dataOption()).addOption(dbOption());

  common(w.command('indicators').description('events and deaths per dyad and district, last 7 and 28 days, against the previous 6 months (z-scores)')).action(async (opts: ViewOpts) => {
    const { v } = await view(opts);
    if (opts.json) return out(JSON.stringify(v.indicators, null, 2));
    out(`as of ${v.as_of}`);
    for (const i of v.indicators) out(`${i.by.padEnd(8)} ${i.key.padEnd(36)} 7d ${String(i.last7.events).padStart(4)} ev z ${fixed(i.last7.events_z).padStart(6)}  28d ${String(i.last28.events).padStart(4)} ev z ${fixed(i.last28.events_z).padStart(6)}  deaths 7d ${i.last7.fatalities}`);
  });

  common(w.command('chains').description('retaliation chains: A against B answered by B against A within the window, chained')).action(async (opts: ViewOpts) => {
    const { v } = await view(opts);
    if (opts.json) return out(JSON.stringify(v.chains, null, 2));
    out(`as of ${v.as_of}, window ${v.window_hours} h: ${v.chains.length} chains`);
    for (const c of v.chains) out(`${c.first}↔${c.second} length ${c.length} span ${c.span_hours.toFixed(1)} h  ${c.from} … ${c.to}  ${c.events.join(' → ')}`);
  });

  common(w.command('alerts').description('alerts from the thresholds on chains and indicators')).action(async (opts: ViewOpts) => {
    const { v } = await view(opts);
    if (opts.json) return out(JSON.stringify(v.alerts, null, 2));
    out(`as of ${v.as_of}: ${v.alerts.length} alerts`);
    for (const a of v.alerts) out(`[${a.severity}] ${a.id}: ${a.headline}`);
  });

  common(w.command('cap').argument('[id]', 'one alert as a CAP 1.2 document (default: the Atom feed of all)').description('the alerts as CAP 1.2 XML')).action(async (id: string | undefined, opts: ViewOpts) => {
    const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: false });
    try {
      const o: WarningOptions = { ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.windowHours ? { windowHours: opts.windowHours } : {}) };
      if (id) return out(await capAlert(app, SYSTEM, id, o));
      const v = await warningView(app, SYSTEM, o);
      out(renderCapFeed(v.alerts, { id: 'urn:mizan:warning:cap-feed', selfUrl: '/api/v1/warning/cap', alertUrl: (x) => `/api/v1/warning/cap/${encodeURIComponent(x)}`, updated: v.as_of, sender: CAP_SENDER }));
    } finally {
      await app.close();
    }
  });

  w.command('run')
    .description(`store and log the alerts not issued before (one log entry each, one transaction), then POST each new one as CAP XML to the webhook (--webhook or $${WEBHOOK_ENV}); run it from cron`)
    .addOption(asOfOption())
    .addOption(windowOption())
    .option('--webhook <url>', `webhook URL (default: $${WEBHOOK_ENV}; none when unset)`)
    .option('--json', 'print JSON')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: ViewOpts & { webhook?: string }) => {
      const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: false });
      try {
        const r = await runWarning(app, { ...(opts.asOf ? { asOf: opts.asOf } : {}), ...(opts.windowHours ? { windowHours: opts.windowHours } : {}), ...(opts.webhook ? { webhook: opts.webhook } : {}) });
        if (opts.json) return out(JSON.stringify(r, null, 2));
        out(`as of ${r.as_of}: ${r.computed} alerts, ${r.stored.length} new (stored and logged)`);
        for (const id of r.stored) out(`  ${id}`);
        for (const d of r.deliveries) out(`  webhook ${d.id}: ${d.delivery}`);
      } finally {
        await app.close();
      }
    });

  w.command('backtest')
    .argument('<file>', 'a UCDP GED CSV (e.g. ../shared/data/events/ucdp_ged_pakistan_hdx_v22_1989-2021.csv)')
    .description('backtest the Hawkes model (rolling origin, weekly, 7-day horizon) and the logistic model (time-ordered split) against naive baselines on real UCDP events')
    .option('--from <date>', 'first forecast origin of the rolling-origin backtest (YYYY-MM-DD)', '2014-01-01')
    .option('--to <date>', 'no forecast origin on or after this day (default: the end of the data)')
    .addOption(new Option('--refit-weeks <n>', 'refit the Hawkes model every n weekly origins').default(13).argParser(positiveInt))
    .addOption(new Option('--samples <n>', 'simulated samples per window for the 90% intervals').default(200).argParser(positiveInt))
    .addOption(new Option('--seed <n>', 'seed of the simulations').default(1).argParser(positiveInt))
    .option('--self-only', 'ablation: each cell excites only itself (the excitation matrix kept diagonal)')
    .addOption(new Option('--decay-days <d>', 'fix the decay 1/β in days instead of searching it (quick runs)').argParser(positive))
    .option('--split <date>', 'first day of the logistic model\'s test period (YYYY-MM-DD)', '2014-01-01')
    .option('--no-logistic', 'skip the logistic model\'s backtest')
    .option('--json', 'print the report as JSON')
    .action((file: string, opts: { from: string; to?: string; refitWeeks: number; samples: number; seed: number; decayDays?: number; selfOnly?: boolean; split: string; logistic: boolean; json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new Error(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const parsed = parseUcdpCsv(text);
      const hawkes = runHawkesBacktest(parsed.events, { from: opts.from, ...(opts.to ? { to: opts.to } : {}), refitWeeks: opts.refitWeeks, samples: opts.samples, seed: opts.seed, ...(opts.decayDays ? { beta: 1 / opts.decayDays } : {}), ...(opts.selfOnly ? { structure: 'diagonal' as const } : {}) });
      const logistic = opts.logistic ? runBacktest(parsed.events, opts.split) : null;
      if (opts.json) return out(JSON.stringify({ ...hawkes, skipped_rows: parsed.skipped, logistic }, null, 2));
      out(formatHawkesBacktest(hawkes) + (logistic ? `\n${formatBacktest(logistic)}` : '') + (parsed.skipped ? `(${parsed.skipped} malformed rows skipped)\n` : ''));
    });
}

function positiveInt(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer');
  return n;
}
