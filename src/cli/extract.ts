import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Option } from 'commander';
import { ingestExtraction, runLinker, type IngestResult, type LinkResult } from '../app/ingest.js';
import { MizanError } from '../domain/errors.js';
import { SYSTEM } from '../domain/principal.js';
import { resolveDataDir } from '../store/data-dir.js';
import { loadGeo } from '../geo/index.js';
import { actorEntries, agreementEntries, createExtractor, parsePublished, placeEntries, type Extraction } from '../intake/extract/index.js';
import { openApp } from './open.js';
import { builtinScenarioPath } from './paths.js';

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `cannot read ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Extraction with the actors and agreements of a scenario file (the built-in one by default); no data directory needed. */
export function extractFile(file: string, published: string, scenarioFile: string = builtinScenarioPath()): Extraction {
  if (parsePublished(published) === null) throw new MizanError('VALIDATION_FAILED', `--published must be a real date, YYYY-MM-DD (got ${JSON.stringify(published)})`);
  const text = readText(file, 'the text file');
  let scenario: unknown;
  try {
    scenario = JSON.parse(readText(scenarioFile, 'the scenario'));
  } catch (e) {
    if (e instanceof MizanError) throw e;
    throw new MizanError('VALIDATION_FAILED', `${scenarioFile} is not valid JSON: ${(e as Error).message}`);
  }
  const s = (typeof scenario === 'object' && scenario !== null ? scenario : {}) as Record<string, unknown>;
  const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
  const extractor = createExtractor({
    actors: actorEntries(list(s.parties), list(s.actors)),
    agreements: agreementEntries(list(s.agreements)),
    places: placeEntries(loadGeo().places()),
  });
  return extractor.extract(text, published);
}

function table(x: Extraction): string {
  const lines: string[] = [];
  for (const i of x.incidents) {
    const when = i.occurred.from ? `${i.occurred.from} – ${i.occurred.to ?? '?'}` : 'date unknown';
    const where = [i.location.name, i.location.admin1, i.location.country].filter((v) => v !== null).join(', ') || 'place unknown';
    const dead = i.fatalities.map((f) => `${f.low ?? '?'}–${f.high ?? '?'} (${f.who.name})`).join('; ');
    lines.push(`incident  ${when}  ${where}  ${i.sub_event_type}  ${i.hedging}  ${i.confidence}${dead ? `  killed ${dead}` : ''}`);
    lines.push(`          “${i.text_span.text.replace(/\s+/g, ' ').slice(0, 160)}”`);
  }
  for (const a of x.agreements) {
    lines.push(`agreement ${a.occurred.from ?? 'date unknown'}  parties ${a.parties.map((p) => p.id ?? p.name).join(', ') || '?'}  mediators ${a.mediators.map((p) => p.id ?? p.name).join(', ') || '—'}`);
    for (const t of a.terms) lines.push(`          term: ${t}`);
  }
  return lines.length > 0 ? lines.join('\n') : 'no candidates';
}

interface IngestOpts {
  published: string;
  json?: boolean;
  sourceTitle?: string;
  publisher?: string;
  url?: string;
  visibility?: 'public' | 'parties' | 'mediators';
  data?: string;
  databaseUrl?: string;
}

/** `--ingest`: a source and its reports in the data directory, as the operator (SYSTEM), then linked. */
export async function ingestFile(file: string, o: IngestOpts): Promise<IngestResult> {
  if (!o.sourceTitle) throw new MizanError('VALIDATION_FAILED', '--ingest needs --source-title: the title the source is recorded under (and, with the text, what makes a second ingest of the same file a duplicate)');
  if (parsePublished(o.published) === null) throw new MizanError('VALIDATION_FAILED', `--published must be a real date, YYYY-MM-DD (got ${JSON.stringify(o.published)})`);
  const text = readText(file, 'the text file');
  const app = await openApp({ dataDir: resolveDataDir(o.data), databaseUrl: o.databaseUrl, places: true });
  try {
    const source = { title: o.sourceTitle, ...(o.publisher ? { publisher: o.publisher } : {}), ...(o.url ? { url: o.url } : {}) };
    return await ingestExtraction(app, SYSTEM, { text, published: o.published, source, ...(o.visibility ? { visibility: o.visibility } : {}) }, placeEntries(loadGeo().places()));
  } finally {
    await app.close();
  }
}

function linkLines(links: readonly LinkResult[]): string {
  if (links.length === 0) return 'no unlinked reports';
  return links.map((l) => `${l.report}  ${l.decision.padEnd(6)}  ${(l.incident ?? '—').padEnd(28)}  ${l.score.toFixed(3)}  ${l.explanation}`).join('\n');
}

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)');

/** `mizan extract FILE --published YYYY-MM-DD [--json] [--ingest --source-title T]` and `mizan link` (issue 9). */
export function registerExtractCommands(program: Command): void {
  program
    .command('extract')
    .description('candidate incidents and agreements in a text or Markdown file, for a person to review; with --ingest, record them as a source and reports and link them to incidents')
    .argument('<file>', 'plain text or Markdown')
    .requiredOption('--published <date>', 'publication date (YYYY-MM-DD): relative dates resolve against it')
    .option('--json', 'print {incidents: [...], agreements: [...]} as JSON (with --ingest: {source, reports, links})')
    .option('--scenario <file>', 'actors and agreements to recognise without --ingest (default: the built-in scenario; --ingest uses the data directory\'s)')
    .option('--ingest', 'record a source and one report per incident candidate, with its claims, in one transaction, then run the matcher on them; the same file under the same title is refused')
    .option('--source-title <title>', 'with --ingest: the title of the source (required)')
    .option('--publisher <name>', 'with --ingest: the publisher of the source')
    .option('--url <url>', 'with --ingest: where the source was published')
    .addOption(new Option('--visibility <level>', 'with --ingest: who may read the source, reports and links (default mediators: unreviewed machine reading)').choices(['mediators', 'parties', 'public']))
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (file: string, opts: IngestOpts & { scenario?: string; ingest?: boolean }) => {
      if (opts.ingest) {
        const r = await ingestFile(file, opts);
        process.stdout.write((opts.json ? JSON.stringify(r, null, 2) : `source ${r.source}: ${r.reports.length} report(s)\n${linkLines(r.links)}`) + '\n');
        return;
      }
      const x = extractFile(file, opts.published, opts.scenario);
      process.stdout.write((opts.json ? JSON.stringify({ incidents: x.incidents, agreements: x.agreements }, null, 2) : table(x)) + '\n');
    });
  program
    .command('link')
    .description('run the matcher over extracted reports with no live link: linked above the threshold, queued for a person in the grey zone, new (a provisional incident, visible as its report is) below it; links are never merges')
    .option('--json', 'print [{report, incident|null, decision, score, explanation}]')
    .option('--dry-run', 'decide and print, write nothing')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: { json?: boolean; dryRun?: boolean; data?: string; databaseUrl?: string }) => {
      const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places: true });
      try {
        const links = await runLinker(app, SYSTEM, { dryRun: opts.dryRun === true });
        process.stdout.write((opts.json ? JSON.stringify(links, null, 2) : linkLines(links)) + '\n');
      } finally {
        await app.close();
      }
    });
}
