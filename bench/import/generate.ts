// A deterministic ACLED-format CSV for the import benchmark: the same seed gives the same file,
// byte for byte. Places are real AF/PK places from data/geo/gazetteer.json (GeoNames and
// geoBoundaries, with their admin units); actors, dates and figures are synthetic.
import { createWriteStream, readFileSync } from 'node:fs';
import { ACLED_COLUMNS } from '../../src/intake/index.js';

/** mulberry32: a small, fast, seedable PRNG (public domain); enough for test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Place {
  readonly name: string;
  readonly country: 'AFG' | 'PAK';
  readonly admin1: string;
  readonly admin2: string;
  readonly lat: number;
  readonly lon: number;
  readonly kind: string;
}

export function loadPlaces(gazetteerFile: string): Place[] {
  const doc = JSON.parse(readFileSync(gazetteerFile, 'utf8')) as { places: { name: string; country: string | null; admin1: string | null; admin2: string | null; lat: number; lon: number; kind: string }[] };
  return doc.places
    .filter((p) => (p.country === 'AFG' || p.country === 'PAK') && p.admin1 && p.admin2 && (p.kind === 'populated_place' || p.kind === 'district'))
    .map((p) => ({ name: p.name, country: p.country as 'AFG' | 'PAK', admin1: p.admin1!, admin2: p.admin2!, lat: p.lat, lon: p.lon, kind: p.kind }))
    .sort((a, b) => (a.country + a.admin1 + a.admin2 + a.name).localeCompare(b.country + b.admin1 + b.admin2 + b.name));
}

const ACTORS: Record<'AFG' | 'PAK', readonly (readonly [string, number])[]> = {
  PAK: [
    ['Military Forces of Pakistan (2018-)', 1],
    ['Police Forces of Pakistan (2018-)', 1],
    ['TTP: Tehrik-i-Taliban Pakistan', 2],
    ['BLA: Balochistan Liberation Army', 2],
    ['Hafiz Gul Bahadur Group', 2],
    ['Lashkar-e-Islam', 2],
    ['IS: Islamic State (Khorasan Province)', 2],
    ['Unidentified Armed Group (Pakistan)', 3],
    ['Civilians (Pakistan)', 7],
    ['Protesters (Pakistan)', 6],
    ['Rioters (Pakistan)', 5],
  ],
  AFG: [
    ['Military Forces of Afghanistan (2021-) Islamic Emirate of Afghanistan', 1],
    ['Police Forces of Afghanistan (2021-) Islamic Emirate of Afghanistan', 1],
    ['IS: Islamic State (Khorasan Province)', 2],
    ['NRF: National Resistance Front', 2],
    ['AFF: Afghanistan Freedom Front', 2],
    ['Military Forces of Pakistan (2018-)', 8],
    ['Unidentified Armed Group (Afghanistan)', 3],
    ['Civilians (Afghanistan)', 7],
    ['Protesters (Afghanistan)', 6],
  ],
};

/** Event and sub-event types with weights roughly like ACLED's AF/PK coverage. */
const TYPES: readonly (readonly [number, string, string, string])[] = [
  [30, 'Political violence', 'Battles', 'Armed clash'],
  [3, 'Political violence', 'Battles', 'Government regains territory'],
  [8, 'Political violence', 'Explosions/Remote violence', 'Remote explosive/landmine/IED'],
  [6, 'Political violence', 'Explosions/Remote violence', 'Air/drone strike'],
  [7, 'Political violence', 'Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  [2, 'Political violence', 'Explosions/Remote violence', 'Suicide bomb'],
  [2, 'Political violence', 'Explosions/Remote violence', 'Grenade'],
  [11, 'Political violence', 'Violence against civilians', 'Attack'],
  [4, 'Political violence', 'Violence against civilians', 'Abduction/forced disappearance'],
  [14, 'Demonstrations', 'Protests', 'Peaceful protest'],
  [3, 'Demonstrations', 'Protests', 'Protest with intervention'],
  [3, 'Demonstrations', 'Riots', 'Mob violence'],
  [4, 'Strategic developments', 'Strategic developments', 'Arrests'],
  [3, 'Strategic developments', 'Strategic developments', 'Looting/property destruction'],
];
const TYPE_TOTAL = TYPES.reduce((s, t) => s + t[0], 0);

const SOURCES = ['Dawn; The News International', 'Pajhwok Afghan News', 'Express Tribune', 'Khaama Press', 'Xinhua', 'Radio Free Europe/Radio Liberty', 'Tolo News', 'Business Recorder'];
const SCALES = ['National', 'Subnational', 'International', 'National-Regional', 'Other-National'];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

const DAY_MS = 86_400_000;
const START = Date.UTC(2017, 0, 1);
const DAYS = Math.floor((Date.UTC(2025, 10, 1) - START) / DAY_MS);

/** One row's values in ACLED_COLUMNS order. */
export function generateRow(n: number, rnd: () => number, places: readonly Place[]): string[] {
  const place = places[Math.floor(rnd() * places.length)]!;
  const c = place.country;
  let w = rnd() * TYPE_TOTAL;
  let type = TYPES[0]!;
  for (const t of TYPES) if ((w -= t[0]) < 0) {
    type = t;
    break;
  }
  const [, disorder, eventType, subEventType] = type;
  const actors = ACTORS[c];
  const pick = () => actors[Math.floor(rnd() * actors.length)]!;
  let a1 = pick();
  let a2: readonly [string, number] | null = pick();
  if (eventType === 'Protests') {
    a1 = actors.find((a) => a[1] === 6)!;
    a2 = subEventType === 'Protest with intervention' ? actors[1]! : null;
  } else if (eventType === 'Violence against civilians') {
    a2 = actors.find((a) => a[1] === 7)!;
  } else if (a2[0] === a1[0]) {
    a2 = null;
  }
  const day = new Date(START + Math.floor(rnd() * DAYS) * DAY_MS).toISOString().slice(0, 10);
  const tpRoll = rnd();
  const timePrecision = tpRoll < 0.85 ? 1 : tpRoll < 0.96 ? 2 : 3;
  const geoPrecision = place.kind === 'district' ? 2 : rnd() < 0.8 ? 1 : 2;
  const violent = disorder === 'Political violence';
  const fatalities = violent && rnd() < 0.55 ? Math.floor(-Math.log(1 - rnd()) * 3) : 0;
  const inter1 = a1[1];
  const inter2 = a2 ? a2[1] : 0;
  const interaction = a2 ? Number([inter1, inter2].sort((x, y) => x - y).join('')) : inter1 * 10;
  const source = SOURCES[Math.floor(rnd() * SOURCES.length)]!;
  const notes = `On ${day}, ${a1[0]}${a2 ? ` and ${a2[0]}` : ''}: ${subEventType.toLowerCase()} in ${place.name} (${place.admin2}, ${place.admin1}). ${fatalities} fatalities reported. [synthetic benchmark row ${n}]`;
  const timestamp = String(Math.floor(Date.parse(day) / 1000) + 7 * 86400 + Math.floor(rnd() * 86400));
  const values: Record<(typeof ACLED_COLUMNS)[number], string> = {
    event_id_cnty: `${c}${n + 1}`,
    event_date: day,
    year: day.slice(0, 4),
    time_precision: String(timePrecision),
    disorder_type: disorder,
    event_type: eventType,
    sub_event_type: subEventType,
    actor1: a1[0],
    assoc_actor_1: '',
    inter1: String(inter1),
    actor2: a2 ? a2[0] : '',
    assoc_actor_2: '',
    inter2: a2 ? String(inter2) : '',
    interaction: String(interaction),
    civilian_targeting: eventType === 'Violence against civilians' ? 'Civilian targeting' : '',
    iso: c === 'PAK' ? '586' : '4',
    region: 'South Asia',
    country: c === 'PAK' ? 'Pakistan' : 'Afghanistan',
    admin1: place.admin1,
    admin2: place.admin2,
    admin3: '',
    location: place.name,
    latitude: place.lat.toFixed(4),
    longitude: place.lon.toFixed(4),
    geo_precision: String(geoPrecision),
    source,
    source_scale: SCALES[Math.floor(rnd() * SCALES.length)]!,
    notes,
    fatalities: String(fatalities),
    tags: '',
    timestamp,
  };
  return ACLED_COLUMNS.map((col) => values[col]);
}

/** Write `rows` rows to `file`; resolves with the byte count. */
export async function generateAcledCsv(file: string, rows: number, seed: number, gazetteerFile: string): Promise<number> {
  const places = loadPlaces(gazetteerFile);
  const rnd = prng(seed);
  const out = createWriteStream(file);
  let bytes = 0;
  const write = async (s: string) => {
    bytes += Buffer.byteLength(s);
    if (!out.write(s)) await new Promise<void>((res) => out.once('drain', () => res()));
  };
  await write(ACLED_COLUMNS.join(',') + '\n');
  let chunk = '';
  for (let n = 0; n < rows; n++) {
    chunk += generateRow(n, rnd, places).map(csvCell).join(',') + '\n';
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  return bytes;
}
