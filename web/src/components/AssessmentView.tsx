// The assessment of one incident: per agreement and obligation, the status, the reasoning steps
// and what is still open.
import { useTranslation } from 'react-i18next';
import type { AgreementRecord, AssessmentRow } from '../api/types.js';
import { useDirectory } from '../app/context.js';
import { severity } from '../lib/status.js';
import { Name, StatusBadge } from './Display.js';

export function AssessmentView({ rows }: { rows: readonly AssessmentRow[] }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  if (rows.length === 0) return <p className="state state-empty">{t('assessment.none')}</p>;
  const byAgreement = new Map<string, AssessmentRow[]>();
  for (const r of rows) byAgreement.set(r.agreement, [...(byAgreement.get(r.agreement) ?? []), r]);
  return (
    <div className="assessment">
      {[...byAgreement.entries()].map(([agreementId, rs]) => (
        <AgreementBlock key={agreementId} agreement={dir.agreements.get(agreementId)} agreementId={agreementId} rows={[...rs].sort((a, b) => severity(a.status) - severity(b.status))} />
      ))}
    </div>
  );
}

function AgreementBlock({ agreement, agreementId, rows }: { agreement: AgreementRecord | undefined; agreementId: string; rows: readonly AssessmentRow[] }) {
  return (
    <div className="assessment-agreement">
      <h3>
        <bdi>{agreement?.title ?? agreementId}</bdi>
      </h3>
      <ul className="obligation-list">
        {rows.map((r) => (
          <ObligationRow key={`${r.agreement}/${r.obligation}`} row={r} agreement={agreement} />
        ))}
      </ul>
    </div>
  );
}

function ObligationRow({ row, agreement }: { row: AssessmentRow; agreement: AgreementRecord | undefined }) {
  const { t } = useTranslation();
  const obligation = agreement?.obligations.find((o) => o.id === row.obligation);
  return (
    <li className={`obligation status-${row.status}`} data-obligation={row.obligation}>
      <div className="obligation-head">
        <StatusBadge status={row.status} />
        <span>
          {t(`obligationType.${obligation?.type ?? 'other'}`)}: <Name id={row.bearer} kind="party" /> → {row.against ? <Name id={row.against} kind="party" /> : t('threat.agreedList')}
        </span>
        <code className="muted small" dir="ltr">
          {row.obligation}
        </code>
      </div>
      {obligation?.text && (
        <p className="obligation-text" dir="auto">
          {obligation.text}
        </p>
      )}
      {row.status_if_in_force && row.status_if_in_force !== row.status && (
        <p className="small">
          {t('assessment.ifInForce')} <StatusBadge status={row.status_if_in_force} />
        </p>
      )}
      {row.open_questions.length > 0 && (
        <p className="open-questions">
          <span>{t('assessment.open')}</span>{' '}
          {row.open_questions.map((q) => (
            <span key={q} className="chip static">
              {t(`openQuestion.${q}`, { defaultValue: q })}
            </span>
          ))}
        </p>
      )}
      {row.steps.length > 0 && (
        <details className="steps">
          <summary>{t('assessment.steps', { count: row.steps.length })}</summary>
          <ol>
            {row.steps.map((s, i) => (
              <li key={i}>
                <code className="rule" dir="ltr">
                  {s.rule}
                </code>{' '}
                <span dir="auto">{s.text}</span>
                {s.claims.length > 0 && (
                  <span className="step-claims">
                    {' '}
                    ({t('assessment.claims')}:{' '}
                    {s.claims.map((c, j) => (
                      <span key={c}>
                        {j > 0 && ', '}
                        <a href={`#claim-${c}`}>
                          <code dir="ltr">{c}</code>
                        </a>
                      </span>
                    ))}
                    )
                  </span>
                )}
              </li>
            ))}
          </ol>
        </details>
      )}
    </li>
  );
}
