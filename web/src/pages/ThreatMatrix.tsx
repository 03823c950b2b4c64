import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api, fetchAll } from '../api/client.js';
import type { DesignationRecord, MatrixChange, MatrixRow, ProposalView, ThreatMatrix as Matrix } from '../api/types.js';
import { useApi, useLoad } from '../api/useApi.js';
import { useDirectory, useSession } from '../app/context.js';
import { ProposalResponseForm } from '../components/ProposalResponseForm.js';
import { Name, Section } from '../components/Display.js';
import { Async, Empty, ErrorState, Loading } from '../components/States.js';
import { useFormat } from '../lib/format.js';
import { matrixFromDesignations } from '../lib/threat.js';

export default function ThreatMatrix() {
  const { t } = useTranslation();
  const dir = useDirectory();
  // The server's joint view (issue 6); the same rule computed here from the designations otherwise.
  const server = useLoad('threat-matrix', async (signal) => {
    try {
      return await api<Matrix>('/api/v1/threat-matrix', { signal });
    } catch (e) {
      if (e instanceof ApiError && e.endpointMissing) return null;
      throw e;
    }
  });
  const designations = useLoad(server.state === 'ok' && server.data === null ? 'designations' : null, (signal) => fetchAll<DesignationRecord>('/api/v1/designations', 10_000, signal));
  const history = useApi<{ changes: MatrixChange[] }>('/api/v1/threat-matrix/history');
  const proposals = useApi<{ items: ProposalView[] }>('/api/v1/threat/proposals');

  const matrix = useMemo(() => {
    if (server.state === 'ok' && server.data) return { ...server.data, fromServer: true };
    if (designations.state !== 'ok' || !dir.loaded) return null;
    return { ...matrixFromDesignations(designations.data.items, [...dir.parties.values()], [...dir.actors.values()]), fromServer: false };
  }, [server, designations, dir]);
  const failed = server.state === 'error' ? server : designations.state === 'error' ? designations : null;

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('threat.title')}</h1>
        <p className="lede">{t('threat.lede')}</p>
      </div>
      <section className="card" aria-labelledby="matrix-h">
        <h2 id="matrix-h">{t('threat.matrix')}</h2>
        {failed && <ErrorState error={failed.error} retry={failed.reload} />}
        {!matrix && !failed && <Loading />}
        {matrix && matrix.actors.length === 0 && <Empty>{t('threat.none')}</Empty>}
        {matrix && matrix.actors.length > 0 && (
          <>
            <MatrixTable columns={matrix.parties} rows={matrix.actors} />
            <p className="muted small">{matrix.fromServer ? t('threat.fromServer') : t('threat.computedHere')}</p>
            <MatrixLegend />
          </>
        )}
      </section>
      <Section id="proposals" title={t('threat.proposals')}>
        <Async r={proposals} what={t('what.proposals')}>
          {(r) => (r.items.length === 0 ? <Empty>{t('threat.noProposals')}</Empty> : <Proposals items={r.items} onChanged={proposals.reload} />)}
        </Async>
      </Section>
      <Section id="history" title={t('threat.history')}>
        <Async r={history} what={t('what.matrixHistory')}>
          {(r) => (r.changes.length === 0 ? <Empty>{t('threat.noHistory')}</Empty> : <History changes={r.changes} />)}
        </Async>
      </Section>
    </div>
  );
}

function MatrixTable({ columns, rows }: { columns: readonly string[]; rows: readonly MatrixRow[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="table-scroll" role="region" aria-label={t('threat.matrix')} tabIndex={0}>
      <table className="matrix-table">
        <caption className="sr-only">{t('threat.caption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('threat.actor')}</th>
            {columns.map((c) => (
              <th scope="col" key={c}>
                <Name id={c} kind="party" />
              </th>
            ))}
            <th scope="col">{t('threat.joint')}</th>
            <th scope="col">{t('threat.references')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.actor} data-actor={r.actor}>
              <th scope="row">
                <Name id={r.actor} kind="actor" showAlternatives />
              </th>
              {columns.map((c) => {
                const p = r.positions[c];
                return (
                  <td key={c} className={`pos pos-${p?.position ?? 'none'}`} data-party={c}>
                    {p ? (
                      <>
                        <strong>{t(`position.${p.position}`, { defaultValue: p.position })}</strong>
                        <span className="small">{t(`collective.${p.collective_action}`, { defaultValue: p.collective_action })}</span>
                        {p.basis && (
                          <details className="basis">
                            <summary>{t('threat.basis')}</summary>
                            <p dir="auto" className="small">
                              {p.basis}
                            </p>
                          </details>
                        )}
                      </>
                    ) : (
                      <span className="muted">{t('threat.noStatement')}</span>
                    )}
                  </td>
                );
              })}
              <td className={`joint joint-${r.status}`}>
                <strong>{t(`joint.${r.status}`)}</strong>
                {r.differences.length > 0 && <span className="small">{t('threat.differOn', { what: r.differences.map((d) => t(`threat.diff.${d.on}`, { defaultValue: d.on })).join(', ') })}</span>}
              </td>
              <td>
                {r.references.length === 0 ? (
                  <span className="muted">—</span>
                ) : (
                  <ul className="plain small">
                    {r.references.map((ref) => (
                      <li key={ref.id} dir="auto">
                        <strong>{ref.authority}</strong>: {ref.list}
                        {ref.reference && <> ({ref.reference})</>} · {f.date(`${ref.listed_on}T00:00:00Z`)}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function MatrixLegend() {
  const { t } = useTranslation();
  return (
    <ul className="legend-row">
      {(['terrorist', 'under_review', 'not_terrorist', 'none'] as const).map((p) => (
        <li key={p} className="legend-item">
          <span className={`swatch pos-${p}`} aria-hidden="true" />
          {p === 'none' ? t('threat.noStatement') : t(`position.${p}`)}
        </li>
      ))}
    </ul>
  );
}

/** Each proposal: the actors it lists and each party's accept or reject, with its reason. */
function Proposals({ items, onChanged }: { items: readonly ProposalView[]; onChanged: () => void }) {
  const { t } = useTranslation();
  const { user } = useSession();
  // policy.ts 'threat.respond': a delegate, for its own party, while the proposal takes answers.
  const answering = (p: ProposalView) => (user?.role === 'delegate' && user.party && p.parties.includes(user.party) && p.state !== 'adopted' ? user.party : null);
  return (
    <ul className="plain proposals">
      {items.map((p) => (
        <li key={p.id} className="proposal">
          <h3 dir="auto">
            {p.title} <span className={`badge proposal-${p.state}`}>{t(`proposalState.${p.state}`, { defaultValue: p.state })}</span>
          </h3>
          <p dir="auto" className="small">
            {p.criteria}
          </p>
          <div className="table-scroll" role="region" aria-label={p.title} tabIndex={0}>
            <table className="data-table">
              <thead>
                <tr>
                  <th scope="col">{t('threat.actor')}</th>
                  {p.parties.map((party) => (
                    <th scope="col" key={party}>
                      <Name id={party} kind="party" />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {p.items.map((item) => (
                  <tr key={item.actor}>
                    <th scope="row">
                      <Name id={item.actor} kind="actor" />
                    </th>
                    {p.parties.map((party) => {
                      const d = item.decisions[party];
                      return (
                        <td key={party}>
                          {d ? (
                            <>
                              <strong>{t(`decision.${d.decision}`)}</strong>
                              <span className="small" dir="auto">
                                {' '}
                                {d.reason}
                              </span>
                            </>
                          ) : (
                            <span className="muted">{t('decision.pending')}</span>
                          )}
                        </td>
                      );
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {answering(p) && (
            <details className="inline-form">
              <summary>{t('threat.respond.open')}</summary>
              <ProposalResponseForm proposal={p} party={answering(p)!} onDone={onChanged} />
            </details>
          )}
          {p.agreed_list.length > 0 && (
            <p className="small">
              {t('threat.agreedList')}:{' '}
              {p.agreed_list.map((a, i) => (
                <span key={a}>
                  {i > 0 && ', '}
                  <Name id={a} kind="actor" />
                </span>
              ))}
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}

function History({ changes }: { changes: readonly MatrixChange[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <ol className="plain small history">
      {[...changes].reverse().slice(0, 50).map((c) => (
        <li key={`${c.log_index}-${c.actor}`}>
          <Name id={c.actor} kind="actor" />: {t(`joint.${c.from}`)} → <strong>{t(`joint.${c.to}`)}</strong> · <Name id={c.by} kind="party" /> · {f.date(c.recorded_at, 'Asia/Karachi')}{' '}
          <span className="muted">({t('log.entryN', { n: c.log_index })})</span>
        </li>
      ))}
    </ol>
  );
}
