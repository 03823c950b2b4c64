// Reports on this phone and what each is doing: waiting, sending, sent (with its number), or
// not accepted (with the server's reason, to try again or discard).
import { useTranslation } from 'react-i18next';
import { Link } from '../app/router.js';
import type { QueueItem } from '../lib/queue.js';
import { useFormat } from '../lib/format.js';

function Item({ item, onRetry, onDiscard }: { item: QueueItem; onRetry: () => void; onDiscard: () => void }) {
  const { t } = useTranslation();
  const f = useFormat();
  const s = item.state;
  const label =
    s.kind === 'queued' ? t('report.stateQueued') : s.kind === 'sending' ? t('report.stateSending') : s.kind === 'sent' ? t('report.stateSent', { number: s.number ?? s.id }) : t('report.stateFailed', { message: s.message });
  return (
    <li className={`queue-item queue-${s.kind}`} data-testid="queue-item" data-state={s.kind} data-key={item.key}>
      <div>
        <strong>{label}</strong>
        <br />
        <span className="small muted">
          {item.body.what ? t(`reportWhat.${item.body.what}`, { defaultValue: item.body.what }) : ''} · <bdi dir="auto">{item.body.place}</bdi> · {f.dateTime(item.queued_at, 'Asia/Kabul')}
          {item.files.length > 0 && <> · {t('report.filesCount', { count: item.files.length })}</>}
        </span>
      </div>
      {s.kind === 'failed' && (
        <div className="button-row">
          <button type="button" className="button small" onClick={onRetry}>
            {t('report.retry')}
          </button>
          <button type="button" className="button secondary small" onClick={onDiscard}>
            {t('report.discard')}
          </button>
        </div>
      )}
    </li>
  );
}

export function ReportQueueList({ items, offline, signedOut, persistent, onFlush, onRetry, onDiscard }: { items: readonly QueueItem[]; offline: boolean; signedOut: boolean; persistent: boolean; onFlush: () => void; onRetry: (key: string) => void; onDiscard: (key: string) => void }) {
  const { t } = useTranslation();
  const sorted = [...items].sort((a, b) => b.queued_at.localeCompare(a.queued_at));
  const pending = sorted.filter((i) => i.state.kind !== 'sent');
  const sent = sorted.filter((i) => i.state.kind === 'sent');
  const waiting = pending.filter((i) => i.state.kind !== 'failed').length;
  return (
    <>
      {!persistent && <p className="state state-unavailable">{t('report.noStorage')}</p>}
      {pending.length > 0 && (
        <section className="state state-unavailable" aria-live="polite" data-testid="report-queue">
          {waiting > 0 && <p>{offline ? t('report.offline', { count: waiting }) : t('report.queued', { count: waiting })}</p>}
          {waiting > 0 && signedOut && (
            <p data-testid="report-sign-in">
              {t('report.signInAgain')} <Link to="/login?next=/report">{t('nav.login')}</Link>
            </p>
          )}
          <ul className="plain queue-list">
            {pending.map((i) => (
              <Item key={i.key} item={i} onRetry={() => onRetry(i.key)} onDiscard={() => onDiscard(i.key)} />
            ))}
          </ul>
          {waiting > 0 && (
            <button type="button" className="button secondary small" onClick={onFlush}>
              {t('report.sendNow')}
            </button>
          )}
        </section>
      )}
      {sent.length > 0 && (
        <section className="card" aria-labelledby="sent-h" data-testid="report-sent">
          <h2 id="sent-h">{t('report.sentTitle')}</h2>
          <ul className="plain queue-list">
            {sent.map((i) => (
              <Item key={i.key} item={i} onRetry={() => undefined} onDiscard={() => onDiscard(i.key)} />
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
