import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EVENT_TYPES } from '../../../src/domain/taxonomy.js';
import { fetchAll, qs } from '../api/client.js';
import type { Allegation, AssessmentRow, AssessmentStatus, Incident } from '../api/types.js';
import { useAssessments, useLoad } from '../api/useApi.js';
import { useDirectory, useNames } from '../app/context.js';
import { Link, incidentPath, allegationPath, setQuery, useLocation } from '../app/router.js';
import { EventDot, Occurred, Section, StatusBadge } from '../components/Display.js';
import { Async, Empty, ErrorState, Loading } from '../components/States.js';
import { Timeline, useDyadLabel } from '../chart/Timeline.js';
import { useFormat } from '../lib/format.js';
import { STATUSES, worstStatus } from '../lib/status.js';
import { dyadOf, overlapsDay } from '../lib/timeline.js';
import { loadAdmin1 } from '../map/geo.js';
import type { AdminArea } from '../map/geo.js';
import { IncidentMap } from '../map/IncidentMap.js';
import type { MapPoint } from '../map/IncidentMap.js';
import { MapLegend } from '../map/Legend.js';

const FILTER_KEYS = ['q', 'from', 'to', 'country', 'admin1', 'actor', 'event_type', 'status'] as const;
type Filters = Partial<Record<(typeof FILTER_KEYS)[number], string>>;

const OPEN_STATES = new Set(['filed', 'awaiting_reply', 'replied', 'reply_overdue', 'under_review']);

function dayStart(d: string | undefined): string | undefined {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? `${d}T00:00:00Z` : undefined;
}
function dayEnd(d: string | undefined): string | undefined {
  if (!d || !/^\d{4}-\d{2}-\d{2}$/.test(d)) return undefined;
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');
}

export default function Overview() {
  const { t } = useTranslation();
  const { query } = useLocation();
  const dir = useDirectory();
  const names = useNames();
  const filters: Filters = {};
  for (const k of FILTER_KEYS) {
    const v = query.get(k);
    if (v) filters[k] = v;
  }
  const day = query.get('day');
  const [mapSel, setMapSel] = useState<string[] | null>(null);
  const [limitToView, setLimitToView] = useState(false);

  const serverQuery = qs({ q: filters.q, from: dayStart(filters.from), to: dayEnd(filters.to), country: filters.country, admin1: filters.admin1, actor: filters.actor, event_type: filters.event_type });
  const incidents = useLoad(`incidents${serverQuery}`, (signal) => fetchAll<Incident>(`/api/v1/incidents${serverQuery}`, 5000, signal));
  const assessments = useAssessments();
  const allegations = useLoad('allegations', (signal) => fetchAll<Allegation>('/api/v1/allegations', 1000, signal));

  const statusOf = useMemo(() => {
    const m = new Map<string, AssessmentStatus | null>();
    if (assessments.state !== 'ok') return m;
    const rows = new Map<string, AssessmentRow[]>();
    for (const r of assessments.data.items) rows.set(r.incident, [...(rows.get(r.incident) ?? []), r]);
    for (const [id, rs] of rows) m.set(id, worstStatus(rs));
    return m;
  }, [assessments]);

  const filtered = useMemo(() => {
    if (incidents.state !== 'ok') return [];
    const all = incidents.data.items;
    return filters.status ? all.filter((i) => (statusOf.get(i.id) ?? 'unassessed') === filters.status) : all;
  }, [incidents, filters.status, statusOf]);

  // Map selection narrows the timeline; a day on the timeline narrows the map.
  const mapSelSet = useMemo(() => (mapSel ? new Set(mapSel) : null), [mapSel]);
  const forTimeline = useMemo(() => (mapSelSet ? filtered.filter((i) => mapSelSet.has(i.id)) : filtered), [filtered, mapSelSet]);
  const daySet = useMemo(() => (day ? new Set(filtered.filter((i) => overlapsDay(i, day)).map((i) => i.id)) : null), [filtered, day]);
  const highlighted = useMemo(() => {
    if (daySet && mapSelSet) return new Set([...daySet].filter((id) => mapSelSet.has(id)));
    return daySet ?? mapSelSet;
  }, [daySet, mapSelSet]);
  const listed = useMemo(() => (highlighted ? filtered.filter((i) => highlighted.has(i.id)) : filtered), [filtered, highlighted]);

  const points: MapPoint[] = useMemo(
    () =>
      filtered
        .filter((i) => typeof i.location.lat === 'number' && typeof i.location.lon === 'number')
        .map((i) => ({ id: i.id, lon: i.location.lon!, lat: i.location.lat!, title: i.title ?? i.id, eventType: i.event_type, status: statusOf.get(i.id) ?? null })),
    [filtered, statusOf],
  );
  const agreements = useMemo(() => [...dir.agreements.values()], [dir.agreements]);
  const dyadLabel = useDyadLabel(useCallback((id: string) => names.name(id), [names]));
  const dyadDomain = useMemo(() => [...new Set(filtered.map((i) => dyadOf(i, dir.actors)))].sort(), [filtered, dir.actors]);

  const onMapSelect = useCallback((ids: string[] | null) => {
    setLimitToView(false);
    setMapSel(ids);
  }, []);
  const onView = useCallback(
    (ids: string[]) => {
      if (limitToView) setMapSel(ids);
    },
    [limitToView],
  );

  const noLocation = filtered.length - points.length;

  return (
    <div className="page overview">
      <div className="page-head">
        <h1>{t('overview.title')}</h1>
        <p className="lede">{t('overview.lede')}</p>
      </div>
      <FiltersForm filters={filters} />

      {incidents.state === 'error' && <ErrorState error={incidents.error} retry={incidents.reload} />}
      <div className="overview-grid">
        <section className="card map-card" aria-labelledby="map-h">
          <div className="card-head">
            <h2 id="map-h">{t('overview.mapTitle')}</h2>
            <label className="inline-check">
              <input
                type="checkbox"
                checked={limitToView}
                onChange={(e) => {
                  setLimitToView(e.target.checked);
                  if (!e.target.checked) setMapSel(null);
                }}
              />
              {t('overview.limitToView')}
            </label>
          </div>
          {incidents.state === 'loading' && <Loading />}
          <IncidentMap points={points} selected={highlighted} onSelect={onMapSelect} onView={onView} label={t('overview.mapLabel', { count: points.length })} />
          {noLocation > 0 && <p className="muted small">{t('overview.noLocation', { count: noLocation })}</p>}
          <details className="legend-details">
            <summary>{t('map.legend')}</summary>
            <MapLegend statusesKnown={assessments.state === 'ok'} />
          </details>
        </section>

        <section className="card selection-card" aria-labelledby="sel-h">
          <div className="card-head">
            <h2 id="sel-h">{t('overview.incidents')}</h2>
            <span className="count" aria-live="polite">
              {t(incidents.state === 'ok' && incidents.data.totalCapped ? 'overview.shownAtLeast' : 'overview.shown', { count: listed.length, total: incidents.state === 'ok' ? incidents.data.total : 0 })}
            </span>
          </div>
          <SelectionChips mapSel={mapSel} day={day} clearMap={() => onMapSelect(null)} clearDay={() => setQuery({ day: null })} />
          {incidents.state === 'ok' && listed.length === 0 && <Empty>{t('overview.noIncidents')}</Empty>}
          <IncidentList incidents={listed} statusOf={statusOf} />
        </section>
      </div>

      <section className="card" aria-labelledby="tl-h">
        <div className="card-head">
          <h2 id="tl-h">{t('overview.timelineTitle')}</h2>
          {mapSel && <span className="badge">{t('overview.timelineFiltered', { count: mapSel.length })}</span>}
        </div>
        {incidents.state === 'ok' ? (
          <Timeline incidents={forTimeline} agreements={agreements} selectedDay={day} onSelectDay={(d) => setQuery({ day: d })} dyadLabel={dyadLabel} dyadDomain={dyadDomain} />
        ) : (
          <Loading />
        )}
      </section>

      <Section id="open-allegations" title={t('overview.openAllegations')}>
        <Async r={allegations} what={t('what.allegations')}>
          {(page) => <OpenAllegations items={page.items.filter((a) => OPEN_STATES.has(a.state))} />}
        </Async>
      </Section>
    </div>
  );
}

function SelectionChips({ mapSel, day, clearMap, clearDay }: { mapSel: string[] | null; day: string | null; clearMap: () => void; clearDay: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!mapSel && !day) return <p className="muted small">{t('overview.selectHint')}</p>;
  return (
    <div className="chips">
      {mapSel && (
        <button type="button" className="chip" onClick={clearMap} aria-label={t('overview.clearMapSel')}>
          {t('overview.mapSel', { count: mapSel.length })} <span aria-hidden="true">×</span>
        </button>
      )}
      {day && (
        <button type="button" className="chip" onClick={clearDay} aria-label={t('overview.clearDay')}>
          {t('overview.daySel', { day: f.date(`${day}T00:00:00Z`) })} <span aria-hidden="true">×</span>
        </button>
      )}
    </div>
  );
}

function IncidentList({ incidents, statusOf }: { incidents: readonly Incident[]; statusOf: ReadonlyMap<string, AssessmentStatus | null> }) {
  const { t } = useTranslation();
  const [limit, setLimit] = useState(30);
  useEffect(() => setLimit(30), [incidents]);
  return (
    <>
      <ul className="incident-list">
        {incidents.slice(0, limit).map((i) => (
          <li key={i.id} data-incident={i.id}>
            <Link to={incidentPath(i.id)} className="incident-link">
              <EventDot type={i.event_type} />
              <bdi dir="auto">{i.title ?? i.id}</bdi>
            </Link>
            <div className="incident-meta">
              <Occurred occurred={i.occurred} compact />
              <span>
                {[i.location.place, i.location.admin1].filter(Boolean).join(', ')} · {i.location.country}
              </span>
              <StatusBadge status={statusOf.get(i.id) ?? null} />
            </div>
          </li>
        ))}
      </ul>
      {incidents.length > limit && (
        <button type="button" className="button secondary" onClick={() => setLimit((l) => l + 50)}>
          {t('overview.showMore', { count: incidents.length - limit })}
        </button>
      )}
    </>
  );
}

function OpenAllegations({ items }: { items: readonly Allegation[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(h);
  }, []);
  if (items.length === 0) return <Empty>{t('overview.noOpenAllegations')}</Empty>;
  return (
    <ul className="allegation-clocks">
      {items.map((a) => {
        const deadline = a.reply_deadline ? Date.parse(a.reply_deadline) : NaN;
        const left = deadline - now;
        const urgent = Number.isFinite(left) && left < 24 * 3_600_000;
        return (
          <li key={a.id}>
            <Link to={allegationPath(a.id)}>
              <bdi>{a.id}</bdi>
            </Link>{' '}
            <span className={`badge state-${a.state}`}>{t(`allegationState.${a.state}`)}</span>
            {Number.isFinite(deadline) && a.state === 'awaiting_reply' && (
              <span className={`clock${urgent ? ' urgent' : ''}`}>
                {left > 0 ? t('allegations.replyDue', { when: f.relative(left) }) : t('allegations.replyOverdue')}
              </span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function FiltersForm({ filters }: { filters: Filters }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const names = useNames();
  const [admin1, setAdmin1] = useState<AdminArea[]>([]);
  const [q, setQ] = useState(filters.q ?? '');
  useEffect(() => {
    loadAdmin1().then(setAdmin1, () => setAdmin1([]));
  }, []);
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);
  const provinces = admin1.filter((a) => !filters.country || a.country === filters.country);
  const actors = [...dir.actors.values()].sort((a, b) => names.name(a.id).localeCompare(names.name(b.id)));
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setQuery({ [k]: e.target.value || null, day: null });
  const active = FILTER_KEYS.some((k) => filters[k]);
  // On a phone the filters start folded (the map comes first), unless some are set.
  const [openInitially] = useState(() => active || !window.matchMedia('(max-width: 720px)').matches);
  return (
    <details className="card filters" open={openInitially}>
      <summary>
        <h2 className="inline-h">{t('filters.title')}</h2>
      </summary>
      <form
        className="filter-grid"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setQuery({ q: q.trim() || null, day: null });
        }}
      >
        <div className="field">
          <label htmlFor="f-q">{t('filters.text')}</label>
          <div className="input-row">
            <input id="f-q" type="search" value={q} onChange={(e) => setQ(e.target.value)} dir="auto" />
            <button type="submit" className="button small">
              {t('filters.search')}
            </button>
          </div>
        </div>
        <div className="field">
          <label htmlFor="f-from">{t('filters.from')}</label>
          <input id="f-from" type="date" value={filters.from ?? ''} onChange={set('from')} />
        </div>
        <div className="field">
          <label htmlFor="f-to">{t('filters.to')}</label>
          <input id="f-to" type="date" value={filters.to ?? ''} onChange={set('to')} />
        </div>
        <div className="field">
          <label htmlFor="f-country">{t('filters.country')}</label>
          <select id="f-country" value={filters.country ?? ''} onChange={(e) => setQuery({ country: e.target.value || null, admin1: null, day: null })}>
            <option value="">{t('filters.any')}</option>
            <option value="AFG">{t('map.afghanistan')}</option>
            <option value="PAK">{t('map.pakistan')}</option>
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-admin1">{t('filters.province')}</label>
          <select id="f-admin1" value={filters.admin1 ?? ''} onChange={set('admin1')}>
            <option value="">{t('filters.any')}</option>
            {provinces.map((p) => (
              <option key={`${p.country}-${p.name}`} value={p.name}>
                {p.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-actor">{t('filters.actor')}</label>
          <select id="f-actor" value={filters.actor ?? ''} onChange={set('actor')}>
            <option value="">{t('filters.any')}</option>
            {actors.map((a) => (
              <option key={a.id} value={a.id}>
                {names.name(a.id, 'actor')}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-type">{t('filters.eventType')}</label>
          <select id="f-type" value={filters.event_type ?? ''} onChange={set('event_type')}>
            <option value="">{t('filters.any')}</option>
            {EVENT_TYPES.map((e) => (
              <option key={e} value={e}>
                {t(`eventType.${e}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="f-status">{t('filters.status')}</label>
          <select id="f-status" value={filters.status ?? ''} onChange={set('status')}>
            <option value="">{t('filters.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
            <option value="unassessed">{t('status.unassessed')}</option>
          </select>
        </div>
        {active && (
          <div className="field actions">
            <button type="button" className="button secondary" onClick={() => setQuery(Object.fromEntries([...FILTER_KEYS, 'day'].map((k): [string, null] => [k, null])))}>
              {t('filters.clear')}
            </button>
          </div>
        )}
      </form>
    </details>
  );
}
