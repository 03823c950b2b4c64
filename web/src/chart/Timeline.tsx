// Incidents and fatalities per day by dyad, with the agreements' windows as bands behind them.
// Observable Plot draws SVG; a click on a day (or the day list, for the keyboard) selects it.
import * as Plot from '@observablehq/plot';
import type { RefObject } from 'react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementRecord, Incident } from '../api/types.js';
import { useDirectory } from '../app/context.js';
import { useFormat } from '../lib/format.js';
import { NO_DYAD, OPEN_DYAD, agreementBands, buildTimeline, dyadColour, dyadSides } from '../lib/timeline.js';
import type { DailyBar } from '../lib/timeline.js';

interface Props {
  readonly incidents: readonly Incident[];
  readonly agreements: readonly AgreementRecord[];
  readonly selectedDay: string | null;
  readonly onSelectDay: (day: string | null) => void;
  readonly dyadLabel: (dyad: string) => string;
  /** Every dyad the colours are assigned over, so a selection keeps each dyad's colour. */
  readonly dyadDomain?: readonly string[];
}

const BAND_FILLS = ['#2a9d8f', '#8e7dbe', '#e9c46a', '#457b9d'];

function useWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [w, setW] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(([e]) => setW(Math.max(280, Math.floor(e!.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [ref]);
  return w;
}

export function Timeline({ incidents, agreements, selectedDay, onSelectDay, dyadLabel, dyadDomain }: Props) {
  const { t } = useTranslation();
  const f = useFormat();
  const dir = useDirectory();
  const box = useRef<HTMLDivElement>(null);
  const countsRef = useRef<HTMLDivElement>(null);
  const fatalRef = useRef<HTMLDivElement>(null);
  const spanRef = useRef<HTMLDivElement>(null);
  const width = useWidth(box);

  const windows = useMemo(() => agreements.flatMap((a) => a.windows), [agreements]);
  const data = useMemo(() => buildTimeline(incidents, dir.actors, windows), [incidents, dir.actors, windows]);
  const bands = useMemo(() => agreementBands(agreements, data.domain), [agreements, data.domain]);
  const bandColour = (id: string) => BAND_FILLS[agreements.findIndex((a) => a.id === id) % BAND_FILLS.length] ?? BAND_FILLS[0]!;
  const colour = (d: string) => dyadColour(dyadDomain ?? data.dyads, d);
  const anyFatalities = data.bars.some((b) => b.fatalities > 0);
  const days = useMemo(() => [...new Set(data.bars.map((b) => b.day.toISOString().slice(0, 10)))], [data.bars]);

  useEffect(() => {
    const targets = [countsRef.current, fatalRef.current, spanRef.current];
    if (targets.some((x) => !x)) return undefined;
    const [countsEl, fatalEl, spanEl] = targets as [HTMLDivElement, HTMLDivElement, HTMLDivElement];
    const x = { type: 'utc' as const, domain: [...data.domain], label: null, tickFormat: (d: Date) => f.dayShort(d), ticks: Math.max(2, Math.floor(width / 90)) };
    const num = (n: number) => (Number.isInteger(n) ? f.num(n) : '');
    const sel = selectedDay ? [{ from: new Date(`${selectedDay}T00:00:00Z`), to: new Date(Date.parse(`${selectedDay}T00:00:00Z`) + 86_400_000) }] : [];
    const tip = (b: DailyBar) => `${f.date(b.day.toISOString())} · ${dyadLabel(b.dyad)}: ${f.num(b.count)}`;
    const bandMarks = [
      Plot.rectX(bands, { x1: 'from', x2: 'to', fill: (b: { agreement: string }) => bandColour(b.agreement), fillOpacity: 0.16 }),
      Plot.ruleX(bands, { x: 'from', stroke: (b: { agreement: string }) => bandColour(b.agreement), strokeOpacity: 0.7, strokeDasharray: '3,2' }),
    ];
    const selMark = Plot.rectX(sel, { x1: 'from', x2: 'to', fill: 'none', stroke: '#111', strokeWidth: 1.5 });

    const counts = Plot.plot({
      width,
      height: 190,
      marginLeft: 36,
      marginTop: 14,
      x,
      y: { grid: true, label: null, tickFormat: num, nice: true },
      marks: [
        ...bandMarks,
        Plot.rectY(data.bars, { x1: 'day', x2: 'dayEnd', y: 'count', fill: (b: DailyBar) => colour(b.dyad), inset: 0.5, title: tip }),
        selMark,
        Plot.ruleY([0]),
      ],
    });
    const fatal = Plot.plot({
      width,
      height: 120,
      marginLeft: 36,
      marginTop: 8,
      x,
      y: { grid: true, label: null, tickFormat: num, nice: true, domain: anyFatalities ? undefined : [0, 1] },
      marks: [
        ...bandMarks,
        Plot.rectY(
          data.bars.filter((b) => b.fatalities > 0),
          { x1: 'day', x2: 'dayEnd', y: 'fatalities', fill: (b: DailyBar) => colour(b.dyad), inset: 0.5, title: (b: DailyBar) => `${f.date(b.day.toISOString())} · ${dyadLabel(b.dyad)}: ${f.num(b.fatalities)}` },
        ),
        selMark,
        Plot.ruleY([0]),
      ],
    });
    const spans = data.spans.length
      ? Plot.plot({
          width,
          height: 16 + 14 * data.spans.length,
          marginLeft: 36,
          marginTop: 6,
          marginBottom: 6,
          x: { ...x, axis: null },
          y: { axis: null, domain: data.spans.map((s) => s.id) },
          marks: [
            ...bandMarks,
            Plot.ruleY(data.spans, { x1: 'from', x2: 'to', y: 'id', stroke: (s: { dyad: string }) => colour(s.dyad), strokeWidth: 6, strokeLinecap: 'round', title: (s: { title: string }) => s.title }),
            selMark,
          ],
        })
      : null;

    const click = (plot: ReturnType<typeof Plot.plot>) => (e: MouseEvent) => {
      const svg = (plot.tagName.toLowerCase() === 'svg' ? plot : plot.querySelector('svg')) as SVGSVGElement | null;
      const scale = plot.scale('x');
      if (!svg || !scale?.invert) return;
      const rect = svg.getBoundingClientRect();
      const at = scale.invert(e.clientX - rect.left) as Date;
      if (!(at instanceof Date) || Number.isNaN(at.getTime())) return;
      const day = at.toISOString().slice(0, 10);
      onSelectDay(day === selectedDay ? null : day);
    };
    const plots = [
      [countsEl, counts],
      [fatalEl, fatal],
      [spanEl, spans],
    ] as const;
    for (const [el, p] of plots) {
      el.replaceChildren();
      if (p) {
        // Plot adds an inline <style>; a strict CSP (style-src 'self') refuses it, and app.css has the same rules.
        for (const st of p.querySelectorAll('style')) st.remove();
        const onClick = click(p);
        p.addEventListener('click', (e) => onClick(e as MouseEvent));
        el.append(p);
      }
    }
    return () => {
      for (const [el] of plots) el.replaceChildren();
    };
  }, [data, bands, width, selectedDay, f.locale, dyadLabel]);

  const dyadsShown = data.dyads;
  return (
    <div className="timeline" ref={box}>
      <div className="chart-block">
        <h3 className="chart-title" id="tl-counts">
          {t('timeline.incidentsPerDay')}
        </h3>
        <div ref={countsRef} className="chart" dir="ltr" role="img" aria-labelledby="tl-counts" data-testid="timeline-counts" />
      </div>
      <div className="chart-block">
        <h3 className="chart-title" id="tl-fatal">
          {t('timeline.fatalitiesPerDay')}
        </h3>
        <div ref={fatalRef} className="chart" dir="ltr" role="img" aria-labelledby="tl-fatal" />
        {!anyFatalities && <p className="muted small">{t('timeline.noFatalities')}</p>}
      </div>
      <div className="chart-block" hidden={data.spans.length === 0}>
        <h3 className="chart-title" id="tl-spans">
          {t('timeline.spans', { count: data.spans.length })}
        </h3>
        <div ref={spanRef} className="chart" dir="ltr" role="img" aria-labelledby="tl-spans" />
      </div>
      <div className="legend-row" aria-label={t('timeline.legend')}>
        {dyadsShown.map((d) => (
          <span key={d} className="legend-item">
            <span className="swatch" style={{ backgroundColor: colour(d) }} aria-hidden="true" />
            {dyadLabel(d)}
          </span>
        ))}
        {agreements.map((a) => (
          <span key={a.id} className="legend-item">
            <span className="swatch band" style={{ backgroundColor: bandColour(a.id) }} aria-hidden="true" />
            <bdi>{a.title}</bdi>
          </span>
        ))}
      </div>
      <div className="day-picker">
        <label htmlFor="day-select">{t('timeline.day')}</label>
        <select id="day-select" value={selectedDay ?? ''} onChange={(e) => onSelectDay(e.target.value || null)}>
          <option value="">{t('timeline.allDays')}</option>
          {days.map((d) => (
            <option key={d} value={d}>
              {f.date(`${d}T00:00:00Z`)}
            </option>
          ))}
        </select>
        <span className="muted small">{t('timeline.utcDays')}</span>
      </div>
    </div>
  );
}

/** Label of a dyad from the names of its sides. */
export function useDyadLabel(name: (id: string) => string) {
  const { t } = useTranslation();
  return (dyad: string) => {
    if (dyad === NO_DYAD) return t('timeline.noDyad');
    if (dyad === OPEN_DYAD) return t('timeline.openDyad');
    return dyadSides(dyad).map(name).join(' – ');
  };
}
