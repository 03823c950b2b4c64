// Small presentational pieces used across pages.
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssessmentStatus, Incident } from '../api/types.js';
import type { NameKind } from '../app/context.js';
import { useNames } from '../app/context.js';
import { AF_ZONE, PK_ZONE, sameLocalDay, useFormat } from '../lib/format.js';
import { STATUS_OUTLINE, STATUS_SHAPE, eventColour, shapePath } from '../lib/status.js';

export function StatusShape({ status, colour = '#ffffff', size = 16 }: { status: AssessmentStatus | null; colour?: string; size?: number }) {
  const key = status ?? 'unassessed';
  const shape = STATUS_SHAPE[key];
  return (
    <svg className="status-shape" width={size} height={size} viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d={shapePath(shape)} fill={shape === 'ring' ? 'none' : colour} stroke="#1b1b1b" strokeWidth={STATUS_OUTLINE[key] + (shape === 'ring' ? 1 : 0)} strokeLinejoin="round" />
    </svg>
  );
}

export function StatusBadge({ status }: { status: AssessmentStatus | null }) {
  const { t } = useTranslation();
  return (
    <span className={`badge status status-${status ?? 'unassessed'}`}>
      <StatusShape status={status} colour="currentColor" size={12} />
      {t(`status.${status ?? 'unassessed'}`)}
    </span>
  );
}

export function EventDot({ type }: { type: string }) {
  return <span className="event-dot" style={{ backgroundColor: eventColour(type) }} aria-hidden="true" />;
}

/** A party's, actor's or source's name, with the other names it goes by on hover and for screen readers. */
export function Name({ id, kind = 'any', showAlternatives = false }: { id: string | null | undefined; kind?: NameKind; showAlternatives?: boolean }) {
  const names = useNames();
  const { t } = useTranslation();
  if (!id) return null;
  const shown = names.name(id, kind);
  const alts = names.alternatives(id, kind);
  const title = alts.length > 0 ? `${t('names.alsoCalled')}: ${alts.map((a) => a.name).join(' · ')}` : undefined;
  return (
    <span className="name" title={title}>
      <bdi>{shown}</bdi>
      {showAlternatives && alts.length > 0 && (
        <span className="alt-names">
          {' '}
          ({t('names.alsoCalled')}: {alts.slice(0, 4).map((a, i) => (
            <span key={a.name}>
              {i > 0 && ' · '}
              <bdi lang={a.lang}>{a.name}</bdi>
              {a.usedBy && a.usedBy.length > 0 && <span className="muted"> — {t('names.usedBy', { who: a.usedBy.map((p) => names.name(p, 'party')).join(', ') })}</span>}
            </span>
          ))}
          {alts.length > 4 && ' …'})
        </span>
      )}
    </span>
  );
}

/** An instant in both Pakistan and Afghanistan time. */
export function BothTimes({ iso, dateOnly = false }: { iso: string; dateOnly?: boolean }) {
  const f = useFormat();
  const { t } = useTranslation();
  const fmt = dateOnly ? f.date : f.dateTime;
  return (
    <span className="both-times" title={iso}>
      <span>
        {fmt(iso, PK_ZONE)} <span className="zone">{t('time.pk')}</span>
      </span>
      <span>
        {fmt(iso, AF_ZONE)} <span className="zone">{t('time.af')}</span>
      </span>
    </span>
  );
}

function zoneRange(from: string, to: string, zone: string, precision: string, f: ReturnType<typeof useFormat>): string {
  if (precision === 'month') return f.month(from, zone);
  const endInclusive = new Date(Date.parse(to) - 1).toISOString();
  if (precision === 'day' && sameLocalDay(from, endInclusive, zone)) return f.date(from, zone);
  if (sameLocalDay(from, endInclusive, zone)) return `${f.dateTime(from, zone)}–${f.time(to, zone)}`;
  return `${f.dateTime(from, zone)} – ${f.dateTime(to, zone)}`;
}

/** When an incident happened: the interval in both zones, and the form the source stated. */
export function Occurred({ occurred, compact = false }: { occurred: Incident['occurred']; compact?: boolean }) {
  const f = useFormat();
  const { t } = useTranslation();
  const { from, to, precision } = occurred;
  const pk = zoneRange(from, to, PK_ZONE, precision, f);
  const af = zoneRange(from, to, AF_ZONE, precision, f);
  if (compact) {
    // Lead with the zone the source stated the time in; the other zone follows.
    const stated = occurred.stated;
    const afFirst = 'zone' in stated && stated.zone === AF_ZONE;
    const first = afFirst ? [af, t('time.af')] : [pk, t('time.pk')];
    const second = afFirst ? [pk, t('time.pk')] : [af, t('time.af')];
    return (
      <span className="occurred compact" title={`${from} – ${to} (UTC)`}>
        <span>
          {first[0]} <span className="zone">{first[1]}</span>
        </span>
        {first[0] !== second[0] && (
          <span className="other-zone">
            {second[0]} <span className="zone">{second[1]}</span>
          </span>
        )}
      </span>
    );
  }
  return (
    <div className="occurred">
      <div>
        <span className="zone-label">{t('time.pkLong')}</span> {pk}
      </div>
      <div>
        <span className="zone-label">{t('time.afLong')}</span> {af}
      </div>
      <div className="muted small">
        {t(`precision.${precision}`)} · {t('time.stated')}: <StatedTime stated={occurred.stated} />
      </div>
    </div>
  );
}

function StatedTime({ stated }: { stated: Incident['occurred']['stated'] }) {
  const { t } = useTranslation();
  if ('from' in stated) return <code dir="ltr">{`${stated.from} – ${stated.to}`}</code>;
  const zone = stated.zone === AF_ZONE ? t('time.af') : stated.zone === PK_ZONE ? t('time.pk') : stated.zone;
  if ('local' in stated) return <code dir="ltr">{`${stated.local} (${zone})`}</code>;
  return <code dir="ltr">{`${stated.local_from} – ${stated.local_to} (${zone})`}</code>;
}

const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** NATO Admiralty grading: source reliability A–F × information credibility 1–6. */
export function Grading({ reliability, credibility }: { reliability?: string | undefined; credibility?: number | undefined }) {
  const { t } = useTranslation();
  if (!reliability && !credibility) return <span className="muted">{t('source.ungraded')}</span>;
  const r = reliability && (RELIABILITY as readonly string[]).includes(reliability) ? reliability : null;
  const label = [r ? `${r}: ${t(`admiralty.r${r}`)}` : null, credibility ? `${credibility}: ${t(`admiralty.c${credibility}`)}` : null].filter(Boolean).join('; ');
  return (
    <span className={`grading grade-${r ?? 'x'}`} title={label}>
      <span aria-hidden="true">
        {r ?? '–'}
        {credibility ?? '–'}
      </span>
      <span className="sr-only">{t('source.grading')}: {label}</span>
      <span className="grading-text">{label}</span>
    </span>
  );
}

export function Section({ title, id, children, actions }: { title: ReactNode; id: string; children: ReactNode; actions?: ReactNode }) {
  return (
    <section className="card" aria-labelledby={`${id}-h`}>
      <div className="card-head">
        <h2 id={`${id}-h`}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}

/** User-entered text keeps its own language and direction. */
export function UserText({ text, lang, className }: { text: string | null | undefined; lang?: string | undefined; className?: string }) {
  if (!text) return null;
  return (
    <p dir="auto" lang={lang} className={className ?? 'user-text'}>
      {text}
    </p>
  );
}

export function VisibilityBadge({ visibility }: { visibility: string | undefined }) {
  const { t } = useTranslation();
  if (!visibility || visibility === 'public') return null;
  return <span className={`badge visibility-${visibility}`}>{t(`visibility.${visibility}`)}</span>;
}
