import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Allegation, AllegationState } from '../api/types.js';
import { useApi } from '../api/useApi.js';
import { useDirectory, useSession } from '../app/context.js';
import { Link, incidentPath } from '../app/router.js';
import { AssessmentView } from '../components/AssessmentView.js';
import { DenialForm, FindingForm, OpinionForm, RemedyForm, RemedyProgressForm, ReplyForm, TaskForm, TaskOutcomeForm } from '../components/AllegationForms.js';
import { BothTimes, Name, Section, UserText } from '../components/Display.js';
import { LogEntries } from '../components/LogBadge.js';
import { EvidenceList } from '../components/Evidence.js';
import { ErrorState, Loading, Unavailable } from '../components/States.js';
import { useFormat } from '../lib/format.js';

const STEPS: readonly AllegationState[] = ['filed', 'awaiting_reply', 'replied', 'under_review', 'finding'];

export default function AllegationDetail({ id }: { id: string }) {
  const { t } = useTranslation();
  const r = useApi<Allegation>(`/api/v1/allegations/${encodeURIComponent(id)}`);
  if (r.state === 'loading') return <Loading />;
  if (r.state === 'unavailable') {
    return (
      <div className="page">
        <h1>{t('allegations.detailTitle', { id })}</h1>
        <Unavailable what={t('what.allegations')} />
      </div>
    );
  }
  if (r.state === 'error') {
    return (
      <div className="page">
        <h1>{t('allegations.detailTitle', { id })}</h1>
        <ErrorState error={r.error} retry={r.reload} />
      </div>
    );
  }
  return <Detail a={r.data} reload={r.reload} />;
}

function Detail({ a, reload }: { a: Allegation; reload: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const { user } = useSession();
  const dir = useDirectory();
  const agreement = dir.agreements.get(a.agreement);
  const isAccused = user?.role === 'delegate' && user.party === a.against;
  const isDelegateOfEither = user?.role === 'delegate' && (user.party === a.against || user.party === a.by);
  const isMediator = user?.role === 'mediator';
  const reviewing = a.state === 'replied' || a.state === 'reply_overdue' || a.state === 'under_review';
  const hasOpinion = (a.opinions ?? []).some((o) => o.party === user?.party);
  const parties = agreement?.parties ?? [a.by, a.against];

  return (
    <div className="page allegation-page">
      <nav aria-label={t('incident.breadcrumb')} className="breadcrumb">
        <Link to="/allegations">{t('nav.allegations')}</Link> <span aria-hidden="true">›</span> <code dir="ltr">{a.id}</code>
      </nav>
      <div className="page-head">
        <h1>{t('allegations.detailTitle', { id: a.id })}</h1>
        <p className="lede">
          <Name id={a.by} kind="party" /> → <Name id={a.against} kind="party" /> · <bdi>{agreement?.title ?? a.agreement}</bdi>
        </p>
      </div>

      <section className="card" aria-labelledby="progress-h">
        <h2 id="progress-h">{t('allegations.progress')}</h2>
        <ol className="steps-bar" data-state={a.state}>
          {STEPS.map((s) => {
            const reached = stepReached(a.state, s);
            const label = s === 'replied' && a.state === 'reply_overdue' ? t('allegationState.reply_overdue') : t(`allegationState.${s}`);
            return (
              <li key={s} className={reached ? 'reached' : ''} aria-current={a.state === s || (s === 'replied' && a.state === 'reply_overdue') ? 'step' : undefined}>
                {label}
              </li>
            );
          })}
        </ol>
        {a.reply_deadline && <Deadline deadline={a.reply_deadline} state={a.state} />}
      </section>

      <Section id="allegation" title={t('allegations.allegation')}>
        <UserText text={a.text} />
        {(a.evidence ?? []).length > 0 && (
          <>
            <h3>{t('forms.evidence')}</h3>
            <EvidenceList items={a.evidence ?? []} />
          </>
        )}
        <h3>{t('allegations.incidents')}</h3>
        <ul className="plain">
          {a.incidents.map((i) => (
            <li key={i}>
              <Link to={incidentPath(i)}>
                <code dir="ltr">{i}</code>
              </Link>
            </li>
          ))}
        </ul>
        {(a.obligations ?? []).length > 0 && (
          <p className="small">
            {t('allegations.obligations')}: {(a.obligations ?? []).map((o) => <code key={o} dir="ltr">{o} </code>)}
          </p>
        )}
        {a.filed_at && (
          <p className="small muted">
            {t('allegations.filedAt')} <BothTimes iso={a.filed_at} />
          </p>
        )}
      </Section>

      {a.assessment_at_filing && a.assessment_at_filing.length > 0 && (
        <Section id="assessment" title={t('allegations.assessmentAtFiling')}>
          <AssessmentView rows={a.assessment_at_filing} />
        </Section>
      )}

      <Section id="reply" title={t('allegations.reply')}>
        {a.reply ? (
          <div className="reply">
            <p>
              <span className={`badge reply-${a.reply.kind}`}>{t(`replyKind.${a.reply.kind}`)}</span> {a.reply.at && <span className="small muted">{f.dateTime(a.reply.at, 'Asia/Karachi')}</span>}
            </p>
            <UserText text={a.reply.text} />
          </div>
        ) : (
          <p className="muted">{a.state === 'reply_overdue' ? t('allegations.noReplyOverdue') : t('allegations.noReplyYet')}</p>
        )}
        {isAccused && a.state === 'awaiting_reply' && <ReplyForm allegationId={a.id} onDone={reload} />}
      </Section>

      <Section id="verification" title={t('allegations.verification')}>
        <h3>{t('allegations.tasks')}</h3>
        {(a.tasks ?? []).length === 0 ? (
          <p className="muted">{t('allegations.noTasks')}</p>
        ) : (
          <ul className="plain">
            {(a.tasks ?? []).map((task, i) => (
              <li key={task.id || i}>
                <strong>{t(`taskKind.${task.kind}`, { defaultValue: task.kind })}</strong> · {task.assignees.join(', ')} · {t('allegations.due')} {f.dateTime(task.due, 'Asia/Karachi')}
                {task.party && (
                  <>
                    {' '}
                    · <Name id={task.party} kind="party" />
                  </>
                )}
                <UserText text={task.text} />
                {task.outcome && (
                  <div className="task-outcome">
                    <strong>{t('allegations.outcome')}</strong> <UserText text={task.outcome.outcome} />
                    {(task.outcome.evidence ?? []).length > 0 && (
                      <EvidenceList className="small" items={task.outcome.evidence ?? []} />
                    )}
                  </div>
                )}
                {isMediator && !task.outcome && task.id && (
                  <details className="inline-form">
                    <summary>{t('forms.outcome.open')}</summary>
                    <TaskOutcomeForm allegationId={a.id} taskId={task.id} onDone={reload} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
        <h3>{t('allegations.denials')}</h3>
        {(a.access_denials ?? []).length === 0 ? (
          <p className="muted">{t('allegations.noDenials')}</p>
        ) : (
          <ul className="plain">
            {(a.access_denials ?? []).map((d, i) => (
              <li key={i}>
                <Name id={d.party} kind="party" /> · {f.dateTime(d.at, 'Asia/Karachi')} {d.place && <bdi>· {d.place}</bdi>}
                <UserText text={d.text} />
              </li>
            ))}
          </ul>
        )}
        {isMediator && a.state !== 'finding' && (
          <div className="form-pair">
            <TaskForm allegationId={a.id} onDone={reload} parties={parties} />
            <DenialForm allegationId={a.id} onDone={reload} parties={parties} />
          </div>
        )}
      </Section>

      <Section id="finding" title={t('allegations.finding')}>
        {a.finding ? (
          <div className="finding" data-testid="finding">
            <p>
              <span className={`badge finding-${a.finding.outcome}`}>{t(`findingOutcome.${a.finding.outcome}`)}</span>{' '}
              {a.finding.by && (
                <span className="small">
                  <Name id={a.finding.by} kind="party" />
                </span>
              )}
            </p>
            <UserText text={a.finding.reasoning} />
            {(a.finding.verified_claims ?? []).length > 0 && (
              <p className="small">
                {t('forms.finding.verified')}: {(a.finding.verified_claims ?? []).join(', ')}
              </p>
            )}
          </div>
        ) : (
          <p className="muted">{t('allegations.noFinding')}</p>
        )}
        {isMediator && reviewing && <FindingForm allegationId={a.id} onDone={reload} claimIds={a.claims ?? []} />}
      </Section>

      <Section id="opinions" title={t('allegations.opinions')}>
        {(a.opinions ?? []).length === 0 ? (
          <p className="muted">{t('allegations.noOpinions')}</p>
        ) : (
          <ul className="plain">
            {(a.opinions ?? []).map((o, i) => (
              <li key={i}>
                <Name id={o.party} kind="party" />: <strong>{t(`opinion.${o.position}`)}</strong>
                <UserText text={o.text} />
              </li>
            ))}
          </ul>
        )}
        {isDelegateOfEither && a.state === 'finding' && !hasOpinion && <OpinionForm allegationId={a.id} onDone={reload} />}
      </Section>

      <Section id="remedies" title={t('allegations.remedies')}>
        {(a.remedies ?? []).length === 0 ? (
          <p className="muted">{t('allegations.noRemedies')}</p>
        ) : (
          <ul className="plain">
            {(a.remedies ?? []).map((m, i) => (
              <li key={m.id || i}>
                <UserText text={m.text} />
                <span className="small">
                  {m.status && t(`remedyStatus.${m.status}`, { defaultValue: m.status })} {m.due && <>· {t('allegations.due')} {f.dateTime(m.due, 'Asia/Karachi')}</>}
                </span>
                {(m.history ?? []).length > 0 && (
                  <ol className="plain small remedy-history">
                    {(m.history ?? []).map((h, k) => (
                      <li key={k}>
                        {f.dateTime(h.at, 'Asia/Karachi')} · <strong>{t(`remedyStatus.${h.status}`, { defaultValue: h.status })}</strong>
                        {h.text && (
                          <>
                            {' '}
                            · <bdi>{h.text}</bdi>
                          </>
                        )}
                      </li>
                    ))}
                  </ol>
                )}
                {isMediator && m.id && m.status !== 'completed' && (
                  <details className="inline-form">
                    <summary>{t('forms.progress.open')}</summary>
                    <RemedyProgressForm allegationId={a.id} remedyId={m.id} current={m.status} onDone={reload} />
                  </details>
                )}
              </li>
            ))}
          </ul>
        )}
        {isMediator && a.state === 'finding' && a.finding?.outcome === 'substantiated' && <RemedyForm allegationId={a.id} onDone={reload} />}
      </Section>

      <Section id="history" title={t('allegations.history')}>
        {(a.history ?? []).length === 0 ? (
          <p className="muted">{t('allegations.noHistory')}</p>
        ) : (
          <LogEntries items={(a.history ?? []).map((h) => ({ label: `${t(`historyEvent.${h.event}`, { defaultValue: h.event })} · ${f.dateTime(h.at, 'Asia/Karachi')}${h.by ? ` · ${h.by}` : ''}`, index: h.log_index }))} />
        )}
      </Section>
    </div>
  );
}

function stepReached(state: AllegationState, step: AllegationState): boolean {
  const order: Record<AllegationState, number> = { filed: 0, awaiting_reply: 1, replied: 2, reply_overdue: 2, under_review: 3, finding: 4 };
  return order[state] >= order[step];
}

function Deadline({ deadline, state }: { deadline: string; state: AllegationState }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const h = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(h);
  }, []);
  const left = Date.parse(deadline) - now;
  return (
    <div className={`deadline${state === 'awaiting_reply' && left < 24 * 3_600_000 ? ' urgent' : ''}`}>
      <span>{t('allegations.replyDeadline')}</span> <BothTimes iso={deadline} />
      {state === 'awaiting_reply' && <strong className="clock">{left > 0 ? t('allegations.replyDue', { when: f.relative(left) }) : t('allegations.replyOverdue')}</strong>}
    </div>
  );
}
