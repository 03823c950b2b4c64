// The early-warning charts: the model's excitation matrix as a heat map, its 7-day forecast with
// intervals, and the retaliation chains on a time axis. Observable Plot draws each; the numbers
// are always also in a table next to the chart, for screen readers and for reading exact values.
import * as Plot from '@observablehq/plot';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, incidentPath } from '../app/router.js';
import { useFormat } from '../lib/format.js';
import { chainPoints, dyadParts, heatCells } from '../lib/warning.js';
import type { HeatCell, RetaliationChain, WarningModel } from '../lib/warning.js';
import { mountPlot, useWidth } from './useWidth.js';

/** "PAK → AFG" / "AFG ↔ PAK": compact, script-neutral axis labels (tables carry the full names). */
export function dyadCode(key: string): string {
  const p = dyadParts(key);
  if (!p) return key;
  return p.directed ? `${p.a} → ${p.b}` : `${p.a} ↔ ${p.b}`;
}

const two = { maximumFractionDigits: 2, minimumFractionDigits: 2 } as const;

/** Excitation matrix: row = the dyad whose event triggers, column = the dyad where events follow. */
export function ExcitationHeatmap({ model, dyadLabel }: { model: WarningModel; dyadLabel: (key: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const titleId = useId();
  const cells = heatCells(model);
  const max = Math.max(...cells.map((c) => c.value), 0);

  useEffect(() => {
    if (!chart.current) return undefined;
    const codes = model.dyads.map(dyadCode);
    const longest = Math.max(...codes.map((c) => c.length));
    const size = Math.min(72, Math.max(40, Math.floor((width - longest * 7 - 20) / Math.max(1, model.dyads.length))));
    const fig = Plot.plot({
      width: Math.min(width, longest * 7 + 24 + size * model.dyads.length),
      height: 48 + size * model.dyads.length,
      marginLeft: longest * 7 + 16,
      marginTop: 40,
      marginBottom: 8,
      padding: 0.04,
      x: { axis: 'top', domain: model.dyads as string[], tickFormat: dyadCode, label: null, tickRotate: model.dyads.length > 3 ? -30 : 0 },
      y: { domain: model.dyads as string[], tickFormat: dyadCode, label: null },
      color: { type: 'linear', domain: [0, Math.max(max, 0.01)], range: ['#f4f1ea', '#7a3b00'] },
      marks: [
        Plot.cell(cells, { x: 'to', y: 'from', fill: 'value', title: (c: HeatCell) => `${dyadLabel(c.from)} ⇒ ${dyadLabel(c.to)}: ${f.num(c.value, two)}` }),
        Plot.text(cells, {
          x: 'to',
          y: 'from',
          text: (c: HeatCell) => f.num(c.value, two),
          // Dark cells get light digits, so every number stays readable.
          fill: (c: HeatCell) => (max > 0 && c.value / max > 0.55 ? '#ffffff' : '#1d2730'),
          fontSize: 12,
          fontWeight: 600,
        }),
      ],
    });
    return mountPlot(chart.current, fig);
  }, [model, width, f.locale, dyadLabel, max]);

  return (
    <div ref={box} className="heatmap" data-testid="excitation-heatmap">
      <p id={titleId} className="small">
        {t('warning.heatmapHow')}
      </p>
      <div ref={chart} className="chart static" dir="ltr" role="img" aria-labelledby={titleId} />
      <details className="table-alt">
        <summary>{t('warning.asTable')}</summary>
        <div className="table-scroll" role="region" aria-label={t('warning.excitation')} tabIndex={0}>
          <table className="data-table numbers" data-testid="excitation-table">
            <caption className="sr-only">{t('warning.excitationCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('warning.triggering')}</th>
                {model.dyads.map((d) => (
                  <th scope="col" key={d}>
                    {dyadLabel(d)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {model.dyads.map((from, i) => (
                <tr key={from}>
                  <th scope="row">{dyadLabel(from)}</th>
                  {model.dyads.map((to, j) => (
                    <td key={to}>{f.num(model.excitation[i]?.[j] ?? 0, two)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

type ForecastItem = WarningModel['forecast']['items'][number];

/** Expected events per dyad over the horizon, with the interval around each. */
export function ForecastChart({ model, dyadLabel }: { model: WarningModel; dyadLabel: (key: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const titleId = useId();
  const items = model.forecast.items;

  useEffect(() => {
    if (!chart.current || items.length === 0) return undefined;
    const longest = Math.max(...items.map((i) => dyadCode(i.dyad).length));
    const fig = Plot.plot({
      width,
      height: 36 + 30 * items.length,
      marginLeft: longest * 7 + 16,
      marginRight: 16,
      x: { grid: true, label: null, nice: true, domain: [0, Math.max(1, ...items.map((i) => i.high))], tickFormat: (n: number) => f.num(n) },
      y: { domain: items.map((i) => i.dyad), tickFormat: dyadCode, label: null },
      marks: [
        Plot.ruleY(items, { y: 'dyad', x1: 'low', x2: 'high', stroke: '#6b7a88', strokeWidth: 3, strokeLinecap: 'round' }),
        Plot.dot(items, { y: 'dyad', x: 'expected', r: 5, fill: '#7a3b00', title: (i: ForecastItem) => `${dyadLabel(i.dyad)}: ${f.num(i.expected, { maximumFractionDigits: 1 })} (${f.num(i.low, { maximumFractionDigits: 1 })}–${f.num(i.high, { maximumFractionDigits: 1 })})` }),
        Plot.ruleX([0]),
      ],
    });
    return mountPlot(chart.current, fig);
  }, [items, width, f.locale, dyadLabel]);

  if (items.length === 0) return <p className="muted">{t('warning.noForecast')}</p>;
  return (
    <div ref={box} data-testid="forecast">
      <p id={titleId} className="small">
        {t('warning.forecastHow', { days: model.forecast.horizon_days })}
      </p>
      <div ref={chart} className="chart static" dir="ltr" role="img" aria-labelledby={titleId} />
      <div className="table-scroll" role="region" aria-label={t('warning.forecast')} tabIndex={0}>
        <table className="data-table numbers">
          <thead>
            <tr>
              <th scope="col">{t('warning.dyad')}</th>
              <th scope="col">{t('warning.expected')}</th>
              <th scope="col">{t('warning.interval')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={i.dyad}>
                <th scope="row">{dyadLabel(i.dyad)}</th>
                <td>{f.num(i.expected, { maximumFractionDigits: 1 })}</td>
                <td>{t('warning.range', { low: f.num(i.low, { maximumFractionDigits: 1 }), high: f.num(i.high, { maximumFractionDigits: 1 }) })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

const SIDE_COLOURS = ['#1f5f8b', '#b5651d', '#4d7c0f', '#7c3aed'];

/** Each chain as a line from its first to its last event, one dot per event coloured by the side that acted. */
export function ChainTimeline({ chains, sideName }: { chains: readonly RetaliationChain[]; sideName: (id: string) => string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<HTMLDivElement>(null);
  const width = useWidth(box);
  const titleId = useId();
  const sides = [...new Set(chains.flatMap((c) => [c.first, c.second]))].sort();
  const colour = (s: string) => SIDE_COLOURS[sides.indexOf(s) % SIDE_COLOURS.length] ?? SIDE_COLOURS[0]!;

  useEffect(() => {
    if (!chart.current || chains.length === 0) return undefined;
    const points = chainPoints(chains);
    const lines = chains.map((c, k) => ({ chain: k, from: new Date(c.from), to: new Date(c.to) }));
    const label = (k: number) => t('warning.chainN', { n: f.num(k + 1) });
    const times = points.map((p) => p.at.getTime());
    const lo = Math.min(...times);
    const hi = Math.max(...times);
    // A little room either side so the first and last dots are not cut; ticks on whole days (a
    // count of ticks would put several on one day, each labelled with the same date).
    const pad = Math.max(3_600_000 * 6, (hi - lo) * 0.04);
    const spanDays = (hi - lo + 2 * pad) / 86_400_000;
    const fig = Plot.plot({
      width,
      height: 40 + 28 * chains.length,
      marginLeft: 70,
      marginRight: 16,
      x: { type: 'utc', label: null, domain: [new Date(lo - pad), new Date(hi + pad)], tickFormat: (d: Date) => f.dayShort(d), ticks: spanDays <= width / 90 ? 'day' : Math.max(2, Math.floor(width / 110)) },
      y: { domain: chains.map((_, k) => k), tickFormat: label, label: null },
      marks: [
        Plot.ruleY(lines, { y: 'chain', x1: 'from', x2: 'to', stroke: '#9aa5b1', strokeWidth: 2 }),
        Plot.dot(points, { y: 'chain', x: 'at', r: 5, fill: (p: { side: string }) => colour(p.side), title: (p: { event: string; side: string; at: Date }) => `${p.event} · ${sideName(p.side)} · ${f.dateTime(p.at.toISOString(), 'Asia/Karachi')}` }),
      ],
    });
    return mountPlot(chart.current, fig);
  }, [chains, width, f.locale, sideName]);

  if (chains.length === 0) return <p className="muted">{t('warning.noChains')}</p>;
  return (
    <div ref={box} data-testid="chains">
      <p id={titleId} className="small">
        {t('warning.chainsHow')}
      </p>
      <div ref={chart} className="chart static" dir="ltr" role="img" aria-labelledby={titleId} />
      <ul className="legend-row">
        {sides.map((s) => (
          <li key={s} className="legend-item">
            <span className="swatch" style={{ backgroundColor: colour(s) }} aria-hidden="true" />
            {t('warning.actedBy', { side: sideName(s) })}
          </li>
        ))}
      </ul>
      <ol className="plain chain-list">
        {chains.map((c, k) => (
          <li key={k}>
            <strong>{t('warning.chainN', { n: f.num(k + 1) })}</strong>: {t('warning.chainText', { first: sideName(c.first), second: sideName(c.second), count: c.length, hours: f.num(Math.round(c.span_hours)) })} · {f.date(c.from, 'Asia/Karachi')} – {f.date(c.to, 'Asia/Karachi')}
            <span className="small muted" dir="ltr">
              {' '}
              (
              {c.events.map((e, i) => (
                <span key={e}>
                  {i > 0 && ', '}
                  <Link to={incidentPath(e)}>
                    <code dir="ltr">{e}</code>
                  </Link>
                </span>
              ))}
              )
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}
