import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { parse as parseCsv } from 'csv-parse/sync';
import type { Mizan } from '../app/mizan.js';
import { importReferences, stixBundle, threatMatrix, threatMatrixHistory } from '../app/threat.js';
import { MizanError } from '../domain/errors.js';
import { SYSTEM } from '../domain/principal.js';
import { resolveDataDir } from '../store/data-dir.js';
import { openApp } from './open.js';

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; SQLite in the data directory when unset)');

async function withApp<T>(opts: { data?: string; databaseUrl?: string }, fn: (app: Mizan) => Promise<T>): Promise<T> {
  const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: false });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

const CSV_COLUMNS = ['id', 'actor', 'authority', 'list', 'listed_name', 'reference', 'listed_on', 'source', 'url', 'note'] as const;

/**
 * A reference-designation file: JSON (`{"references": [...]}` or an array) or CSV with a header
 * row naming the same fields. The file is outside input: parser failures become VALIDATION_FAILED.
 */
export function readReferenceFile(file: string, text: string): unknown {
  if (/\.csv$/i.test(file)) {
    let rows: Record<string, string>[];
    try {
      rows = parseCsv<Record<string, string>>(text, { columns: true, skip_empty_lines: true, trim: true, bom: true });
    } catch (e) {
      throw new MizanError('VALIDATION_FAILED', `${file} is not valid CSV: ${(e as Error).message}`);
    }
    // Empty cells mean "not stated": drop them so optional fields stay absent, and keep only known columns.
    return { references: rows.map((r) => Object.fromEntries(CSV_COLUMNS.filter((k) => r[k] !== undefined && r[k] !== '').map((k) => [k, r[k]]))) };
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function matrixTable(m: Awaited<ReturnType<typeof threatMatrix>>): string {
  const lines = [['actor', 'status', ...m.parties, 'references'].join('\t')];
  for (const row of m.actors) {
    const cells = m.parties.map((p) => {
      const x = row.positions[p];
      return x ? `${x.position}/${x.collective_action}` : '—';
    });
    lines.push([row.actor, row.status, ...cells, row.references.map((r) => r.reference ?? r.list).join('; ')].join('\t'));
  }
  return lines.join('\n');
}

/** `mizan` commands of the threat module. */
export function registerThreatCommands(program: Command): void {
  program
    .command('threat-matrix')
    .description("the joint threat definition: each party's position on each armed actor and whether they agree")
    .option('--json', 'print {actors: [{actor, names, positions, references, status, differences}]} as JSON')
    .option('--history', 'print how the matrix changed over time instead')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: { json?: boolean; history?: boolean; data?: string; databaseUrl?: string }) =>
      withApp(opts, async (app) => {
        if (opts.history) {
          process.stdout.write(JSON.stringify(await threatMatrixHistory(app), null, 2) + '\n');
          return;
        }
        const m = await threatMatrix(app);
        process.stdout.write((opts.json ? JSON.stringify(m, null, 2) : matrixTable(m)) + '\n');
      }),
    );

  const designations = program.command('designations').description("parties' and third parties' designations of armed actors");
  designations
    .command('import')
    .description('import reference designations (UN Security Council and national lists) from a JSON or CSV file; see data/reference/README.md')
    .argument('<file>', 'JSON ({"references": [...]}) or CSV with a header row')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (file: string, opts: { data?: string; databaseUrl?: string }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new MizanError('VALIDATION_FAILED', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      }
      const doc = readReferenceFile(file, text);
      await withApp(opts, async (app) => {
        const r = await importReferences(app, SYSTEM, doc);
        await app.log.signCheckpoint();
        process.stdout.write(`imported ${r.imported} reference designations (${r.unchanged} already present)\n`);
      });
    });

  program
    .command('stix')
    .description('STIX 2.1 sharing')
    .command('export')
    .description('write one STIX 2.1 bundle of the public record (identities, intrusion sets, opinions, relationships, reports, locations, sightings); the same as `mizan export --format stix`')
    .option('--out <file>', 'write to this file (default: standard output)')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: { out?: string; data?: string; databaseUrl?: string }) => withApp(opts, (app) => writeStixBundle(app, opts.out)));
}

/**
 * `mizan export --format stix` and its alias `mizan stix export`: one STIX 2.1 bundle of the public
 * record, to a file or standard output. Public only: a file leaves the server's access control.
 */
export async function writeStixBundle(app: Mizan, out: string | undefined): Promise<void> {
  const bundle = await stixBundle(app, { kind: 'anonymous' });
  const text = JSON.stringify(bundle, null, 2) + '\n';
  if (out) {
    writeFileSync(out, text);
    process.stderr.write(`Exported a STIX 2.1 bundle of ${bundle.objects.length} objects to ${out}.\n`);
  } else process.stdout.write(text);
}
