// `mizan import acled|ucdp FILE` and `mizan export --format csv|geojson|hxl`: the file-system
// and terminal edge of src/app/imports.ts and src/app/exports.ts.
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { Option } from 'commander';
import { stringify } from 'csv-stringify/sync';
import { EXPORT_COMMAND_FORMATS, ExportFilter, exportIncidents } from '../app/exports.js';
import type { ExportCommandFormat } from '../app/exports.js';
import type { ImportProgress, ImportSummary } from '../app/imports.js';
import { importIncidents } from '../app/imports.js';
import type { Mizan } from '../app/mizan.js';
import { MizanError } from '../domain/errors.js';
import { ANONYMOUS, SYSTEM } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import type { ImportFormat, RowRejection } from '../intake/index.js';
import { IMPORT_FORMATS, openSourceRows } from '../intake/index.js';
import { resolveDataDir } from '../store/data-dir.js';
import { writeStixBundle } from './threat.js';
import { openApp } from './open.js';

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; SQLite in the data directory when unset)');

async function withApp<T>(opts: { data?: string; databaseUrl?: string }, fn: (app: Mizan) => Promise<T>): Promise<T> {
  const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: true });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

/** Progress on stderr: a bar on a terminal, a plain line every few seconds in a log or a pipe. */
export interface ImportProgressView {
  update(p: ImportProgress, bytesRead: number): void;
  stop(): void;
}

export function progressView(totalBytes: number, out: NodeJS.WriteStream = process.stderr, intervalMs = 5000): ImportProgressView {
  const started = Date.now();
  const rate = (rows: number) => Math.round(rows / Math.max(0.001, (Date.now() - started) / 1000));
  if (out.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream: out,
        format: 'importing |{bar}| {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
        hideCursor: true,
        etaBuffer: 50,
        fps: 5,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(Math.max(1, totalBytes), 0, { rows: 0, rate: 0 });
    return {
      update: (p, bytes) => bar.update(Math.min(bytes, totalBytes), { rows: p.rows, rate: rate(p.rows) }),
      stop: () => bar.stop(),
    };
  }
  let last = started;
  return {
    update(p, bytes) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      const fraction = totalBytes > 0 ? Math.min(1, bytes / totalBytes) : 0;
      const elapsed = (now - started) / 1000;
      const eta = fraction > 0 ? Math.round(elapsed / fraction - elapsed) : null;
      out.write(`importing: ${p.rows} rows, ${(fraction * 100).toFixed(1)}%, ${rate(p.rows)} rows/s${eta === null ? '' : `, ETA ${eta}s`}\n`);
    },
    stop() {},
  };
}

/** The rejected rows, with line and reason first, then the row as it was in the file. */
class RejectsFile {
  private out: WriteStream | null = null;
  count = 0;
  constructor(
    readonly path: string,
    private readonly columns: readonly string[],
  ) {}
  async write(r: RowRejection, values: readonly string[]): Promise<void> {
    if (!this.out) {
      this.out = createWriteStream(this.path);
      this.out.write(stringify([['line', 'reason', 'field', 'message', ...this.columns]]));
    }
    this.count++;
    if (!this.out.write(stringify([[String(r.line), r.reason, r.field ?? '', r.message, ...values]]))) await new Promise<void>((res) => this.out!.once('drain', () => res()));
  }
  async close(): Promise<void> {
    if (!this.out) return;
    const out = this.out;
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  }
}

export function describeSummary(s: ImportSummary): string {
  const lines = [`${s.rows} rows read: ${s.imported} imported, ${s.updated} updated, ${s.unchanged} unchanged, ${s.rejected} rejected.`];
  const reasons = Object.entries(s.rejected_by_reason);
  if (reasons.length > 0) lines.push(`Rejected by reason: ${reasons.map(([r, n]) => `${r} ${n}`).join(', ')}.`);
  const quality = Object.entries(s.quality);
  if (quality.length > 0) lines.push(`Kept with data-quality flags: ${quality.map(([q, n]) => `${q} ${n}`).join(', ')}.`);
  if (s.actors_created > 0) lines.push(`${s.actors_created} actors created.`);
  if (s.hxl_row_skipped) lines.push("HDX's HXL hashtag row (line 2) recognised and skipped.");
  lines.push(`${s.log_entries} log entries appended.`);
  return lines.join('\n');
}

function instant(v: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v;
}

export function registerExchangeCommands(program: Command): void {
  program
    .command('import')
    .description('import ACLED or UCDP GED CSV (streamed; one transaction: all or nothing unless --skip-invalid; re-importing updates, never duplicates)')
    .argument('<format>', `source format: ${IMPORT_FORMATS.join(' | ')}`)
    .argument('<file>', 'CSV file')
    .option('--skip-invalid', 'import the valid rows; write the rejected ones with reasons to --rejects')
    .option('--rejects <file>', 'where to write rejected rows (default with --skip-invalid: <file>.rejects.csv)')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (format: string, file: string, opts: { skipInvalid?: boolean; rejects?: string; data?: string; databaseUrl?: string }) => {
      if (!(IMPORT_FORMATS as readonly string[]).includes(format)) throw new MizanError('VALIDATION_FAILED', `unknown import format ${JSON.stringify(format)}; use ${IMPORT_FORMATS.join(' or ')}`);
      let size: number;
      try {
        size = statSync(file).size;
      } catch (e) {
        throw new MizanError('VALIDATION_FAILED', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      await withApp(opts, async (app) => {
        const input = createReadStream(file);
        const rows = await openSourceRows(input, format as ImportFormat);
        const rejectsPath = opts.rejects ?? (opts.skipInvalid ? `${file}.rejects.csv` : null);
        const rejects = rejectsPath ? new RejectsFile(rejectsPath, rows.header.columns.filter((c) => c !== '')) : null;
        const view = progressView(size);
        let summary: ImportSummary;
        try {
          summary = await importIncidents(app, SYSTEM, rows, {
            format: format as ImportFormat,
            skipInvalid: opts.skipInvalid === true,
            onProgress: (p) => view.update(p, input.bytesRead),
            ...(rejects ? { onReject: (r: RowRejection, values: readonly string[]) => rejects.write(r, values) } : {}),
          });
        } finally {
          view.stop();
          await rejects?.close();
          if (rejects && rejects.count > 0) process.stderr.write(`${rejects.count} rejected rows written to ${rejects.path}\n`);
        }
        await app.log.signCheckpoint();
        process.stdout.write(describeSummary(summary) + '\n');
      });
    });

  program
    .command('export')
    .description(
      'export incidents (streamed) as ACLED-compatible CSV, RFC 7946 GeoJSON or HXL-tagged CSV, with the list filters, each carrying its attribution; or, with --format stix, one STIX 2.1 bundle of the public record (parties, actors, positions, incidents, sightings; the filters do not apply)',
    )
    .addOption(new Option('--format <format>', 'output format: csv, geojson, hxl (incidents) or stix (STIX 2.1 bundle)').choices([...EXPORT_COMMAND_FORMATS]).makeOptionMandatory())
    .option('--out <file>', 'write to this file (default: standard output)')
    .option('--q <text>', 'full-text filter')
    .option('--from <instant>', 'incidents overlapping [from, to): ISO 8601 instant or YYYY-MM-DD (UTC)')
    .option('--to <instant>', 'end of the interval (exclusive)')
    .option('--country <alpha3>', 'stated country, e.g. PAK')
    .option('--admin1 <name>', 'stated admin1')
    .option('--event-type <type>', "ACLED event type, e.g. 'Battles'")
    .option('--actor <id>', 'actor id')
    .addOption(new Option('--scope <scope>', 'which records: public (what anyone may read) or all (also parties- and mediator-only records; audited)').choices(['public', 'all']).default('public'))
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: { format: ExportCommandFormat; out?: string; q?: string; from?: string; to?: string; country?: string; admin1?: string; eventType?: string; actor?: string; scope: 'public' | 'all'; data?: string; databaseUrl?: string }) => {
      if (opts.format === 'stix') {
        // The bundle is the whole public record: a filter or --scope all would be silently ignored, so refuse them.
        const flags = (['q', 'from', 'to', 'country', 'admin1', 'eventType', 'actor'] as const).filter((k) => opts[k] !== undefined).map((k) => `--${k === 'eventType' ? 'event-type' : k}`);
        if (opts.scope === 'all') flags.push('--scope all');
        if (flags.length > 0) {
          throw new MizanError('VALIDATION_FAILED', `--format stix exports the whole public record; ${flags.join(', ')} ${flags.length === 1 ? 'does' : 'do'} not apply to it`);
        }
        await withApp(opts, (app) => writeStixBundle(app, opts.out));
        return;
      }
      const format = opts.format;
      const raw: Record<string, string> = {};
      if (opts.q !== undefined) raw.q = opts.q;
      if (opts.from !== undefined) raw.from = instant(opts.from);
      if (opts.to !== undefined) raw.to = instant(opts.to);
      if (opts.country !== undefined) raw.country = opts.country;
      if (opts.admin1 !== undefined) raw.admin1 = opts.admin1;
      if (opts.eventType !== undefined) raw.event_type = opts.eventType;
      if (opts.actor !== undefined) raw.actor = opts.actor;
      const filter = parseOrThrow(ExportFilter, raw, 'the filters');
      await withApp(opts, async (app) => {
        let count = 0;
        const chunks = Readable.from(exportIncidents(app, opts.scope === 'all' ? SYSTEM : ANONYMOUS, format, filter, { onCount: (n) => (count = n) }));
        if (opts.out) {
          await pipeline(chunks, createWriteStream(opts.out));
          process.stderr.write(`Exported ${count} incidents to ${opts.out}.\n`);
        } else {
          await pipeline(chunks, process.stdout, { end: false });
        }
      });
    });
}
