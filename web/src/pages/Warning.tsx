// Early warning (issue 10 item 9) over GET /api/v1/warning: alerts, the self-exciting model's
// excitation matrix and forecast, conflict and peace indicators, retaliation chains — as of a day
// the reader picks. The scenario lies in October 2025, so when "now" is quiet the page opens on
// the day after the latest exchange and says so.
import type { FormEvent } from 'react';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../api/client.js';
import { useLoad } from '../api/useApi.js';
import { useDirectory, useNames } from '../app/context.js';
import { setQuery, useLocation } from '../app/router.js';
import { ChainTimeline, ExcitationHeatmap, ForecastChart } from '../chart/WarningCharts.js';
import { Section } from '../components/Display.js';
import { Empty, ErrorState, Loading, Unavailable } from '../components/States.js';
import { useFormat } from '../lib/format.js';
import { alertSubject, asOfParam, dayOfAsOf, dyadParts, fallbackDay, isDay, isQuiet, sortIndicators, usableModel } from '../lib/warning.js';
import type { Indicator, PeaceIndicator, WarningAlert, WarningPayload } from '../lib/warning.js';

export const CAP_FEED = '/api/v1/warning/cap';

/** How the shown day was chosen: by the reader, "now", or the fallback when now is quiet. */
export type AsOfChoice = 'chosen' | 'now' | 'fallback';

export interface LoadedWarning {
  readonly view: WarningPayload;
  readonly choice: AsOfChoice;
}

/** Load the view for a chosen day, or for now — and, if now is quiet, for the fallback day. */
export async function loadWarning(day: string | null, signal?: AbortSignal): Promise<LoadedWarning> {
  const get = (asOf?: string) => api<WarningPayload>(`/api/v1/warning${qs({ as_of: asOf })}`, signal ? { signal } : {});
  if (day) return { view: await get(asOfParam(day)), choice: 'chosen' };
  const now = await get();
  if (!isQuiet(now)) return { view: now, choice: 'now' };
  const fallback = fallbackDay(now);
  if (!fallback) return { view: now, choice: 'now' };
  return { view: await get(asOfParam(fallback)), choice: 'fallback' };
}

export default function Warning() {
  const { t } = useTranslation();
  const { query } = useLocation();
  const raw = query.get('as_of');
  const chosen = isDay(raw) ? raw : null;
  const r = useLoad(`warning:${chosen ?? 'auto'}`, (signal) => loadWarning(chosen, signal));

  return (
    <div className="page warning-page">
      <div className="page-head">
        <h1>{t('warning.title')}</h1>
        <p className="lede">{t('warning.lede')}</p>
      </div>
      <AsOfPicker shown={r.state === 'ok' ? dayOfAsOf(r.data.view.as_of) : chosen} choice={r.state === 'ok' ? r.data.choice : chosen ? 'chosen' : 'now'} />
      {r.state === 'loading' && <Loading />}
      {r.state === 'error' && <ErrorState error={r.error} retry={r.reload} />}
      {r.state === 'unavailable' && <Unavailable what={t('what.warning')} />}
      {r.state === 'ok' && <WarningReport view={r.data.view} />}
    </div>
  );
}

function AsOfPicker({ shown, choice }: { shown: string | null; choice: AsOfChoice }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [day, setDay] = useState(shown ?? '');
  const [last, setLast] = useState(shown);
  // Follow the day the server answered for (the fallback is only known after loading).
  if (shown !== last) {
    setLast(shown);
    if (shown) setDay(shown);
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (isDay(day)) setQuery({ as_of: day });
  };
  const today = new Date().toISOString().slice(0, 10);
  return (
    <section className="card as-of" aria-labelledby="asof-h">
      <h2 id="asof-h" className="sr-only">
        {t('warning.asOfTitle')}
      </h2>
      <form className="as-of-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor="as-of-day">{t('warning.asOf')}</label>
          <input id="as-of-day" type="date" value={day} max={today} onChange={(e) => setDay(e.target.value)} aria-describedby="as-of-hint" />
        </div>
        <button type="submit" className="button" disabled={!isDay(day)}>
          {t('warning.show')}
        </button>
        <button type="button" className="button secondary" onClick={() => setQuery({ as_of: today })}>
          {t('warning.today')}
        </button>
      </form>
      <p id="as-of-hint" className="small muted">
        {t('warning.asOfHint')}
      </p>
      {choice === 'fallback' && shown && (
        <p className="note" role="status" data-testid="as-of-fallback">
          {t('warning.fallback', { date: f.date(`${shown}T12:00:00Z`) })}
        </p>
      )}
    </section>
  );
}

/**
 * A name as a bidi isolate (FSI … PDI): a Latin name between an RTL sentence's words and arrows
 * would otherwise pull the arrow into its own left-to-right run and turn it round.
 */
export const isolate = (s: string) => `\u2068${s}\u2069`;

/** Labels for the warning engine's keys: dyads (PAK->AFG), districts (AFG/Paktika) and countries (AFG). */
export function useWarningLabels() {
  const { t } = useTranslation();
  const names = useNames();
  const dir = useDirectory();
  const country = useCallback(
    (code: string) => {
      const party = [...dir.parties.values()].find((p) => p.country === code);
      return isolate(party ? names.name(party.id, 'party') : code);
    },
    [dir, names],
  );
  const side = useCallback((id: string) => isolate(names.name(id)), [names]);
  const dyad = useCallback(
    (key: string) => {
      const p = dyadParts(key);
      if (!p) return key;
      return p.directed ? t('warning.dyadDirected', { a: side(p.a), b: side(p.b) }) : t('warning.dyadDisputed', { a: side(p.a), b: side(p.b) });
    },
    [t, side],
  );
  const district = useCallback(
    (key: string) => {
      const slash = key.indexOf('/');
      if (slash < 0) return t('warning.countryUnknownProvince', { country: country(key) });
      return t('warning.provinceIn', { province: isolate(key.slice(slash + 1)), country: country(key.slice(0, slash)) });
    },
    [t, country],
  );
  const scope = useCallback((key: string) => (dyadParts(key) ? dyad(key) : district(key)), [dyad, district]);
  const subject = useCallback(
    (raw: string) => {
      const s = alertSubject(raw);
      switch (s.kind) {
        case 'exchange':
          return t('warning.exchangeBetween', { a: side(s.a), b: side(s.b) });
        case 'dyad':
          return dyad(s.key);
        case 'district':
          return district(s.key);
        case 'other':
          return s.text;
        default: {
          const never: never = s;
          return never;
        }
      }
    },
    [t, side, dyad, district],
  );
  return { dyad, district, side, scope, subject };
}

/** Everything below the date picker; presentational, so component tests render it with a sample payload. */
export function WarningReport({ view }: { view: WarningPayload }) {
  const { t } = useTranslation();
  const f = useFormat();
  const labels = useWarningLabels();
  const model = usableModel(view.model);
  const feed = `${CAP_FEED}${qs({ as_of: view.as_of })}`;

  return (
    <>
      <p className="small muted" data-testid="warning-as-of">
        {t('warning.computedFor', { pk: f.dateTime(view.as_of, 'Asia/Karachi'), af: f.time(view.as_of, 'Asia/Kabul'), count: view.events })}
      </p>

      <Section
        id="alerts"
        title={t('warning.alerts')}
        actions={
          <a className="button small secondary" href={feed} type="application/atom+xml">
            {t('warning.capFeed')}
          </a>
        }
      >
        {view.alerts.length === 0 ? <Empty>{t('warning.noAlerts')}</Empty> : <Alerts items={view.alerts} asOf={view.as_of} />}
        <p className="small muted">{t('warning.alertRules', { chain: f.num(view.thresholds.chainMinLength), days: f.num(view.thresholds.chainMaxSpanDays), z: f.num(view.thresholds.zMin), events: f.num(view.thresholds.eventsMin) })}</p>
      </Section>

      <Section id="model" title={t('warning.model')}>
        {model ? (
          <div data-testid="model">
            <p className="small">
              {t('warning.fittedOn', { count: model.fitted_on.events, from: f.date(model.fitted_on.from, 'Asia/Karachi'), to: f.date(model.fitted_on.to, 'Asia/Karachi'), hours: f.num(model.decay_hours, { maximumFractionDigits: 1 }) })}
              {model.omitted_dyads > 0 && <> {t('warning.omittedDyads', { count: model.omitted_dyads, shown: model.dyads.length })}</>}
            </p>
            <p className={`small radius ${model.spectral_radius >= 1 ? 'radius-high' : ''}`} data-testid="spectral-radius">
              {t(model.spectral_radius >= 1 ? 'warning.radiusHigh' : 'warning.radiusLow', { r: f.num(model.spectral_radius, { maximumFractionDigits: 2, minimumFractionDigits: 2 }) })}
            </p>
            <h3>{t('warning.excitation')}</h3>
            <ExcitationHeatmap model={model} dyadLabel={labels.dyad} />
            <h3>{t('warning.forecast')}</h3>
            <ForecastChart model={model} dyadLabel={labels.dyad} />
          </div>
        ) : (
          <div className="state state-empty" role="note" data-testid="model-empty">
            <strong>{t('warning.noModel')}</strong> {view.model === undefined ? t('warning.noModelServer') : t('warning.noModelWhy')}
          </div>
        )}
      </Section>

      <Section id="indicators" title={t('warning.indicators')}>
        <div className="indicator-grid">
          <div>
            <h3>{t('warning.conflict')}</h3>
            {view.indicators.length === 0 ? <Empty>{t('warning.noIndicators')}</Empty> : <ConflictTable items={view.indicators} zMin={view.thresholds.zMin} />}
          </div>
          <div>
            <h3>{t('warning.peace')}</h3>
            {view.peace === undefined ? <Empty>{t('warning.noPeaceServer')}</Empty> : view.peace.length === 0 ? <Empty>{t('warning.noPeace')}</Empty> : <PeaceTable items={view.peace} />}
          </div>
        </div>
        <p className="small muted">{t('warning.zHow')}</p>
      </Section>

      <Section id="chains" title={t('warning.chains')}>
        <p className="small">{t('warning.chainsWindow', { hours: f.num(view.window_hours) })}</p>
        <ChainTimeline chains={view.chains} sideName={labels.side} />
      </Section>
    </>
  );
}

function Alerts({ items, asOf }: { items: readonly WarningAlert[]; asOf: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const labels = useWarningLabels();
  return (
    <ul className="plain alerts" data-testid="alerts">
      {items.map((a) => (
        <li key={a.id} className={`alert alert-${a.severity.toLowerCase()}`}>
          <p>
            <span className="badge">{t(`warning.severity.${a.severity}`, { defaultValue: a.severity })}</span> <span className="badge secondary">{t(`warning.rule.${a.rule}`, { defaultValue: a.rule })}</span>{' '}
            <strong>{labels.subject(a.subject)}</strong>
          </p>
          <p className="small">{t(`warning.ruleText.${a.rule}`, { defaultValue: '' })}</p>
          <p className="small muted" dir="ltr" lang="en">
            {a.headline}
          </p>
          <p className="small">
            {t('warning.onset')} {f.dateTime(a.onset, 'Asia/Karachi')} · {t('warning.certainty')} {t(`warning.certaintyLevel.${a.certainty}`, { defaultValue: a.certainty })} ·{' '}
            <a href={`${CAP_FEED}/${encodeURIComponent(a.id)}${qs({ as_of: asOf })}`}>{t('warning.capOne')}</a>
          </p>
        </li>
      ))}
    </ul>
  );
}

/** A z-score; `zMin` only where the alert rule reads it (the 7-day event count). */
function Z({ z, zMin }: { z: number; zMin?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const high = zMin !== undefined && z >= zMin;
  return (
    <span className={high ? 'z z-high' : 'z'}>
      z {f.num(z, { maximumFractionDigits: 1, minimumFractionDigits: 1 })}
      {high && <span className="sr-only"> ({t('warning.aboveThreshold')})</span>}
    </span>
  );
}

function ConflictTable({ items, zMin }: { items: readonly Indicator[]; zMin: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const labels = useWarningLabels();
  return (
    <div className="table-scroll" role="region" aria-label={t('warning.conflict')} tabIndex={0}>
      <table className="data-table numbers" data-testid="indicators">
        <thead>
          <tr>
            <th scope="col">{t('warning.scope')}</th>
            <th scope="col">{t('warning.events7')}</th>
            <th scope="col">{t('warning.deaths7')}</th>
            <th scope="col">{t('warning.events28')}</th>
          </tr>
        </thead>
        <tbody>
          {sortIndicators(items).map((i) => (
            <tr key={`${i.by}:${i.key}`}>
              <th scope="row">
                {i.by === 'dyad' ? labels.dyad(i.key) : labels.district(i.key)}
                <span className="small muted"> · {t(`warning.by.${i.by}`)}</span>
              </th>
              <td>
                {f.num(i.last7.events)} <Z z={i.last7.events_z} zMin={zMin} />
              </td>
              <td>
                {f.num(i.last7.fatalities)} <Z z={i.last7.fatalities_z} />
              </td>
              <td>
                {f.num(i.last28.events)} <Z z={i.last28.events_z} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PeaceTable({ items }: { items: readonly PeaceIndicator[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const labels = useWarningLabels();
  return (
    <div className="table-scroll" role="region" aria-label={t('warning.peace')} tabIndex={0}>
      <table className="data-table numbers" data-testid="peace">
        <thead>
          <tr>
            <th scope="col">{t('warning.scope')}</th>
            <th scope="col">{t('warning.kind')}</th>
            <th scope="col">{t('warning.last7')}</th>
            <th scope="col">{t('warning.last28')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((p) => (
            <tr key={`${p.scope}:${p.kind}`}>
              <th scope="row">{labels.scope(p.scope)}</th>
              <td>{t(`warning.peaceKind.${p.kind}`, { defaultValue: p.kind })}</td>
              <td>{f.num(p.last_7d)}</td>
              <td>{f.num(p.last_28d)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
