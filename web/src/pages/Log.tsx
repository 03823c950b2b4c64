import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { useDirectory } from '../app/context.js';
import type { OpenedLog, WitnessKey } from '../ledger/verify.js';
import { auditInBrowser, checkKeyText, forgetAuditState, openLog, pinKey, pinnedKey, rememberSize, savedAuditState, sizesSeen } from '../ledger/verify.js';

/** The parties' registered witness keys (logged statements); none if the server has no key registry. */
async function witnessKeys(parties: readonly string[]): Promise<WitnessKey[]> {
  const lists = await Promise.all(
    parties.map((p) =>
      api<{ items: { vkey: string; party: string; purpose: string; revoked_at: string | null }[] }>(`/api/v1/parties/${encodeURIComponent(p)}/keys`).then(
        (r) => r.items.filter((k) => k.purpose === 'witness' && !k.revoked_at).map((k) => ({ vkey: k.vkey, party: k.party })),
        () => [],
      ),
    ),
  );
  return lists.flat();
}
import { Name, Section } from '../components/Display.js';
import { ErrorState, Loading } from '../components/States.js';
import { useFormat } from '../lib/format.js';

type AuditView =
  | { state: 'idle' }
  | { state: 'running'; done: number; total: number }
  | { state: 'ok'; size: number; root: string; committed: number; kinds: Readonly<Record<string, number>>; previous?: { size: number } | undefined; ms: number }
  | { state: 'fail'; code: string; message: string; index: number | null };

export default function LogPage() {
  const { t } = useTranslation();
  const [log, setLog] = useState<{ ok: true; log: OpenedLog } | { ok: false; error: unknown } | null>(null);
  const [tick, setTick] = useState(0);
  const dir = useDirectory();
  const partyIds = [...dir.parties.keys()].join(',');
  useEffect(() => {
    let live = true;
    setLog(null);
    witnessKeys(partyIds ? partyIds.split(',') : [])
      .then((keys) => openLog(undefined, keys))
      .then(
        (l) => {
          rememberSize(l.origin, l.checkpoint.size);
          if (live) setLog({ ok: true, log: l });
        },
        (e: unknown) => live && setLog({ ok: false, error: e }),
      );
    return () => {
      live = false;
    };
  }, [tick, partyIds]);

  return (
    <div className="page log-page">
      <div className="page-head">
        <h1>{t('logPage.title')}</h1>
        <p className="lede">{t('logPage.lede')}</p>
      </div>
      <Section id="checkpoint" title={t('logPage.checkpoint')}>
        {log === null && <Loading />}
        {log && !log.ok && (
          <>
            <p className="verify-fail" role="alert">
              {t('log.checkpointFailed')}
            </p>
            <ErrorState error={log.error} retry={() => setTick((x) => x + 1)} />
          </>
        )}
        {log?.ok && <Checkpoint log={log.log} />}
      </Section>
      {log?.ok && (
        <Section id="audit" title={t('logPage.verifyAll')}>
          <Audit log={log.log} />
        </Section>
      )}
      <Section id="key" title={t('logPage.key')}>
        <KeyPin served={log?.ok ? log.log : null} onChange={() => setTick((x) => x + 1)} />
      </Section>
      <Section id="independent" title={t('logPage.independent')}>
        <p>{t('logPage.independentText')}</p>
        <pre className="code-block" dir="ltr">
          {`npx mizan verify --url ${window.location.origin} --key '${log?.ok ? log.log.key : '<log key>'}'`}
        </pre>
        <p className="small muted">{t('logPage.independentGo')}</p>
        <ul className="plain small" dir="ltr">
          <li>
            <code>{window.location.origin}/log/checkpoint</code>
          </li>
          <li>
            <code>{window.location.origin}/log/tile/0/000</code>
          </li>
          <li>
            <code>{window.location.origin}/log/proof/inclusion?index=0&amp;size=N</code>
          </li>
        </ul>
      </Section>
    </div>
  );
}

function Checkpoint({ log }: { log: OpenedLog }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <>
      <p className="verify-summary ok" data-testid="checkpoint-ok">
        <span aria-hidden="true">✓ </span>
        {t('logPage.checkpointOk', { size: f.num(log.checkpoint.size) })}
      </p>
      {log.servedKeyDiffers && (
        <p className="verify-fail" role="alert">
          {t('log.keyDiffers')}
        </p>
      )}
      <dl className="facts">
        <dt>{t('logPage.origin')}</dt>
        <dd>
          <code dir="ltr">{log.origin}</code>
        </dd>
        <dt>{t('logPage.size')}</dt>
        <dd data-testid="log-size">{f.num(log.checkpoint.size)}</dd>
        <dt>{t('logPage.root')}</dt>
        <dd>
          <code dir="ltr" className="wrap">
            {log.rootBase64}
          </code>
        </dd>
        <dt>{t('logPage.witnesses')}</dt>
        <dd>
          {log.cosignatures.length === 0 && log.otherSignatures.length === 0 ? (
            <span className="muted">{t('logPage.noWitnesses')}</span>
          ) : (
            <ul className="plain">
              {log.cosignatures.map((s) => (
                <li key={`${s.name}+${s.keyId}`} data-testid="cosignature">
                  <span className="verify-badge ok">✓ {t('logPage.cosigned')}</span> {s.party && <Name id={s.party} kind="party" />}{' '}
                  <code dir="ltr" className="small">
                    {s.name}+{s.keyId}
                  </code>
                </li>
              ))}
              {log.otherSignatures.map((s) => (
                <li key={`${s.name}+${s.keyId}`}>
                  <code dir="ltr">
                    {s.name}+{s.keyId}
                  </code>{' '}
                  <span className="muted small">{t('logPage.witnessUnchecked')}</span>
                </li>
              ))}
            </ul>
          )}
        </dd>
        <dt>{t('logPage.seen')}</dt>
        <dd>
          <SizesSeen origin={log.origin} />
        </dd>
      </dl>
      <details>
        <summary>{t('logPage.rawNote')}</summary>
        <pre className="code-block" dir="ltr">
          {log.note}
        </pre>
      </details>
    </>
  );
}

function SizesSeen({ origin }: { origin: string }) {
  const f = useFormat();
  const { t } = useTranslation();
  const seen = sizesSeen(origin).slice(-8);
  if (seen.length <= 1) return <span className="muted small">{t('logPage.seenFirst')}</span>;
  return (
    <ol className="plain small sizes-seen">
      {seen.map((s) => (
        <li key={s.at}>
          {f.dateTime(s.at, 'Asia/Karachi')}: {f.num(s.size)}
        </li>
      ))}
    </ol>
  );
}

function Audit({ log }: { log: OpenedLog }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [view, setView] = useState<AuditView>({ state: 'idle' });
  const ctrl = useRef<AbortController | null>(null);
  // What this browser had verified before this visit's check (read once, not after saving).
  const [previous, setPrevious] = useState(() => savedAuditState(log.origin));
  useEffect(() => () => ctrl.current?.abort(), []);

  const run = () => {
    ctrl.current?.abort();
    const c = new AbortController();
    ctrl.current = c;
    const started = performance.now();
    setView({ state: 'running', done: 0, total: log.checkpoint.size });
    auditInBrowser(log.key, (done, total) => !c.signal.aborted && setView({ state: 'running', done, total }), c.signal).then(
      (r) => {
        if (c.signal.aborted) return;
        if (r.ok) setView({ state: 'ok', size: r.size, root: r.root, committed: r.committed, kinds: r.kinds, previous: r.previous, ms: performance.now() - started });
        else setView({ state: 'fail', code: r.code, message: r.message, index: r.index });
      },
      (e: unknown) => !c.signal.aborted && setView({ state: 'fail', code: 'FETCH_FAILED', message: e instanceof Error ? e.message : String(e), index: null }),
    );
  };

  return (
    <div className="audit">
      <p>{t('logPage.verifyAllText')}</p>
      {previous && view.state !== 'ok' && <p className="small muted">{t('logPage.previous', { size: f.num(previous.size) })}</p>}
      <div className="button-row">
        <button type="button" className="button" onClick={run} disabled={view.state === 'running'} data-testid="verify-all">
          {view.state === 'running' ? t('logPage.verifying') : t('logPage.verifyAllButton')}
        </button>
        {previous && view.state !== 'running' && (
          <button
            type="button"
            className="button secondary"
            onClick={() => {
              forgetAuditState();
              setPrevious(undefined);
              setView({ state: 'idle' });
            }}
          >
            {t('logPage.forget')}
          </button>
        )}
      </div>
      {view.state === 'running' && (
        <div className="progress-wrap">
          <progress max={Math.max(1, view.total)} value={view.done} aria-label={t('logPage.progress')} />
          <span aria-live="polite">{t('logPage.progressText', { done: f.num(view.done), total: f.num(view.total) })}</span>
        </div>
      )}
      {view.state === 'ok' && (
        <div className="verify-summary ok" role="status" data-testid="audit-ok">
          <p>
            <span aria-hidden="true">✓ </span>
            {t('logPage.auditOk', { size: f.num(view.size), seconds: f.num(view.ms / 1000, { maximumFractionDigits: 1 }) })}
          </p>
          {view.previous && <p>{t('logPage.grewFrom', { old: f.num(view.previous.size), size: f.num(view.size) })}</p>}
          <p className="small">{t('logPage.committed', { count: view.committed, n: f.num(view.committed) })}</p>
          <details>
            <summary>{t('logPage.kinds')}</summary>
            <ul className="plain small" dir="ltr">
              {Object.entries(view.kinds)
                .sort((a, b) => b[1] - a[1])
                .map(([k, n]) => (
                  <li key={k}>
                    <code>{k}</code>: {n}
                  </li>
                ))}
            </ul>
          </details>
        </div>
      )}
      {view.state === 'fail' && (
        <div className="verify-fail" role="alert" data-testid="audit-fail">
          <p>
            <strong>{t('logPage.auditFail', { code: view.code })}</strong>
          </p>
          <p className="small" dir="ltr">
            {view.message}
          </p>
        </div>
      )}
    </div>
  );
}

function KeyPin({ served, onChange }: { served: OpenedLog | null; onChange: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(pinnedKey() ?? '');
  const [error, setError] = useState<string | null>(null);
  const pinned = pinnedKey();
  return (
    <div>
      <p>{t('logPage.keyText')}</p>
      {served && (
        <p>
          {served.keySource === 'pinned' ? t('logPage.usingPinned') : t('logPage.usingServed')}
          <br />
          <code dir="ltr" className="wrap" data-testid="log-key">
            {served.key}
          </code>
        </p>
      )}
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          try {
            checkKeyText(text);
            pinKey(text);
            setError(null);
            onChange();
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err));
          }
        }}
      >
        <div className={`field${error ? ' has-error' : ''}`}>
          <label htmlFor="pin-key">{t('logPage.pinLabel')}</label>
          <input id="pin-key" type="text" dir="ltr" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? 'pin-err' : undefined} />
          {error && (
            <ul id="pin-err" className="field-errors">
              <li>{t('logPage.badKey', { message: error })}</li>
            </ul>
          )}
        </div>
        <div className="button-row">
          <button type="submit" className="button secondary">
            {t('logPage.pin')}
          </button>
          {pinned && (
            <button
              type="button"
              className="button secondary"
              onClick={() => {
                pinKey(null);
                setText('');
                onChange();
              }}
            >
              {t('logPage.unpin')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}
