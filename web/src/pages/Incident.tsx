import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fetchAll } from '../api/client.js';
import type { Allegation, AssessmentRow, Claim, Contest, Incident } from '../api/types.js';
import { useApi, useLoad } from '../api/useApi.js';
import type { Loadable } from '../api/useApi.js';
import { useDirectory } from '../app/context.js';
import { Link, allegationPath } from '../app/router.js';
import { AssessmentView } from '../components/AssessmentView.js';
import { EventDot, Grading, Name, Occurred, Section, UserText, VisibilityBadge } from '../components/Display.js';
import { LogEntries } from '../components/LogBadge.js';
import type { LogItem } from '../components/LogBadge.js';
import { Async, Empty, ErrorState, Loading } from '../components/States.js';
import { VersionsView } from '../components/VersionsView.js';
import { contestFromClaims } from '../lib/contest.js';
import { useFormat } from '../lib/format.js';
import { worstStatus } from '../lib/status.js';
import { IncidentMap } from '../map/IncidentMap.js';

export default function IncidentPage({ id }: { id: string }) {
  const { t } = useTranslation();
  const base = `/api/v1/incidents/${encodeURIComponent(id)}`;
  const incident = useApi<Incident>(base);
  const claims = useLoad(`claims:${id}`, (signal) => fetchAll<Claim>(`${base}/claims`, 2000, signal));
  const assessment = useApi<AssessmentRow[]>(`${base}/assessment`);

  if (incident.state === 'loading') return <Loading />;
  if (incident.state === 'error' || incident.state === 'unavailable') {
    return (
      <div className="page">
        <h1>{t('incident.notFoundTitle')}</h1>
        {incident.state === 'error' ? <ErrorState error={incident.error} retry={incident.reload} /> : null}
        <p>
          <Link to="/">{t('incident.back')}</Link>
        </p>
      </div>
    );
  }
  const inc = incident.data;
  const status = assessment.state === 'ok' ? worstStatus(assessment.data) : null;
  return (
    <div className="page incident-page">
      <nav aria-label={t('incident.breadcrumb')} className="breadcrumb">
        <Link to="/">{t('nav.overview')}</Link> <span aria-hidden="true">›</span> <code dir="ltr">{inc.id}</code>
      </nav>
      <div className="page-head">
        <h1 dir="auto">{inc.title ?? inc.id}</h1>
        <p className="lede">
          <EventDot type={inc.event_type} /> {t(`eventType.${inc.event_type}`)} · {t(`subEventType.${inc.sub_event_type}`, { defaultValue: inc.sub_event_type })} <VisibilityBadge visibility={inc.visibility} />
        </p>
      </div>

      <div className="incident-grid">
        <Section id="facts" title={t('incident.facts')}>
          <Facts incident={inc} />
        </Section>
        <section className="card" aria-labelledby="loc-h">
          <div className="card-head">
            <h2 id="loc-h">{t('incident.locationMap')}</h2>
          </div>
          {typeof inc.location.lat === 'number' && typeof inc.location.lon === 'number' ? (
            <IncidentMap
              single
              className="small-map"
              label={t('incident.mapLabel', { place: inc.location.place ?? inc.location.admin1 ?? inc.location.country })}
              points={[{ id: inc.id, lon: inc.location.lon, lat: inc.location.lat, title: inc.title ?? inc.id, eventType: inc.event_type, status }]}
            />
          ) : (
            <Empty>{t('incident.noCoordinates')}</Empty>
          )}
        </section>
      </div>

      <Section id="versions" title={t('incident.versions')}>
        <p className="muted small">{t('incident.versionsHelp')}</p>
        <Versions incidentId={inc.id} claims={claims} />
      </Section>

      <Section id="assessment" title={t('incident.assessment')}>
        <Async r={assessment} what={t('what.assessment')}>
          {(rows) => <AssessmentView rows={rows} />}
        </Async>
      </Section>

      <Section id="sources" title={t('incident.sources')}>
        <Sources ids={inc.sources} />
      </Section>

      <Section id="allegations" title={t('incident.allegations')}>
        <LinkedAllegations incidentId={inc.id} />
      </Section>

      <Section id="log" title={t('incident.log')}>
        <p className="muted small">{t('incident.logHelp')}</p>
        <LogEntries
          items={[
            { label: t('incident.logIncident'), index: inc.log_index, recordId: inc.id },
            ...(claims.state === 'ok' ? claims.data.items.map((c): LogItem => ({ label: t('incident.logClaim', { id: c.id }), index: c.log_index, recordId: c.id })) : []),
          ]}
        />
      </Section>
    </div>
  );
}

/** A country by its ISO code: the two parties' countries by name, others by code. */
function countryName(code: string, t: (k: string) => string): string {
  return code === 'AFG' ? t('map.afghanistan') : code === 'PAK' ? t('map.pakistan') : code;
}

function Facts({ incident: i }: { incident: Incident }) {
  const { t } = useTranslation();
  const f = useFormat();
  const loc = i.location;
  return (
    <dl className="facts">
      <dt>{t('incident.when')}</dt>
      <dd>
        <Occurred occurred={i.occurred} />
      </dd>
      <dt>{t('incident.where')}</dt>
      <dd>
        <bdi>{[...new Set([loc.place, loc.admin2, loc.admin1].filter(Boolean))].join(', ')}</bdi> · {countryName(loc.country, t)}
        <div className="muted small">
          {loc.geo_precision && t(`geoPrecision.p${loc.geo_precision}`)}
          {typeof loc.lat === 'number' && typeof loc.lon === 'number' && (
            <>
              {' · '}
              <span dir="ltr">
                {f.num(loc.lat, { maximumFractionDigits: 4 })}, {f.num(loc.lon, { maximumFractionDigits: 4 })}
              </span>
            </>
          )}
        </div>
        {(loc.side || typeof loc.distance_to_border_km === 'number') && (
          <div className="small">
            {loc.side && <>{t('incident.side', { side: loc.side === 'AFG' ? t('map.afghanistan') : t('map.pakistan') })} </>}
            {typeof loc.distance_to_border_km === 'number' && t('incident.distance', { km: f.num(loc.distance_to_border_km, { maximumFractionDigits: 1 }) })}
          </div>
        )}
      </dd>
      {i.actors.length > 0 && (
        <>
          <dt>{t('incident.actors')}</dt>
          <dd>
            <ul className="plain">
              {i.actors.map((a) => (
                <li key={`${a.actor}-${a.role}`}>
                  <Name id={a.actor} kind="actor" showAlternatives /> <span className="muted">({t(`role.actor.${a.role}`)})</span>
                </li>
              ))}
            </ul>
            <p className="muted small">{t('incident.actorsNote')}</p>
          </dd>
        </>
      )}
      <dt>{t('incident.fatalities')}</dt>
      <dd>
        {i.fatalities ? (
          <span className="num">
            {[i.fatalities.low, i.fatalities.best, i.fatalities.high].some((x) => x !== undefined)
              ? t('incident.fatalityRange', {
                  low: i.fatalities.low !== undefined ? f.num(i.fatalities.low) : '?',
                  best: i.fatalities.best !== undefined ? f.num(i.fatalities.best) : '?',
                  high: i.fatalities.high !== undefined ? f.num(i.fatalities.high) : '?',
                })
              : '?'}
          </span>
        ) : (
          <span className="muted">{t('incident.noFatalities')}</span>
        )}
      </dd>
      {i.notes && (
        <>
          <dt>{t('incident.notes')}</dt>
          <dd>
            <UserText text={i.notes} />
          </dd>
        </>
      )}
      <dt>{t('incident.recorded')}</dt>
      <dd className="small">
        {i.recorded_by && <>{t('incident.recordedBy', { who: i.recorded_by })} · </>}
        <span title={i.recorded_at}>{f.dateTime(i.recorded_at, 'Asia/Karachi')}</span>
      </dd>
    </dl>
  );
}

type ClaimsLoad = Loadable<{ items: Claim[]; total: number; truncated: boolean }>;

function Versions({ incidentId, claims }: { incidentId: string; claims: ClaimsLoad }) {
  const dir = useDirectory();
  const { t } = useTranslation();
  // The server's comparison when it has one; otherwise the same comparison made here.
  const server = useLoad(`contest:${incidentId}`, async (signal) => {
    try {
      return await api<Contest>(`/api/v1/incidents/${encodeURIComponent(incidentId)}/contest`, { signal });
    } catch (e) {
      if (e instanceof ApiError && e.endpointMissing) return null;
      throw e;
    }
  });
  const local = useMemo(() => (claims.state === 'ok' ? contestFromClaims(incidentId, claims.data.items, (id) => dir.parties.has(id)) : null), [claims, incidentId, dir.parties]);
  if (server.state === 'ok' && server.data) return <VersionsView contest={server.data} />;
  if (claims.state === 'error') return <ErrorState error={claims.error} retry={claims.reload} />;
  if (server.state === 'loading' || claims.state === 'loading' || !local || !dir.loaded) return <Loading />;
  return (
    <>
      <VersionsView contest={local} />
      {server.state === 'ok' && <p className="muted small">{t('versions.computedHere')}</p>}
    </>
  );
}

function Sources({ ids }: { ids: readonly string[] }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const f = useFormat();
  if (ids.length === 0) return <Empty>{t('incident.noSources')}</Empty>;
  return (
    <ul className="source-list">
      {ids.map((id) => {
        const s = dir.sources.get(id);
        return (
          <li key={id}>
            <div className="source-title">
              <bdi dir="auto">{s?.title ?? id}</bdi>
            </div>
            <div className="small">
              {s?.publisher && <bdi>{s.publisher}</bdi>}
              {s?.published && <> · {f.date(s.published.length === 10 ? `${s.published}T00:00:00Z` : s.published)}</>}
            </div>
            <div className="small">
              {t('source.grading')}: <Grading reliability={s?.reliability} credibility={s?.credibility} />
            </div>
            {s?.url && (
              <div className="small">
                <span className="muted">{t('source.url')}: </span>
                <span dir="ltr" className="url">
                  {s.url}
                </span>
              </div>
            )}
            {s?.archive_sha256 && (
              <div className="small muted">
                {t('source.archived')} <code dir="ltr">{s.archive_sha256.slice(0, 16)}…</code>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function LinkedAllegations({ incidentId }: { incidentId: string }) {
  const { t } = useTranslation();
  const r = useLoad('allegations', (signal) => fetchAll<Allegation>('/api/v1/allegations', 2000, signal));
  return (
    <Async r={r} what={t('what.allegations')}>
      {(page) => {
        const mine = page.items.filter((a) => a.incidents.includes(incidentId));
        if (mine.length === 0) return <Empty>{t('incident.noAllegations')}</Empty>;
        return (
          <ul className="plain">
            {mine.map((a) => (
              <li key={a.id}>
                <Link to={allegationPath(a.id)}>
                  <code dir="ltr">{a.id}</code>
                </Link>{' '}
                — <Name id={a.by} kind="party" /> → <Name id={a.against} kind="party" /> · <span className={`badge state-${a.state}`}>{t(`allegationState.${a.state}`)}</span>
              </li>
            ))}
          </ul>
        );
      }}
    </Async>
  );
}
