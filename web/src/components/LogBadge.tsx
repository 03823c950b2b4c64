// "Verified in your browser": the record's log entry, its inclusion proof and the signed
// checkpoint, all checked here with src/ledger.
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from '../app/router.js';
import type { EntryCheck, OpenedLog } from '../ledger/verify.js';
import { sharedLog, verifyEntry } from '../ledger/verify.js';

export interface LogItem {
  readonly label: string;
  readonly index: number | null | undefined;
  readonly recordId?: string;
}

type Check = { state: 'checking' } | { state: 'done'; result: EntryCheck } | { state: 'error'; message: string };

export function LogEntries({ items }: { items: readonly LogItem[] }) {
  const { t } = useTranslation();
  const [log, setLog] = useState<{ ok: true; log: OpenedLog } | { ok: false; message: string } | null>(null);
  const [checks, setChecks] = useState<Record<number, Check>>({});

  const key = items.map((i) => `${i.index}:${i.recordId ?? ''}`).join(',');
  const needed = Math.max(0, ...items.map((i) => (typeof i.index === 'number' ? i.index + 1 : 0)));
  useEffect(() => {
    let live = true;
    sharedLog(needed).then(
      (l) => live && setLog({ ok: true, log: l }),
      (e: unknown) => live && setLog({ ok: false, message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
  }, [needed]);

  useEffect(() => {
    if (!log?.ok) return undefined;
    const ctrl = new AbortController();
    const todo = items.filter((i): i is LogItem & { index: number } => typeof i.index === 'number');
    setChecks(Object.fromEntries(todo.map((i) => [i.index, { state: 'checking' }])));
    void (async () => {
      for (const item of todo) {
        if (ctrl.signal.aborted) return;
        const result = await verifyEntry(log.log, item.index, item.recordId, ctrl.signal).catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
        if (ctrl.signal.aborted) return;
        setChecks((c) => ({ ...c, [item.index]: 'error' in result ? { state: 'error', message: result.error } : { state: 'done', result } }));
      }
    })();
    return () => ctrl.abort();
  }, [log, key]);

  const all = items.filter((i) => typeof i.index === 'number');
  const verified = all.filter((i) => {
    const c = checks[i.index!];
    return c?.state === 'done' && c.result.ok;
  }).length;

  return (
    <div className="log-entries">
      {log === null && <p className="muted">{t('log.checkingCheckpoint')}</p>}
      {log && !log.ok && (
        <p className="verify-fail" role="alert">
          {t('log.checkpointFailed')} <span className="small">({log.message})</span>
        </p>
      )}
      {log?.ok && (
        <p className="small muted">
          {t('log.againstCheckpoint', { size: log.log.checkpoint.size, origin: log.log.origin })}{' '}
          {log.log.keySource === 'pinned' ? t('log.keyPinned') : t('log.keyServed')} <Link to="/log">{t('log.more')}</Link>
        </p>
      )}
      {log?.ok && log.log.servedKeyDiffers && (
        <p className="verify-fail" role="alert">
          {t('log.keyDiffers')}
        </p>
      )}
      {all.length > 0 && log?.ok && (
        <p className={`verify-summary ${verified === all.length ? 'ok' : ''}`} aria-live="polite" data-testid="verify-summary">
          {verified === all.length ? t('log.allVerified', { count: all.length }) : t('log.verifiedSoFar', { done: verified, count: all.length })}
        </p>
      )}
      <ul className="entry-list">
        {items.map((item, i) => (
          <li key={`${item.index}-${i}`}>
            <span className="entry-label">
              <bdi>{item.label}</bdi>
            </span>
            {typeof item.index === 'number' ? (
              <>
                <code dir="ltr">#{item.index}</code> <Badge check={checks[item.index]} />
              </>
            ) : (
              <span className="muted">{t('log.noEntry')}</span>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Badge({ check }: { check: Check | undefined }) {
  const { t } = useTranslation();
  if (!check || check.state === 'checking') return <span className="verify-badge checking">{t('log.checking')}</span>;
  if (check.state === 'error') return <span className="verify-badge fail" title={check.message}>{t('log.failed')}</span>;
  const r = check.result;
  if (r.ok) {
    return (
      <span className="verify-badge ok" data-testid="verified-badge" title={t('log.verifiedTitle', { index: r.index, size: r.size })}>
        <span aria-hidden="true">✓ </span>
        {t('log.verified')}
      </span>
    );
  }
  if (r.reason === 'not_yet_checkpointed') return <span className="verify-badge pending">{t('log.notYetCheckpointed')}</span>;
  return (
    <span className="verify-badge fail" title={r.message}>
      {t(`log.fail.${r.reason}`)}
    </span>
  );
}
