import { useTranslation } from 'react-i18next';
import { fetchAll } from '../api/client.js';
import type { Allegation } from '../api/types.js';
import { ALLEGATION_STATES } from '../api/types.js';
import { useApi, useLoad } from '../api/useApi.js';
import { useSession } from '../app/context.js';
import { Link, allegationPath, setQuery, useLocation } from '../app/router.js';
import { Name } from '../components/Display.js';
import { Async, Empty } from '../components/States.js';
import { useFormat } from '../lib/format.js';

export default function Allegations() {
  const { t } = useTranslation();
  const { user } = useSession();
  const { query } = useLocation();
  const state = query.get('state') ?? '';
  const r = useLoad('allegations', (signal) => fetchAll<Allegation>('/api/v1/allegations', 5000, signal));
  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('allegations.title')}</h1>
        <p className="lede">{t('allegations.lede')}</p>
        {user?.role === 'delegate' && (
          <p>
            <Link to="/allegations/new" className="button">
              {t('allegations.file')}
            </Link>
          </p>
        )}
      </div>
      {user?.party && <Inbox />}
      <section className="card" aria-labelledby="alist-h">
        <div className="card-head">
          <h2 id="alist-h">{t('allegations.list')}</h2>
          <div className="tool">
            <label htmlFor="a-state">{t('allegations.stateFilter')}</label>
            <select id="a-state" value={state} onChange={(e) => setQuery({ state: e.target.value || null })}>
              <option value="">{t('filters.any')}</option>
              {ALLEGATION_STATES.map((s) => (
                <option key={s} value={s}>
                  {t(`allegationState.${s}`)}
                </option>
              ))}
            </select>
          </div>
        </div>
        <Async r={r} what={t('what.allegations')}>
          {(page) => <AllegationTable items={page.items.filter((a) => !state || a.state === state)} />}
        </Async>
      </section>
    </div>
  );
}

function AllegationTable({ items }: { items: readonly Allegation[] }) {
  const { t } = useTranslation();
  const f = useFormat();
  if (items.length === 0) return <Empty>{t('allegations.none')}</Empty>;
  return (
    <div className="table-scroll" role="region" aria-label={t('allegations.list')} tabIndex={0}>
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">{t('allegations.id')}</th>
            <th scope="col">{t('allegations.byAgainst')}</th>
            <th scope="col">{t('allegations.state')}</th>
            <th scope="col">{t('allegations.deadline')}</th>
            <th scope="col">{t('allegations.incidents')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((a) => (
            <tr key={a.id} data-allegation={a.id}>
              <td>
                <Link to={allegationPath(a.id)}>
                  <code dir="ltr">{a.id}</code>
                </Link>
              </td>
              <td>
                <Name id={a.by} kind="party" /> → <Name id={a.against} kind="party" />
              </td>
              <td>
                <span className={`badge state-${a.state}`}>{t(`allegationState.${a.state}`)}</span>
              </td>
              <td>{a.reply_deadline ? f.dateTime(a.reply_deadline, 'Asia/Karachi') : '—'}</td>
              <td>{f.num(a.incidents.length)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

interface Notification {
  readonly id: string;
  readonly kind: string;
  readonly subject: string;
  readonly text: string;
  readonly at: string;
}

/** What concerns the reader's party: allegations filed against it, replies due, findings. */
function Inbox() {
  const { t } = useTranslation();
  const f = useFormat();
  const r = useApi<{ items: Notification[] }>('/api/v1/inbox');
  return (
    <section className="card" aria-labelledby="inbox-h">
      <h2 id="inbox-h">{t('allegations.inbox')}</h2>
      <Async r={r} what={t('allegations.inbox')}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>{t('allegations.inboxEmpty')}</Empty>
          ) : (
            <ul className="plain inbox">
              {page.items.slice(0, 20).map((n) => (
                <li key={n.id}>
                  <span className="badge">{t(`notification.${n.kind}`, { defaultValue: n.kind })}</span>{' '}
                  <Link to={allegationPath(n.subject)}>
                    <code dir="ltr">{n.subject}</code>
                  </Link>{' '}
                  <span className="small muted">{f.dateTime(n.at, 'Asia/Karachi')}</span>
                  <p className="small" dir="auto">
                    {n.text}
                  </p>
                </li>
              ))}
            </ul>
          )
        }
      </Async>
    </section>
  );
}
