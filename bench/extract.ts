// Extraction throughput (issue 9 §1: at least 1 MB of text per second on the reference machine).
// The corpus is built at bench time and never stored: the seed documents from MIZAN_SEEDS
// (default ../shared/seeds next to the checkout, skipped when absent) plus generated news-style
// paragraphs, repeated up to BENCH_EXTRACT_MB (default 4) megabytes. Each document keeps its own
// publication date, as a real batch would.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtinScenarioPath, packageRoot } from '../src/cli/paths.js';
import { loadGeo } from '../src/geo/index.js';
import { actorEntries, agreementEntries, createExtractor, placeEntries } from '../src/intake/extract/index.js';
import { line } from './stats.js';

interface Doc {
  readonly text: string;
  readonly published: string;
}

const PLACES = ['Barmal', 'Urgun', 'Spin Boldak', 'Chaman', 'Kurram', 'Khost', 'Bajaur', 'Kabul', 'Miran Shah', 'Torkham', 'Angoor Adda', 'Paktika'];
const WHO = ['Taliban officials said', 'the military said in a statement', 'ISPR said', 'residents told reporters', 'according to the provincial police', 'local elders said'];
const WHEN = ['on Friday evening', 'early on October 18', 'late Thursday', 'overnight', 'on 12 October', 'last week', 'in the early hours of Sunday', 'on Tuesday'];
const WHAT = [
  'air strikes hit several houses in {p}, killing {n} civilians',
  'militants attacked a checkpoint near {p}, killing {n} soldiers',
  'forces exchanged heavy fire across the border at {p}; at least {n} people were wounded',
  'a drone strike targeted a compound in {p}, and more than {n} fighters were reported killed',
  'a roadside bomb exploded near a market in {p}, killing {n} people',
];
const FILLER = [
  'The two sides have traded accusations for days, and talks mediated by Qatar and Türkiye are due to resume.',
  'Trade through the main crossing remained suspended, leaving hundreds of lorries stranded on both sides.',
  'Analysts say the dispute over the border has deep roots and will not be settled quickly.',
  'Officials on both sides urged restraint while the ceasefire held in most districts.',
];

/** Deterministic news-like paragraphs (a small LCG, so every run measures the same text). */
function generated(bytes: number): string {
  let seed = 20251019;
  const pick = <T>(xs: readonly T[]): T => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return xs[seed % xs.length]!;
  };
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    const what = pick(WHAT).replace('{p}', pick(PLACES)).replace('{n}', String(2 + (seed % 40)));
    const para = `${pick(WHEN).replace(/^./, (c) => c.toUpperCase())}, ${what}, ${pick(WHO)}. ${pick(FILLER)} ${pick(FILLER)}\n\n`;
    parts.push(para);
    size += Buffer.byteLength(para);
  }
  return parts.join('');
}

function seedDir(): string {
  return process.env.MIZAN_SEEDS ?? resolve(packageRoot(), '..', 'shared', 'seeds');
}

function seedDocs(): Doc[] {
  const dir = seedDir();
  if (!existsSync(dir)) return [];
  // The seeds are news articles of late October 2025; the date is the publication the tests use.
  return readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()
    .map((f) => ({ text: readFileSync(join(dir, f), 'utf8'), published: '2025-10-22' }));
}

/** The corpus: seed and generated documents (about 20 KB each) from `pool`, cycled to `megabytes`. */
export function extractCorpus(megabytes: number, which: 'mixed' | 'seeds' | 'generated' = 'mixed'): { docs: Doc[]; bytes: number } {
  const seeds = which === 'generated' ? [] : seedDocs();
  const made = which === 'seeds' ? [] : Array.from({ length: 8 }, (_, i) => ({ text: generated(20_000 + i * 1000), published: `2025-10-${String(15 + i).padStart(2, '0')}` }));
  const pool: Doc[] = [...seeds, ...made];
  const docs: Doc[] = [];
  let bytes = 0;
  for (let i = 0; pool.length > 0 && bytes < megabytes * 1_000_000; i++) {
    const d = pool[i % pool.length]!;
    docs.push(d);
    bytes += Buffer.byteLength(d.text);
  }
  return { docs, bytes };
}

export async function benchExtract(): Promise<void> {
  const mb = Number(process.env.BENCH_EXTRACT_MB ?? 4);
  const scenario = JSON.parse(readFileSync(builtinScenarioPath(), 'utf8')) as { parties: unknown[]; actors: unknown[]; agreements: unknown[] };
  let t0 = performance.now();
  const extractor = createExtractor({ actors: actorEntries(scenario.parties, scenario.actors), agreements: agreementEntries(scenario.agreements), places: placeEntries(loadGeo().places()) });
  const setupMs = performance.now() - t0;
  process.stdout.write(`\nExtraction (${mb} MB per corpus; seeds from ${seedDir()}${seedDocs().length === 0 ? ', absent: generated text only' : ''})\n`);
  line('extractor setup (gazetteer and alias indexes)', `${setupMs.toFixed(0)} ms`);
  for (const which of ['seeds', 'generated', 'mixed'] as const) {
    const corpus = extractCorpus(mb, which);
    if (corpus.docs.length === 0) continue;
    // A warm-up pass so the figure is the steady state, not JIT start-up.
    for (const d of corpus.docs.slice(0, 10)) extractor.extract(d.text, d.published);
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    let incidents = 0;
    for (const d of corpus.docs) incidents += extractor.extract(d.text, d.published).incidents.length;
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    // CPU seconds too: on a shared machine the wall-clock figure moves with the neighbours' load.
    const cpuMs = (cpu.user + cpu.system) / 1000;
    line(`throughput, ${which} (target ≥ 1 MB/s)`, `${(corpus.bytes / 1e6 / (ms / 1000)).toFixed(2)} MB/s wall, ${(corpus.bytes / 1e6 / (cpuMs / 1000)).toFixed(2)} MB per CPU-second (${corpus.docs.length} documents, ${incidents} incident candidates)`);
  }
}
