// @vitest-environment jsdom
// The early-warning page: the self-exciting model's excitation matrix as a heat map with a table
// of the same numbers, its forecast, conflict and peace indicators side by side, and the neutral
// "not enough events" state when the server has no model — plus the page's pure date logic.
import { cleanup, render, screen, within } from '@testing-library/react';
import fc from 'fast-check';
import { createElement } from 'react';
import type { ComponentType } from 'react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { WarningModel, WarningPayload } from '../../web/src/lib/warning.js';
import { alertSubject, asOfParam, chainPoints, dayOfAsOf, fallbackDay, heatCells, isQuiet, usableModel } from '../../web/src/lib/warning.js';
import type { ContextModule, I18nModule } from './load.js';
import { el, loadWeb, text } from './load.js';

let WarningReport: ComponentType<{ view: WarningPayload }>;
let ctx: ContextModule;
let i18n: I18nModule;

beforeAll(async () => {
  i18n = await loadWeb<I18nModule>('i18n/index.ts');
  i18n.initI18n();
  ({ WarningReport } = await loadWeb<{ WarningReport: typeof WarningReport }>('pages/Warning.tsx'));
  ctx = await loadWeb<ContextModule>('app/context.tsx');
});
afterEach(() => {
  cleanup();
  i18n.changeLanguage('en');
});

const directory = {
  parties: new Map([
    ['PAK', { id: 'PAK', name: 'Pakistan', kind: 'state', country: 'PAK' }],
    ['AFG', { id: 'AFG', name: 'Afghanistan', kind: 'de_facto_authority', country: 'AFG' }],
  ]),
  actors: new Map([['TTP', { id: 'TTP', names: [{ name: 'TTP', lang: 'en' }], controlled_by: null }]]),
};

const stat = (events: number, z: number) => ({ days: 7, events, fatalities: events * 2, baseline: { windows: 26, events_mean: 0, events_sd: 0, fatalities_mean: 0, fatalities_sd: 0 }, events_z: z, fatalities_z: z * 2 });

/** Three dyads; row i, column j = events on j triggered by one event on i. */
const MODEL: WarningModel = {
  kind: 'hawkes-exp',
  dyads: ['PAK->AFG', 'AFG->PAK', 'TTP->PAK'],
  mu_per_day: [0.05, 0.04, 0.2],
  excitation: [
    [0.1, 0.62, 0],
    [0.48, 0.05, 0.01],
    [0.3, 0, 0.22],
  ],
  decay_hours: 30.5,
  spectral_radius: 0.71,
  fitted_on: { events: 42, from: '2025-04-01T00:00:00Z', to: '2025-10-18T00:00:00Z' },
  omitted_dyads: 0,
  forecast: {
    horizon_days: 7,
    items: [
      { dyad: 'PAK->AFG', expected: 1.4, low: 0, high: 4 },
      { dyad: 'TTP->PAK', expected: 3.2, low: 1, high: 6 },
    ],
  },
};

function payload(extra: Partial<WarningPayload> = {}): WarningPayload {
  return {
    as_of: '2025-10-12T00:00:00.000Z',
    window_hours: 72,
    thresholds: { chainMinLength: 3, chainMaxSpanDays: 7, lookbackDays: 7, zMin: 2, eventsMin: 3 },
    events: 5,
    indicators: [
      { by: 'dyad', key: 'PAK->AFG', last7: stat(3, 3), last28: { ...stat(3, 3), days: 28 } },
      { by: 'district', key: 'AFG/Paktika', last7: stat(1, 1), last28: { ...stat(1, 1), days: 28 } },
    ],
    chains: [{ first: 'PAK', second: 'AFG', events: ['INC-A', 'INC-B', 'INC-C'], length: 3, from: '2025-10-08T19:30:00.000Z', to: '2025-10-10T19:30:00.000Z', span_hours: 48, gaps_hours: [47.5, 0.5] }],
    alerts: [
      {
        id: 'ALERT-1',
        rule: 'retaliation_chain',
        subject: 'PAK<->AFG',
        headline: 'Retaliation chain of 3 events between PAK and AFG within 48 h',
        description: '',
        severity: 'Moderate',
        certainty: 'Possible',
        as_of: '2025-10-12T00:00:00.000Z',
        onset: '2025-10-10T19:30:00.000Z',
        events: ['INC-A', 'INC-B', 'INC-C'],
        points: [],
        districts: [],
        visibility: 'public',
      },
    ],
    ...extra,
  };
}

function show(view: WarningPayload): void {
  render(createElement(ctx.StaticDirectory, { value: directory }, createElement(WarningReport, { view })));
}

describe('early warning with a fitted model', () => {
  it('draws the excitation matrix and gives every number, row by triggering dyad, in a table', () => {
    show(payload({ model: MODEL, peace: [] }));
    const heat = screen.getByTestId('excitation-heatmap');
    // The chart is drawn (Observable Plot's SVG), labelled for screen readers by its explanation.
    const chart = el(heat).querySelector('[role=img]');
    expect(chart?.querySelector('svg')).not.toBeNull();
    expect(chart?.getAttribute('aria-labelledby')).toBeTruthy();
    // One cell per (row, column), each with its number printed on it.
    expect(el(heat).querySelectorAll('svg text').length).toBeGreaterThanOrEqual(9);
    const table = within(screen.getByTestId('excitation-table'));
    const rows = table.getAllByRole('row');
    expect(rows).toHaveLength(1 + MODEL.dyads.length);
    // Row "Pakistan → Afghanistan", column "Afghanistan → Pakistan": 0.62 (row 0, column 1).
    const first = within(rows[1]!);
    expect(text(first.getByRole('rowheader'))).toContain('Pakistan');
    expect(first.getAllByRole('cell').map((c) => text(c))).toEqual(['0.10', '0.62', '0.00']);
    expect(within(rows[3]!).getAllByRole('cell').map((c) => text(c))).toEqual(['0.30', '0.00', '0.22']);
    expect(text(screen.getByTestId('spectral-radius'))).toContain('0.71');
    expect(text(screen.getByTestId('spectral-radius'))).toContain('dies out');
  });

  it('shows the forecast with its interval for each dyad', () => {
    show(payload({ model: MODEL }));
    const forecast = within(screen.getByTestId('forecast'));
    const rows = forecast.getAllByRole('row').slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[1]!).getAllByRole('cell').map((c) => text(c))).toEqual(['3.2', '1 to 6']);
    expect(text(forecast.getByText(/next 7 days/))).toBeTruthy();
  });

  it('says a spectral radius of 1 or more means runs of events keep themselves going', () => {
    show(payload({ model: { ...MODEL, spectral_radius: 1.08 } }));
    expect(text(screen.getByTestId('spectral-radius'))).toContain('keeps itself going');
  });

  it('puts peace indicators next to the conflict indicators', () => {
    show(payload({ model: MODEL, peace: [{ scope: 'PAK->AFG', kind: 'crossing_reopened', last_7d: 2, last_28d: 5 }] }));
    const peace = within(screen.getByTestId('peace'));
    const row = peace.getAllByRole('row')[1]!;
    expect(text(row)).toContain('Crossings reopened');
    expect(within(row).getAllByRole('cell').map((c) => text(c)).slice(1)).toEqual(['2', '5']);
    // The conflict table flags the 7-day event z-score at or over the alert threshold (3 ≥ 2, not
    // 1), in words as well as colour; other columns are not what the rule reads.
    const conflict = el(screen.getByTestId('indicators'));
    expect(conflict.querySelectorAll('.z-high').length).toBe(1);
    expect(text(conflict)).toContain('above the alert threshold');
  });
});

describe('early warning without a model', () => {
  it('shows a neutral "not enough events" note when the model is null, and no heat map', () => {
    show(payload({ model: null, peace: [] }));
    const note = screen.getByTestId('model-empty');
    expect(text(note)).toContain('Not enough events to fit the model.');
    expect(screen.queryByTestId('excitation-heatmap')).toBeNull();
    expect(screen.queryByTestId('forecast')).toBeNull();
    // Everything else still shows: the alert with its CAP links, the indicators, the exchanges.
    const alerts = within(screen.getByTestId('alerts'));
    expect(text(alerts.getByRole('listitem'))).toContain('Between');
    expect(alerts.getByRole('link', { name: 'CAP document' }).getAttribute('href')).toBe('/api/v1/warning/cap/ALERT-1?as_of=2025-10-12T00%3A00%3A00.000Z');
    expect(screen.getByRole('link', { name: 'Alerts feed (CAP)' }).getAttribute('href')).toBe('/api/v1/warning/cap?as_of=2025-10-12T00%3A00%3A00.000Z');
    expect(screen.getByTestId('indicators')).toBeTruthy();
    expect(text(screen.getByTestId('chains'))).toContain('3 events over 48 hours');
  });

  it('treats a malformed model (matrix not square over its dyads) as no model', () => {
    show(payload({ model: { ...MODEL, excitation: [[0.1, 0.2]] } }));
    expect(screen.getByTestId('model-empty')).toBeTruthy();
  });

  it('says when the server does not send a model or peace indicators at all', () => {
    show(payload());
    expect(text(screen.getByTestId('model-empty'))).toContain('does not provide the model');
    expect(screen.queryByTestId('peace')).toBeNull();
  });

  it('renders right to left in Pashto with Eastern Arabic digits', () => {
    i18n.changeLanguage('ps');
    show(payload({ model: MODEL }));
    const cells = within(screen.getByTestId('excitation-table')).getAllByRole('cell');
    expect(text(cells[1]!)).toMatch(/^[۰-۹]٫[۰-۹]{2}$/);
    expect(document.documentElement.getAttribute('dir')).toBe('rtl');
  });
});

describe('early-warning helpers', () => {
  it('reads alert subjects: an exchange between two sides, a dyad, a district', () => {
    expect(alertSubject('PAK<->AFG')).toEqual({ kind: 'exchange', a: 'PAK', b: 'AFG' });
    expect(alertSubject('dyad:TTP->PAK')).toEqual({ kind: 'dyad', key: 'TTP->PAK' });
    expect(alertSubject('district:AFG/Paktika')).toEqual({ kind: 'district', key: 'AFG/Paktika' });
    expect(alertSubject('something else')).toEqual({ kind: 'other', text: 'something else' });
  });

  it('calls a view quiet only with no alert and no event in any 28-day window', () => {
    const quiet = { alerts: [], indicators: payload().indicators.map((i) => ({ ...i, last28: { ...i.last28, events: 0 } })) };
    expect(isQuiet(quiet)).toBe(true);
    expect(isQuiet({ ...quiet, alerts: payload().alerts })).toBe(false);
    expect(isQuiet({ alerts: [], indicators: payload().indicators })).toBe(false);
  });

  it('falls back to the day after the latest chain or the end of the model data', () => {
    expect(fallbackDay({ chains: payload().chains })).toBe('2025-10-11');
    // An exchange's alert is what the reader should land on: chains win over the model's data.
    expect(fallbackDay({ chains: payload().chains, model: MODEL })).toBe('2025-10-11');
    expect(fallbackDay({ chains: [], model: MODEL })).toBe('2025-10-19');
    expect(fallbackDay({ chains: [], model: null })).toBeNull();
  });

  it('maps a day to the end of that UTC day and back, for any day', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const day = d.toISOString().slice(0, 10);
        const asOf = asOfParam(day);
        expect(asOf).toMatch(/^\d{4}-\d{2}-\d{2}T00:00:00Z$/);
        expect(Date.parse(asOf) - Date.parse(`${day}T00:00:00Z`)).toBe(86_400_000);
        expect(dayOfAsOf(asOf)).toBe(day);
      }),
    );
  });

  it('lays each chain event after the previous one by its gap, alternating sides', () => {
    const pts = chainPoints(payload().chains);
    expect(pts.map((p) => p.at.toISOString())).toEqual(['2025-10-08T19:30:00.000Z', '2025-10-10T19:00:00.000Z', '2025-10-10T19:30:00.000Z']);
    expect(pts.map((p) => p.side)).toEqual(['PAK', 'AFG', 'PAK']);
  });

  it('gives one heat-map cell per row and column, in the model order', () => {
    const cells = heatCells(MODEL);
    expect(cells).toHaveLength(9);
    expect(cells[1]).toEqual({ from: 'PAK->AFG', to: 'AFG->PAK', value: 0.62 });
    expect(usableModel(MODEL)).toBe(MODEL);
    expect(usableModel({ ...MODEL, dyads: [] })).toBeNull();
  });
});
