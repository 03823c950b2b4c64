// `mizan geo lookup NAME` and `mizan geo point LAT LON`: the places module from the command line,
// with the same answers as GET /api/v1/places and GET /api/v1/places/point. Needs no data
// directory: the gazetteer and boundaries ship with the package (data/geo).
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { describePoint } from '../geo/crossings.js';
import type { PointReport } from '../geo/crossings.js';
import { GeoError, loadGeo, MAX_QUERY_LENGTH, toAlpha3, validateCoordinates } from '../geo/index.js';
import type { Alpha3, LookupItem, LookupResult } from '../geo/index.js';

/** Exit status when a lookup found nothing: distinct from 1 (an error), so scripts can tell them apart. */
export const EXIT_NO_MATCH = 2;

/** A plain decimal number (no hex, exponents, empty strings or trailing text, which Number() would accept). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

export function parseCoordinate(name: 'latitude' | 'longitude', raw: string): number {
  const text = raw.trim();
  if (!DECIMAL.test(text)) throw new GeoError('INVALID_COORDINATES', `${name} ${JSON.stringify(raw)} is not a decimal number (write e.g. 32.7 or -69.1)`);
  return Number(text);
}

/** The same bounds as GET /api/v1/places?q=: a blank name is a mistake, not a search with no result. */
export function parseQuery(words: readonly string[]): string {
  const q = words.join(' ').trim();
  if (q === '') throw new GeoError('INVALID_QUERY', 'give a place name to look up');
  if (q.length > MAX_QUERY_LENGTH) throw new GeoError('INVALID_QUERY', `the place name is ${q.length} characters long; at most ${MAX_QUERY_LENGTH}`);
  return q;
}

function countryOption(v: string): Alpha3 {
  const c = toAlpha3(v);
  if (c === null) throw new InvalidArgumentError('must be AFG or PAK (AF/PK or the country name also work)');
  return c;
}

function limitOption(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 50) throw new InvalidArgumentError('must be a whole number 1–50');
  return n;
}

/** The module's own errors carry a code; print it so scripts and people can tell causes apart. */
function withGeoErrors<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    try {
      fn(...args);
    } catch (e) {
      if (e instanceof GeoError) {
        process.stderr.write(`mizan: ${e.code}: ${e.message}\n`);
        process.exitCode = 1;
        return;
      }
      throw e;
    }
  };
}

const where = (i: { country: string | null; admin1: string | null; admin2: string | null }) => [i.admin2, i.admin1, i.country].filter((x) => x).join(', ');

function itemLine(i: LookupItem): string {
  const sides = i.sides?.length ? `border crossing: ${i.sides.map(where).join(' / ')}` : where(i);
  const others = i.names.filter((n) => n !== i.name).slice(0, 6);
  return [
    `${i.score.toFixed(2)}  ${i.name}  [${i.kind}]  ${sides}  (${i.lat.toFixed(4)}, ${i.lon.toFixed(4)})  id ${i.id}`,
    `      matched "${i.matched}" (${i.match})${others.length ? `; also: ${others.join(' · ')}` : ''}`,
  ].join('\n');
}

export function formatLookup(r: LookupResult): string {
  if (r.items.length === 0) return `no place matches "${r.query}"`;
  const head = r.ambiguous ? `AMBIGUOUS: ${r.items.length} candidates for "${r.query}" score close to the top; choose one by id or add --country` : `${r.items.length} candidate(s) for "${r.query}", best first:`;
  return [head, ...r.items.map(itemLine)].join('\n');
}

export function formatPoint(lat: number, lon: number, p: PointReport): string {
  const side = p.side === null ? 'neither Afghanistan nor Pakistan' : p.side;
  const lines = [
    `(${lat}, ${lon})`,
    `  country:   ${p.country ?? '— (outside both countries)'}`,
    `  province:  ${p.admin1 ?? '—'}${p.admin1_former ? `  (formerly ${p.admin1_former})` : ''}`,
    `  district:  ${p.admin2 ?? '—'}`,
    `  side of the Afghanistan–Pakistan border (Durand Line): ${side}${p.near_border ? ' — closer to the line than its accuracy: uncertain' : ''}`,
    `  distance to the border: ${p.distance_to_border_km} km`,
  ];
  if (p.nearest_crossing) lines.push(`  nearest crossing: ${p.nearest_crossing.name}, ${p.nearest_crossing.distance_km} km`);
  return lines.join('\n');
}

export function registerGeoCommands(program: Command): void {
  const geo = program
    .command('geo')
    .description('places: look up a place name in any spelling or script; border facts for a point (no data directory needed)');

  geo
    .command('lookup')
    .description('look up a place name (Latin or Arabic script, any common spelling); every close candidate is listed and ambiguity is reported, never resolved silently')
    .argument('<name...>', 'the place name, e.g. Bermal, برمل, "Spin Buldak"')
    .option('--country <AFG|PAK>', 'only places in this country', countryOption)
    .option('--limit <n>', 'most candidates to list (1–50)', limitOption, 10)
    .option('--json', 'print {items: [{id, name, names, country, admin1, admin2, lat, lon, kind, score, ...}], ambiguous} as in GET /api/v1/places')
    .addHelpText('after', `\nExit status: 0 a match (ambiguous or not), ${EXIT_NO_MATCH} no match, 1 invalid input (a blank name, --country other than AFG/PAK).`)
    .action(
      withGeoErrors((words: string[], opts: { country?: Alpha3; limit: number; json?: boolean }) => {
        const r = loadGeo().lookup(parseQuery(words), { ...(opts.country ? { country: opts.country } : {}), limit: opts.limit });
        process.stdout.write((opts.json ? JSON.stringify({ items: r.items, ambiguous: r.ambiguous }, null, 2) : formatLookup(r)) + '\n');
        if (r.items.length === 0) process.exitCode = EXIT_NO_MATCH;
      }),
    );

  geo
    .command('point')
    .description('which country, province and district a point is in, its side of the Afghanistan–Pakistan border (Durand Line), its distance to it and the nearest crossing')
    .argument('<lat>', 'latitude in decimal degrees, -90 to 90')
    .argument('<lon>', 'longitude in decimal degrees, -180 to 180')
    .option('--json', 'print {country, admin1, admin1_former, admin2, side, distance_to_border_km, near_border, nearest_crossing} as in GET /api/v1/places/point')
    .addHelpText('after', '\nAfghanistan does not recognise the Durand Line as an international border; "side" only says which\ncountry\'s outline holds the point. It is null outside both countries (e.g. in Iran or Indian-administered Kashmir).\nExit status: 0 answered, 1 invalid coordinates.')
    .action(
      withGeoErrors((latRaw: string, lonRaw: string, opts: { json?: boolean }) => {
        const lat = parseCoordinate('latitude', latRaw);
        const lon = parseCoordinate('longitude', lonRaw);
        validateCoordinates(lat, lon);
        const p = describePoint(loadGeo(), lat, lon);
        process.stdout.write((opts.json ? JSON.stringify(p, null, 2) : formatPoint(lat, lon, p)) + '\n');
      }),
    );
}
