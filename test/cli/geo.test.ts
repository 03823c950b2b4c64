import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/env.js';

// Runs the compiled CLI: build dist first (npx tsc -p tsconfig.json).
const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');

function mizan(args: string[]) {
  return spawnSync(process.execPath, [MIZAN, ...args], { encoding: 'utf8', env: { ...process.env, DATABASE_URL: '' } });
}

interface Item {
  id: string;
  name: string;
  names: string[];
  country: string | null;
  admin1: string | null;
  admin2: string | null;
  kind: string;
  score: number;
}

function lookup(...args: string[]): { status: number | null; body: { items: Item[]; ambiguous: boolean } } {
  const r = mizan(['geo', 'lookup', ...args, '--json']);
  return { status: r.status, body: JSON.parse(r.stdout) as { items: Item[]; ambiguous: boolean } };
}

describe('mizan geo lookup', () => {
  it('finds Barmal in Paktika from "Bermal" and from the Arabic-script برمل, listing its names in every script', () => {
    for (const q of ['Bermal', 'برمل']) {
      const { status, body } = lookup(q);
      expect(status).toBe(0);
      expect(body.items[0]).toMatchObject({ name: 'Barmal', country: 'AFG', admin1: 'Paktika' });
      expect(body.items[0]!.names).toContain('برمل');
      expect(body.items[0]!.score).toBeGreaterThan(0.9);
    }
  });

  it('takes a name of several words without quotes, ranked best first', () => {
    const { body } = lookup('Spin', 'Buldak');
    expect(body.items[0]).toMatchObject({ admin2: 'Spin Boldak', admin1: 'Kandahar' });
    const scores = body.items.map((i) => i.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('--country restricts the candidates; --limit caps them', () => {
    const pak = lookup('Khar', '--country', 'PAK', '--limit', '3');
    expect(pak.body.items.length).toBeGreaterThan(0);
    expect(pak.body.items.length).toBeLessThanOrEqual(3);
    expect(pak.body.items.every((i) => i.country === 'PAK' || i.kind === 'crossing')).toBe(true);
  });

  it('answers the same as GET /api/v1/places: {items, ambiguous}', () => {
    const { body } = lookup('Chaman');
    expect(Object.keys(body).sort()).toEqual(['ambiguous', 'items']);
    expect(typeof body.ambiguous).toBe('boolean');
  });

  it('prints a readable list without --json and says when the name is ambiguous', () => {
    const json = lookup('Khar');
    const r = mizan(['geo', 'lookup', 'Khar']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(json.body.items[0]!.id);
    if (json.body.ambiguous) expect(r.stdout).toMatch(/^AMBIGUOUS/);
    else expect(r.stdout).not.toContain('AMBIGUOUS');
  });

  it('exits 2 when nothing matches, 1 on a blank name or an unknown country', () => {
    const none = lookup('qqqqqqqqqq');
    expect(none.status).toBe(2);
    expect(none.body.items).toEqual([]);
    const blank = mizan(['geo', 'lookup', '  ']);
    expect(blank.status).toBe(1);
    expect(blank.stderr).toContain('INVALID_QUERY');
    const country = mizan(['geo', 'lookup', 'Khar', '--country', 'IND']);
    expect(country.status).toBe(1);
    expect(country.stderr).toContain('must be AFG or PAK');
  });
});

describe('mizan geo point', () => {
  const point = (lat: string, lon: string) => {
    const r = mizan(['geo', 'point', lat, lon, '--json']);
    return { status: r.status, stderr: r.stderr, body: r.status === 0 ? (JSON.parse(r.stdout) as Record<string, unknown>) : null };
  };

  it('Barmal district: Afghanistan side, its province and district, distance to the border and the nearest crossing', () => {
    const { status, body } = point('32.7', '69.1');
    expect(status).toBe(0);
    expect(body).toMatchObject({ country: 'AFG', side: 'AFG', admin1: 'Paktika', admin2: 'Barmal' });
    expect(body!.distance_to_border_km).toBeGreaterThan(5);
    expect(body!.distance_to_border_km).toBeLessThan(60);
    expect(body!.nearest_crossing).toMatchObject({ name: 'Angoor Adda' });
  });

  it('a point in Pakistan is on the Pakistani side; Delhi is on neither', () => {
    expect(point('33.9985', '71.5249').body).toMatchObject({ country: 'PAK', side: 'PAK' }); // Peshawar
    expect(point('28.6139', '77.209').body).toMatchObject({ country: null, side: null, admin1: null });
  });

  it('accepts negative coordinates as arguments', () => {
    expect(point('-33.9', '-70.6')).toMatchObject({ status: 0, body: { side: null } });
  });

  it('refuses non-numbers and out-of-range values with INVALID_COORDINATES and exit 1', () => {
    for (const [lat, lon, said] of [
      ['abc', '69', 'latitude "abc" is not a decimal number'],
      ['32.7', '69e1', 'longitude "69e1" is not a decimal number'],
      ['0x10', '69', 'not a decimal number'],
      ['', '69', 'not a decimal number'],
      ['91', '69', 'latitude 91 is outside [-90, 90]'],
      ['32', '-181', 'longitude -181 is outside [-180, 180]'],
    ] as const) {
      const r = point(lat, lon);
      expect(r.status, `${lat} ${lon}`).toBe(1);
      expect(r.stderr).toContain('INVALID_COORDINATES');
      expect(r.stderr).toContain(said);
    }
  });

  it('prints a readable summary naming the border as the Durand Line', () => {
    const r = mizan(['geo', 'point', '34.1', '71.1']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Afghanistan–Pakistan border (Durand Line)');
    expect(r.stdout).toMatch(/nearest crossing: Torkham, [\d.]+ km/);
  });

  it('--help explains the exit status and that Afghanistan does not recognise the line', () => {
    const r = mizan(['geo', 'point', '--help']);
    expect(r.stdout).toContain('Exit status');
    expect(r.stdout).toContain('does not recognise');
    expect(mizan(['geo', '--help']).stdout).toMatch(/lookup[\s\S]*point/);
  });
});
