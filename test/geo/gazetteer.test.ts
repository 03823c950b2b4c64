import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createGazetteer, GeoError, loadGeo, type GazetteerData, type Place } from '../../src/geo/index.js';

const geo = loadGeo();

describe('lookup: border places in several spellings and scripts', () => {
  it.each([
    ['Bermal', 'AFG', 'Paktika', 'Barmal'],
    ['Barmal', 'AFG', 'Paktika', 'Barmal'],
    ['برمل', 'AFG', 'Paktika', 'Barmal'],
    ['Spin Boldak', 'AFG', 'Kandahar', 'Spin Boldak'],
    ['Spin Buldak', 'AFG', 'Kandahar', 'Spin Boldak'],
    ['spin-boldak', 'AFG', 'Kandahar', 'Spin Boldak'],
    ['سپین بولدک', 'AFG', 'Kandahar', 'Spin Boldak'],
    ['Chaman', 'PAK', 'Balochistan', 'Qilla Abdullah'],
    ['چمن', 'PAK', 'Balochistan', 'Qilla Abdullah'],
    ['Parachinar', 'PAK', 'Khyber Pakhtunkhwa', 'Kurram'],
    ['پاړه چنار', 'PAK', 'Khyber Pakhtunkhwa', 'Kurram'],
    ['Mir Ali', 'PAK', 'Khyber Pakhtunkhwa', 'North Waziristan'],
    ['Mirali', 'PAK', 'Khyber Pakhtunkhwa', 'North Waziristan'],
    ['Khar', 'PAK', 'Khyber Pakhtunkhwa', 'Bajaur'],
    ['Urgun', 'AFG', 'Paktika', 'Urgun'],
    ['ورګون', 'AFG', 'Paktika', 'Urgun'],
    ['ورگون', 'AFG', 'Paktika', 'Urgun'],
    ['Dand Patan', 'AFG', 'Paktia', 'Dand Patan'],
    ['Miranshah', 'PAK', 'Khyber Pakhtunkhwa', 'North Waziristan'],
  ])('%s → %s / %s / %s', (query, country, admin1, admin2) => {
    const r = geo.lookup(query);
    expect(r.ambiguous).toBe(false);
    const top = r.items[0];
    expect(top).toBeDefined();
    expect(top?.country).toBe(country);
    expect(top?.admin1).toBe(admin1);
    expect(top?.admin2).toBe(admin2);
    expect(top?.score).toBeGreaterThanOrEqual(0.85);
  });

  it('finds border crossings, which belong to both sides', () => {
    const torkham = geo.lookup('Torkham').items[0];
    expect(torkham).toMatchObject({ name: 'Torkham', kind: 'crossing', country: null, score: 1 });
    expect(torkham?.sides).toEqual([
      { country: 'AFG', admin1: 'Nangarhar', admin2: 'Muhmand Dara' },
      { country: 'PAK', admin1: 'Khyber Pakhtunkhwa', admin2: 'Khyber' },
    ]);
    expect(geo.lookup('تورخم').items[0]?.id).toBe(torkham?.id);
    expect(geo.lookup('Torkham border').items[0]?.id).toBe(torkham?.id);

    for (const [query, name] of [
      ['Friendship Gate', 'Chaman–Spin Boldak crossing (Friendship Gate)'],
      ['Bab-e-Dosti', 'Chaman–Spin Boldak crossing (Friendship Gate)'],
      ['Angoor Adda', 'Angoor Adda'],
      ['Angur Ada', 'Angoor Adda'],
      ['Ghulam Khan', 'Ghulam Khan'],
      ['Kharlachi', 'Kharlachi'],
    ] as const) {
      const top = geo.lookup(query).items[0];
      expect(top?.name, query).toBe(name);
      expect(top?.kind).toBe('crossing');
    }
  });

  it('ranks exact matches above transliteration matches above fuzzy ones', () => {
    const exact = geo.lookup('Parachinar').items[0];
    const skeleton = geo.lookup('Parachinaar').items[0];
    const fuzzy = geo.lookup('Parchinar').items[0];
    expect(exact?.match).toBe('exact');
    expect(skeleton?.match).toBe('skeleton');
    expect(fuzzy?.match).toBe('fuzzy');
    expect(exact?.id).toBe(skeleton?.id);
    expect(exact?.id).toBe(fuzzy?.id);
    expect(exact!.score).toBeGreaterThan(skeleton!.score);
    expect(skeleton!.score).toBeGreaterThan(fuzzy!.score);
  });

  it('reports which name matched', () => {
    const r = geo.lookup('Spin Buldak').items[0];
    expect(r?.matched).toBe('Spin Buldak');
    expect(r?.names).toContain('سپین بولدک');
  });
});

describe('lookup: ambiguity is reported, never resolved silently', () => {
  it('flags a name used in both countries', () => {
    const r = geo.lookup('Kohistan');
    expect(r.ambiguous).toBe(true);
    const countries = new Set(r.items.filter((i) => i.score === 1).map((i) => i.country));
    expect(countries).toEqual(new Set(['AFG', 'PAK']));
    expect(geo.resolvePlace('Kohistan')).toBeNull();
  });

  it('flags two districts of the same name in different provinces', () => {
    const r = geo.lookup('Arghandab');
    expect(r.ambiguous).toBe(true);
    expect(new Set(r.items.map((i) => i.admin1))).toEqual(new Set(['Kandahar', 'Zabul']));
  });

  it('does not flag a town and the district or province named after it', () => {
    for (const q of ['Kabul', 'Khost', 'Spin Boldak', 'Urgun', 'Zhob', 'Jalalabad']) {
      const r = geo.lookup(q);
      expect(r.ambiguous, q).toBe(false);
      expect(r.items.length, q).toBeGreaterThan(1);
    }
  });

  it('narrows a name by a province, district or country after a comma', () => {
    expect(geo.lookup('Arghandab, Zabul')).toMatchObject({ ambiguous: false, items: [{ admin1: 'Zabul' }] });
    expect(geo.lookup('Kohistan, Pakistan').items[0]?.country).toBe('PAK');
    expect(geo.lookup('Khar, Bajaur').items[0]).toMatchObject({ name: 'Khar', admin2: 'Bajaur' });
  });

  it('filters by country and kind', () => {
    const r = geo.lookup('Kohistan', { country: 'PAK' });
    expect(r.ambiguous).toBe(false);
    expect(r.items.every((i) => i.country === 'PAK')).toBe(true);
    expect(geo.lookup('Kabul', { kinds: ['province'] }).items.map((i) => i.kind)).toEqual(['province']);
    expect(geo.lookup('Torkham', { country: 'AFG' }).items[0]?.kind).toBe('crossing');
  });

  it('applies the filters before choosing the match tier', () => {
    // the town Sheikhupura matches exactly; the district is spelled "Sheikhpura" in the boundary data
    expect(geo.lookup('Sheikhupura').items[0]?.kind).toBe('populated_place');
    expect(geo.lookup('Sheikhupura', { kinds: ['district'] }).items[0]).toMatchObject({ name: 'Sheikhpura', match: 'fuzzy' });
  });

  it('prefers the kind of place the query names', () => {
    expect(geo.lookup('Spin Boldak district').items[0]?.kind).toBe('district');
    expect(geo.lookup('Spin Boldak').items[0]?.kind).toBe('populated_place');
  });
});

describe('former admin names (FATA merger, NWFP rename)', () => {
  it('finds the current unit under its former name', () => {
    expect(geo.lookup('Khyber Agency').items[0]).toMatchObject({ name: 'Khyber', kind: 'district', admin1: 'Khyber Pakhtunkhwa' });
    expect(geo.lookup('NWFP').items[0]).toMatchObject({ name: 'Khyber Pakhtunkhwa', kind: 'province' });
    expect(geo.lookup('F.A.T.A.').items[0]).toMatchObject({ name: 'Khyber Pakhtunkhwa', kind: 'province' });
    expect(geo.lookup('FR Bannu').items[0]).toMatchObject({ name: 'Bannu', kind: 'district' });
  });

  it('maps a former name to the current one, with the rename', () => {
    const fata = geo.resolveAdminName('FATA');
    expect(fata.name).toBe('Khyber Pakhtunkhwa');
    expect(fata.rename?.since).toBe('2018-05-31');
    for (const agency of ['Bajaur', 'Mohmand', 'Khyber', 'Orakzai', 'Kurram', 'North Waziristan', 'South Waziristan']) {
      expect(geo.resolveAdminName(`${agency} Agency`, { country: 'PAK', level: 'admin2' }).name).toBe(agency);
    }
    expect(geo.resolveAdminName('N.W.F.P.').name).toBe('Khyber Pakhtunkhwa');
    expect(geo.resolveAdminName('Kandahar')).toEqual({ name: 'Kandahar', rename: null });
  });
});

describe('resolvePlace (the PlacesPort of the use cases)', () => {
  it('returns the single confident match', () => {
    expect(geo.resolvePlace('Chaman')).toMatchObject({ admin1: 'Balochistan', precision: 1 });
    expect(geo.resolvePlace('Barmal', 'AFG')).toMatchObject({ admin1: 'Paktika', admin2: 'Barmal', precision: 3 });
    expect(geo.resolvePlace('Chaman', 'Pakistan')).not.toBeNull();
  });

  it('returns null for no match, an ambiguous name, or a country it does not cover', () => {
    expect(geo.resolvePlace('Atlantis')).toBeNull();
    expect(geo.resolvePlace('Arghandab')).toBeNull();
    expect(geo.resolvePlace('Chaman', 'India')).toBeNull();
  });
});

describe('hostile queries', () => {
  it('returns nothing for empty or punctuation-only queries', () => {
    for (const q of ['', '   ', '---', '\u200C\u200D', 'ـــ']) expect(geo.lookup(q)).toEqual({ query: q, items: [], ambiguous: false });
  });

  it('bounds the work for a very long query', () => {
    const t = performance.now();
    const r = geo.lookup('Kabul'.repeat(100_000));
    expect(performance.now() - t).toBeLessThan(500);
    expect(r.items.length).toBeLessThanOrEqual(10);
  });

  it('rejects a query that is not a string with a coded error', () => {
    const bad = 42 as unknown as string;
    expect(() => geo.lookup(bad)).toThrow(GeoError);
    try {
      geo.lookup(bad);
    } catch (e) {
      expect((e as GeoError).code).toBe('INVALID_QUERY');
    }
  });

  it('never throws on arbitrary strings, and always returns ranked scores in [0, 1]', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.string(), fc.constantFrom('Kabul,', ',Kabul', 'Kohistan, , ,', 'ـ,ـ')), (q) => {
        const r = geo.lookup(q, { limit: 5 });
        expect(r.items.length).toBeLessThanOrEqual(5);
        for (let i = 0; i < r.items.length; i++) {
          const s = r.items[i]!.score;
          expect(s).toBeGreaterThanOrEqual(0);
          expect(s).toBeLessThanOrEqual(1);
          if (i > 0) expect(s).toBeLessThanOrEqual(r.items[i - 1]!.score);
        }
        if (r.items.length === 0) expect(r.ambiguous).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('createGazetteer over plain data', () => {
  const place = (over: Partial<Place>): Place => ({
    id: 'x',
    name: 'X',
    names: [],
    country: 'AFG',
    admin1: 'A',
    admin2: 'B',
    lat: 33,
    lon: 69,
    population: 0,
    kind: 'populated_place',
    precision: 1,
    source: 'test',
    ...over,
  });

  it('treats two far-apart places with one name in one country as ambiguous, near ones as one place', () => {
    const data: GazetteerData = {
      renames: [],
      places: [
        place({ id: 'a', name: 'Mandi', lat: 33, lon: 69 }),
        place({ id: 'b', name: 'Mandi', lat: 33.05, lon: 69.05 }),
      ],
    };
    expect(createGazetteer(data).lookup('Mandi').ambiguous).toBe(false);
    const far: GazetteerData = { ...data, places: [data.places[0]!, place({ id: 'c', name: 'Mandi', lat: 35, lon: 63, admin1: 'C' })] };
    expect(createGazetteer(far).lookup('Mandi').ambiguous).toBe(true);
  });
});
