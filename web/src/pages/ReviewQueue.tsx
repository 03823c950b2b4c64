// Review queue (issue 10 item 8): what the machine proposed and a person must decide. Candidate
// report ↔ incident links from the monitors' intake (confirm, reject, undo — never a merge), and
// an extraction panel where text becomes candidate incidents and agreements, nothing recorded.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, qs } from '../api/client.js';
import { useApi } from '../api/useApi.js';
import { useSession } from '../app/context.js';
import { Link, incidentPath, setQuery, useLocation } from '../app/router.js';
import { Name, Section } from '../components/Display.js';
import { Field, FormStatus, useForm } from '../components/Form.js';
import { Async, Empty, errorText } from '../components/States.js';
import { useFormat } from '../lib/format.js';
import { ExtractForm, linkActionPath, linkActions, mayExtract, mayReviewLinks, segments } from '../lib/review.js';
import type { AgreementCandidate, ExtractAnswer, IncidentCandidate, LinkStatus, LinkSuggestion, QueuedLink } from '../lib/review.js';

const STATUSES: readonly LinkStatus[] = ['candidate', 'confirmed', 'undone'];

export default function ReviewQueue() {
  const { t } = useTranslation();
  const { user, checked } = useSession();
  const reviewer = mayReviewLinks(user?.role);
  const extractor = mayExtract(user?.role);
  return (
    <div className="page review-page">
      <div className="page-head">
        <h1>{t('review.title')}</h1>
        <p className="lede">{t('review.lede')}</p>
      </div>
      {checked && !user && (
        <p className="note" role="note">
          {t('review.signIn')} <Link to="/login?next=%2Freview">{t('nav.login')}</Link>
        </p>
      )}
      {checked && user && !reviewer && !extractor && (
        <p className="note" role="note" data-testid="review-not-for-role">
          {t('review.notForRole')}
        </p>
      )}
      {reviewer && <LinkQueue />}
      {extractor && <ExtractPanel />}
    </div>
  );
}

function LinkQueue() {
  const { t } = useTranslation();
  const { query } = useLocation();
  const raw = query.get('status');
  const status: LinkStatus = STATUSES.includes(raw as LinkStatus) ? (raw as LinkStatus) : 'candidate';
  const r = useApi<{ items: QueuedLink[] }>(`/api/v1/report-links${qs({ status })}`);
  return (
    <Section
      id="links"
      title={t('review.links')}
      actions={
        <div className="tool">
          <label htmlFor="link-status">{t('review.show')}</label>
          <select id="link-status" value={status} onChange={(e) => setQuery({ status: e.target.value === 'candidate' ? null : e.target.value })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`review.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
      }
    >
      <p className="small muted">{t('review.linksHow')}</p>
      <Async r={r} what={t('what.links')}>
        {(d) =>
          d.items.length === 0 ? (
            <Empty>{t(`review.none.${status}`)}</Empty>
          ) : (
            <ul className="plain link-queue" data-testid="link-queue">
              {d.items.map((l) => (
                <LinkItem key={l.id} link={l} onDecided={r.reload} />
              ))}
            </ul>
          )
        }
      </Async>
    </Section>
  );
}

/** Exported for component tests. */
export function LinkItem({ link, onDecided }: { link: QueuedLink; onDecided: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const decide = (action: 'confirm' | 'reject' | 'undo') => {
    setBusy(action);
    setError(null);
    api(linkActionPath(link.id, action), { method: 'POST' }).then(
      () => {
        setBusy(null);
        onDecided();
      },
      (e: unknown) => {
        setBusy(null);
        setError(errorText(e, t));
      },
    );
  };
  const headingId = `link-${link.id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <li className="queue-item" aria-labelledby={headingId} data-link={link.id}>
      <h3 id={headingId} className="queue-title">
        {t('review.linkTitle')} <code dir="ltr">{link.report_id}</code> {t('review.arrow')} <Link to={incidentPath(link.incident_id)}>
          <code dir="ltr">{link.incident_id}</code>
        </Link>
      </h3>
      <p>
        <Score value={link.score} /> <span className={`badge link-${link.status}`}>{t(`review.status.${link.status}`)}</span>
        {link.decided_by && <span className="small muted"> · {t('review.decidedBy', { who: link.decided_by })}</span>}
        <span className="small muted"> · {f.dateTime(link.recorded_at, 'Asia/Karachi')}</span>
      </p>
      <p className="small">
        <strong>{t('review.why')}</strong> <span dir="ltr" lang="en">{link.explanation}</span>
      </p>
      <div className="button-row">
        {linkActions(link.status).map((a) => (
          <button key={a} type="button" className={`button small${a === 'confirm' ? '' : ' secondary'}`} disabled={busy !== null} onClick={() => decide(a)} aria-describedby={headingId}>
            {busy === a ? t('forms.sending') : t(`review.action.${a}`)}
          </button>
        ))}
      </div>
      {error && (
        <p className="form-error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

function Score({ value }: { value: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <span className="score">
      {t('review.score')} <strong>{f.num(value, { style: 'percent', maximumFractionDigits: 0 })}</strong>
      <meter min={0} max={1} low={0.5} high={0.75} optimum={1} value={value} aria-hidden="true" />
    </span>
  );
}

/** Exported for component tests. */
export function ExtractPanel() {
  const { t } = useTranslation();
  const [result, setResult] = useState<{ text: string; answer: ExtractAnswer } | null>(null);
  const form = useForm({
    initial: { text: '', published: '' },
    schema: ExtractForm,
    toBody: (v) => ({ text: v.text, published: v.published }),
    send: async (body) => ({ text: body.text, answer: await api<ExtractAnswer>('/api/v1/extract', { method: 'POST', body }) }),
    onDone: (r) => setResult(r as { text: string; answer: ExtractAnswer }),
  });
  return (
    <Section id="extract" title={t('review.extract')}>
      <p className="small muted">{t('review.extractHow')}</p>
      <form className="form" onSubmit={form.onSubmit} noValidate aria-labelledby="extract-h" data-testid="extract-form">
        <FormStatus form={form} claimed={['/text', '/published']} />
        <Field label={t('review.text')} errors={form.errorsAt('/text')} required hint={t('review.textHint')}>
          <textarea rows={8} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
        </Field>
        <Field label={t('review.published')} errors={form.errorsAt('/published')} required hint={t('review.publishedHint')}>
          <input type="date" value={form.values.published} onChange={(e) => form.set('published', e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={form.submitting}>
          {form.submitting ? t('review.extracting') : t('review.extractSubmit')}
        </button>
      </form>
      {result && <Candidates text={result.text} answer={result.answer} />}
    </Section>
  );
}

function Candidates({ text, answer }: { text: string; answer: ExtractAnswer }) {
  const { t } = useTranslation();
  if (answer.incidents.length === 0 && answer.agreements.length === 0) {
    return (
      <div role="status" data-testid="extract-result">
        <Empty>{t('review.noCandidates')}</Empty>
      </div>
    );
  }
  return (
    <div className="candidates" role="status" data-testid="extract-result">
      <h3>{t('review.found', { incidents: answer.incidents.length, agreements: answer.agreements.length })}</h3>
      <p className="highlighted-text" dir="auto" data-testid="highlighted-text">
        {segments(text, answer).map((s, i) =>
          s.mark ? (
            <mark key={i} className={`span-${s.mark.kind}`}>
              <span className="span-tag" aria-hidden="true">
                {s.mark.kind === 'incident' ? 'I' : 'A'}
                {s.mark.n}
              </span>
              <span className="sr-only">{t(`review.markStart.${s.mark.kind}`, { n: s.mark.n })}</span>
              {s.text}
            </mark>
          ) : (
            <span key={i}>{s.text}</span>
          ),
        )}
      </p>
      <ol className="plain candidate-list">
        {answer.incidents.map((c, i) => (
          <IncidentCard key={`i${i}`} n={i + 1} c={c} link={answer.links[i]} />
        ))}
        {answer.agreements.map((c, i) => (
          <AgreementCard key={`a${i}`} n={i + 1} c={c} />
        ))}
      </ol>
      <p className="small muted">{t('review.nothingRecorded')}</p>
    </div>
  );
}

function When({ occurred }: { occurred: IncidentCandidate['occurred'] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (!occurred.from || !occurred.to) return <span className="muted">{t('review.noDate')}</span>;
  return (
    <>
      {f.dateTime(occurred.from, 'Asia/Karachi')} – {f.dateTime(occurred.to, 'Asia/Karachi')}
      {occurred.stated && (
        <span className="small muted" dir="auto">
          {' '}
          («{occurred.stated}»)
        </span>
      )}
    </>
  );
}

function IncidentCard({ n, c, link }: { n: number; c: IncidentCandidate; link: LinkSuggestion | undefined }) {
  const { t } = useTranslation();
  const f = useFormat();
  const place = [c.location.name, c.location.admin2, c.location.admin1, c.location.country].filter(Boolean).join(', ');
  return (
    <li className="candidate span-incident-card" data-testid="incident-candidate">
      <h4>
        <span className="span-tag">I{n}</span> {t('review.incidentN', { n })} · {t(`eventType.${c.event_type}`, { defaultValue: c.event_type })}
      </h4>
      <blockquote dir="auto" className="quote">
        {c.text_span.text}
      </blockquote>
      <dl className="facts">
        <dt>{t('review.when')}</dt>
        <dd>
          <When occurred={c.occurred} />
        </dd>
        <dt>{t('review.where')}</dt>
        <dd dir="auto">{place || <span className="muted">{t('review.noPlace')}</span>}</dd>
        <dt>{t('review.who')}</dt>
        <dd>
          {c.actors.perpetrator ? <Ref r={c.actors.perpetrator} /> : <span className="muted">{t('review.unnamed')}</span>} {t('review.arrow')} {c.actors.target ? <Ref r={c.actors.target} /> : <span className="muted">{t('review.unnamed')}</span>}
        </dd>
        <dt>{t('review.fatalities')}</dt>
        <dd>
          {c.fatalities.length === 0 ? (
            <span className="muted">{t('review.noFigure')}</span>
          ) : (
            c.fatalities.map((x, i) => (
              <span key={i}>
                {i > 0 && '; '}
                {x.low === x.high ? f.num(x.low ?? 0) : `${x.low === null ? '?' : f.num(x.low)}–${x.high === null ? '?' : f.num(x.high)}`} ({x.who.id ? <Name id={x.who.id} /> : <bdi>{x.who.name}</bdi>})
              </span>
            ))
          )}
        </dd>
        <dt>{t('review.hedging')}</dt>
        <dd>
          {t(`review.hedge.${c.hedging}`, { defaultValue: c.hedging })} · {t('review.confidence')} {f.num(c.confidence, { style: 'percent', maximumFractionDigits: 0 })}
        </dd>
      </dl>
      {link && <Suggestion s={link} />}
    </li>
  );
}

function Ref({ r }: { r: { id: string | null; name: string } }) {
  return r.id ? <Name id={r.id} /> : <bdi>{r.name}</bdi>;
}

function Suggestion({ s }: { s: LinkSuggestion }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className={`suggestion decision-${s.decision}`}>
      <p>
        <span className="badge">{t(`review.decision.${s.decision}`)}</span>{' '}
        {s.incident && (
          <>
            <Link to={incidentPath(s.incident)}>
              <code dir="ltr">{s.incident}</code>
            </Link>{' '}
            · {t('review.score')} {f.num(s.score, { style: 'percent', maximumFractionDigits: 0 })}
          </>
        )}
      </p>
      {s.explanation && (
        <p className="small" dir="ltr" lang="en">
          {s.explanation}
        </p>
      )}
      {s.alternatives.length > 0 && (
        <details>
          <summary className="small">{t('review.alternatives', { count: s.alternatives.length })}</summary>
          <ul className="plain small">
            {s.alternatives.map((a) => (
              <li key={a.incident}>
                <Link to={incidentPath(a.incident)}>
                  <code dir="ltr">{a.incident}</code>
                </Link>{' '}
                · {f.num(a.score, { style: 'percent', maximumFractionDigits: 0 })} ·{' '}
                <span dir="ltr" lang="en">
                  {a.explanation}
                </span>
              </li>
            ))}
          </ul>
        </details>
      )}
    </div>
  );
}

function AgreementCard({ n, c }: { n: number; c: AgreementCandidate }) {
  const { t } = useTranslation();
  return (
    <li className="candidate span-agreement-card" data-testid="agreement-candidate">
      <h4>
        <span className="span-tag">A{n}</span> {t('review.agreementN', { n })}
      </h4>
      <blockquote dir="auto" className="quote">
        {c.text_span.text}
      </blockquote>
      <dl className="facts">
        <dt>{t('review.when')}</dt>
        <dd>
          <When occurred={c.occurred} />
        </dd>
        <dt>{t('review.parties')}</dt>
        <dd>{c.parties.length === 0 ? <span className="muted">{t('review.unnamed')}</span> : c.parties.map((p, i) => <span key={i}>{i > 0 && ', '}<Ref r={p} /></span>)}</dd>
        <dt>{t('review.mediators')}</dt>
        <dd>{c.mediators.length === 0 ? <span className="muted">{t('review.unnamed')}</span> : c.mediators.map((p, i) => <span key={i}>{i > 0 && ', '}<Ref r={p} /></span>)}</dd>
        <dt>{t('review.terms')}</dt>
        <dd>
          {c.terms.length === 0 ? (
            <span className="muted">{t('review.noTerms')}</span>
          ) : (
            <ul className="plain">
              {c.terms.map((x, i) => (
                <li key={i} dir="auto">
                  {x}
                </li>
              ))}
            </ul>
          )}
        </dd>
      </dl>
    </li>
  );
}
