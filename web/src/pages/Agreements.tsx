import * as Plot from '@observablehq/plot';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgreementRecord, AssessmentRow, Incident, Obligation } from '../api/types.js';
import { fetchAll } from '../api/client.js';
import { useAssessments, useLoad } from '../api/useApi.js';
import type { Loadable } from '../api/useApi.js';
import { useDirectory, useNames } from '../app/context.js';
import { Link, incidentPath } from '../app/router.js';
import { BothTimes, Name, StatusBadge } from '../components/Display.js';
import { Async, Empty, ErrorState, Loading } from '../components/States.js';
import { useFormat } from '../lib/format.js';
import { STATUSES, severity } from '../lib/status.js';

export default function Agreements() {
  const { t } = useTranslation();
  const dir = useDirectory();
  const assessments = useAssessments();
  const agreements = useMemo(() => [...dir.agreements.values()], [dir.agreements]);
  const incidents = useLoad('incidents-all', (signal) => fetchAll<Incident>('/api/v1/incidents', 5000, signal));
  const titles = useMemo(() => new Map(incidents.state === 'ok' ? incidents.data.items.map((i) => [i.id, i.title ?? i.id] as const) : []), [incidents]);
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('agreements.title')}</h1>
        <p className="lede">{t('agreements.lede')}</p>
      </div>
      {!dir.loaded && <Loading />}
      {dir.failed && <ErrorState error={new Error(t('state.network'))} retry={dir.reload} />}
      {dir.loaded && agreements.length === 0 && <Empty>{t('agreements.none')}</Empty>}
      {agreements.length > 0 && (
        <section className="card" aria-labelledby="windows-h">
          <h2 id="windows-h">{t('agreements.windows')}</h2>
          <WindowsChart agreements={agreements} />
        </section>
      )}
      {agreements.map((a) => (
        <AgreementCard key={a.id} agreement={a} assessments={assessments} titles={titles} />
      ))}
    </div>
  );
}

const shorten = (s: string, n = 48) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function WindowsChart({ agreements }: { agreements: readonly AgreementRecord[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const f = useFormat();
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const ro = new ResizeObserver(([e]) => setWidth(Math.max(280, Math.floor(e!.contentRect.width))));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const rows = agreements.flatMap((a) => a.windows.map((w, i) => ({ id: a.id, n: i, from: new Date(w.from), to: w.to ? new Date(w.to) : null })));
    const start = Math.min(...rows.map((r) => r.from.getTime()));
    const lastEnd = Math.max(...rows.map((r) => (r.to ?? r.from).getTime()));
    const end = Math.max(lastEnd, start) + 10 * 86_400_000;
    const data = rows.map((r) => ({ ...r, to: r.to ?? new Date(end), open: r.to === null }));
    const plot = Plot.plot({
      width,
      height: 40 + agreements.length * 34,
      marginLeft: 8,
      marginRight: 8,
      x: { type: 'utc', domain: [new Date(start - 86_400_000), new Date(end)], tickFormat: (d: Date) => f.dayShort(d), ticks: Math.max(2, Math.floor(width / 90)), label: null },
      y: { axis: null, domain: agreements.map((a) => a.id), padding: 0.25 },
      marks: [
        Plot.barX(data, { x1: 'from', x2: 'to', y: 'id', fill: (d: { id: string }) => (agreements.findIndex((a) => a.id === d.id) % 2 ? '#8e7dbe' : '#2a9d8f'), fillOpacity: (d: { open: boolean }) => (d.open ? 0.45 : 0.8), stroke: '#fff', title: (d: { id: string; from: Date; to: Date; open: boolean }) => `${agreements.find((a) => a.id === d.id)?.title ?? d.id}: ${f.date(d.from.toISOString())} – ${d.open ? '…' : f.date(d.to.toISOString())}` }),
        Plot.text(data.filter((d) => d.n === 0), { x: 'from', y: 'id', text: (d: { id: string }) => shorten(agreements.find((a) => a.id === d.id)?.title ?? d.id), textAnchor: 'start', dx: 4, fill: '#111', fontSize: 11 }),
      ],
    });
    for (const st of plot.querySelectorAll('style')) st.remove();
    el.replaceChildren(plot);
    return () => el.replaceChildren();
  }, [agreements, width, f.locale]);
  return <div ref={ref} className="chart" dir="ltr" role="img" aria-label={agreements.map((a) => a.title).join('; ')} />;
}

function AgreementCard({ agreement: a, assessments, titles }: { agreement: AgreementRecord; assessments: Loadable<{ items: AssessmentRow[] }>; titles: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <section className="card agreement-card" aria-labelledby={`agr-${a.id}`} data-agreement={a.id}>
      <h2 id={`agr-${a.id}`} dir="auto">
        {a.title}
      </h2>
      <dl className="facts">
        <dt>{t('agreements.parties')}</dt>
        <dd>
          {a.parties.map((p, i) => (
            <span key={p}>
              {i > 0 && ' · '}
              <Name id={p} kind="party" />
            </span>
          ))}
        </dd>
        <dt>{t('agreements.mediators')}</dt>
        <dd>
          {a.mediators.length === 0
            ? t('agreements.noMediators')
            : a.mediators.map((p, i) => (
                <span key={p}>
                  {i > 0 && ' · '}
                  <Name id={p} kind="party" />
                </span>
              ))}
        </dd>
        <dt>{t('agreements.inForce')}</dt>
        <dd>
          <ul className="plain">
            {a.windows.map((w, i) => (
              <li key={i} className="window">
                <BothTimes iso={w.from} /> <span aria-hidden="true">→</span> <span className="sr-only">{t('agreements.until')}</span>{' '}
                {w.to ? <BothTimes iso={w.to} /> : <strong>{t('agreements.openEnded')}</strong>}
              </li>
            ))}
          </ul>
          <p className="muted small">{t('agreements.halfOpen')}</p>
        </dd>
        {a.reply_deadline_hours !== undefined && (
          <>
            <dt>{t('agreements.replyWindow')}</dt>
            <dd>{t('agreements.hours', { count: a.reply_deadline_hours, n: f.num(a.reply_deadline_hours) })}</dd>
          </>
        )}
        {(a.amendments ?? []).length > 0 && (
          <>
            <dt>{t('agreements.amendments')}</dt>
            <dd>
              <ul className="plain">
                {(a.amendments ?? []).map((m) => (
                  <li key={m.id}>
                    {t(`agreements.amendment.${m.type}`)} · {m.type === 'termination' ? f.dateTime(m.at, 'Asia/Karachi') : f.dateTime(m.window.from, 'Asia/Karachi')} {m.note && <span dir="auto">— {m.note}</span>}
                  </li>
                ))}
              </ul>
            </dd>
          </>
        )}
      </dl>
      <h3>{t('agreements.obligations')}</h3>
      <ol className="obligations">
        {a.obligations.map((o) => (
          <li key={o.id} data-obligation={o.id}>
            <p className="plain-language">
              <ObligationSentence o={o} />
            </p>
            {o.text && (
              <p className="muted small" dir="auto">
                {o.text}
              </p>
            )}
          </li>
        ))}
      </ol>
      <h3>{t('agreements.assessed')}</h3>
      <Async r={assessments} what={t('what.assessment')}>
        {(page) => <AssessedUnder rows={page.items.filter((r) => r.agreement === a.id)} titles={titles} />}
      </Async>
    </section>
  );
}

/** A no_support obligation names the party attacked, the agreed list, or both. */
function noSupportSentence(o: { against?: string | undefined; actors?: 'agreed_list' | undefined }): string {
  if (o.actors === 'agreed_list') return o.against ? 'obligation.noSupportBoth' : 'obligation.noSupportListed';
  return 'obligation.noSupport';
}

export function ObligationSentence({ o }: { o: Obligation }) {
  const { t } = useTranslation();
  const names = useNames();
  switch (o.type) {
    case 'cease_attacks':
      return <>{t('obligation.ceaseAttacks', { bearer: names.name(o.bearer, 'party'), against: names.name(o.against, 'party'), targets: o.targets.map((x) => t(`targetCategory.${x}`)).join(', ') })}</>;
    case 'no_support':
      return <>{t(noSupportSentence(o), { bearer: names.name(o.bearer, 'party'), against: o.against ? names.name(o.against, 'party') : '' })}</>;
    case 'establish_mechanism':
      return <>{t('obligation.mechanism')}</>;
    case 'other':
      return <>{t('obligation.other')}</>;
    default: {
      const never: never = o;
      return never;
    }
  }
}

function AssessedUnder({ rows, titles }: { rows: readonly AssessmentRow[]; titles: ReadonlyMap<string, string> }) {
  const { t } = useTranslation();
  const counts = STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length] as const).filter(([, n]) => n > 0);
  const relevant = rows.filter((r) => r.status !== 'not_in_force' && r.status !== 'no_violation').sort((a, b) => severity(a.status) - severity(b.status));
  if (rows.length === 0) return <Empty>{t('agreements.noneAssessed')}</Empty>;
  return (
    <>
      <p className="chips">
        {counts.map(([s, n]) => (
          <span key={s} className="chip static">
            <StatusBadge status={s} /> {n}
          </span>
        ))}
      </p>
      {relevant.length > 0 && (
        <ul className="plain">
          {relevant.map((r) => (
            <li key={`${r.incident}/${r.obligation}`}>
              <StatusBadge status={r.status} />{' '}
              <Link to={incidentPath(r.incident)}>
                <bdi dir="auto">{titles.get(r.incident) ?? r.incident}</bdi>
              </Link>{' '}
              <code className="muted small" dir="ltr">
                {r.obligation}
              </code>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
