// The local monitor's report form: short, for a phone, in the monitor's language. It works
// offline: the page itself opens from the service worker after one visit, the report and its
// photos wait on the phone (IndexedDB) with a visible state each, and are sent once the network
// is back — exactly once, by the report's idempotency key.
import type { FormEvent } from 'react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../api/client.js';
import { useApi } from '../api/useApi.js';
import { useSession } from '../app/context.js';
import { Link } from '../app/router.js';
import type { PickedFile } from '../components/EvidencePicker.js';
import { EvidencePicker } from '../components/EvidencePicker.js';
import { Field, FormStatus, useFieldMessage, validateWith } from '../components/Form.js';
import { PlacePicker } from '../components/PlacePicker.js';
import { ReportQueueList } from '../components/ReportQueueList.js';
import { Async, Empty } from '../components/States.js';
import { useFormat } from '../lib/format.js';
import type { ReportBody } from '../lib/queue.js';
import { needsSignIn } from '../lib/queue.js';
import { WHAT_CODES, WebReport, latinDigits, newIdempotencyKey } from '../lib/report.js';
import { useReportQueue } from '../lib/useReportQueue.js';
import type { Pin } from '../map/PinMap.js';
import { PinMap } from '../map/PinMap.js';

interface Values {
  what: string;
  place: string;
  pin: Pin | null;
  date: string;
  time: string;
  killed: string;
  wounded: string;
  target: string;
  by: string;
  text: string;
  publish: boolean;
  files: PickedFile[];
}

const EMPTY: Values = { what: '', place: '', pin: null, date: '', time: '', killed: '', wounded: '', target: '', by: '', text: '', publish: false, files: [] };

/** The monitor last signed in on this device, so the form opens offline (no secret: a name). */
const MONITOR_KEY = 'mizan.monitor';

function rememberedMonitor(): string | null {
  try {
    return localStorage.getItem(MONITOR_KEY);
  } catch {
    return null;
  }
}

function toBody(v: Values): Record<string, unknown> {
  const count = (s: string) => {
    const t = latinDigits(s.trim());
    return t === '' ? undefined : Number(t);
  };
  const date = latinDigits(v.date.trim());
  const time = latinDigits(v.time.trim());
  return {
    idempotency_key: newIdempotencyKey(),
    what: v.what || undefined,
    place: v.place.trim() || undefined,
    occurred_local: date ? (time ? `${date}T${time}` : date) : undefined,
    killed: count(v.killed),
    wounded: count(v.wounded),
    target: v.target || undefined,
    by: v.by.trim() || undefined,
    text: v.text.trim() || undefined,
    publish_request: v.publish || undefined,
    lat: v.pin?.lat,
    lon: v.pin?.lon,
  };
}

/** Registers the service worker that keeps this page (and the app's files) for offline use. */
function useOfflineShell() {
  useEffect(() => {
    if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => undefined);
  }, []);
}

export default function MonitorReport() {
  const { t } = useTranslation();
  const { user, checked, unreachable } = useSession();
  useOfflineShell();
  useEffect(() => {
    if (user?.role !== 'monitor') return;
    try {
      localStorage.setItem(MONITOR_KEY, user.name);
    } catch {
      // Storage disabled: the form then needs the network to open.
    }
  }, [user]);
  if (!checked) return null;
  const offlineMonitor = !user && unreachable ? rememberedMonitor() : null;
  if (user?.role === 'monitor') return <ReportForm owner={user.name} />;
  if (offlineMonitor) return <ReportForm owner={offlineMonitor} />;
  return (
    <div className="page narrow">
      <h1>{t('report.title')}</h1>
      <p className="state state-empty">
        {t('report.monitorsOnly')} {!user && <Link to="/login?next=/report">{t('nav.login')}</Link>}
      </p>
    </div>
  );
}

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

function ReportForm({ owner }: { owner: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  const msg = useFieldMessage();
  const queue = useReportQueue(owner);
  const online = useOnline();
  const [values, setValues] = useState<Values>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [opened] = useState(() => new Date().toISOString());
  const offline = !online || (queue.last?.kind === 'waiting' && queue.last.error.code === 'NETWORK');
  const signedOut = queue.last?.kind === 'waiting' && needsSignIn(queue.last.error);

  const sentNow = useMemo(() => queue.items.filter((i) => i.state.kind === 'sent' && i.state.at >= opened).sort((a, b) => (a.state.kind === 'sent' && b.state.kind === 'sent' ? b.state.at.localeCompare(a.state.at) : 0)), [queue.items, opened]);
  const receipt = sentNow[0]?.state.kind === 'sent' ? sentNow[0].state : null;

  const mine = useApi<{ items: { id: string; number?: number; status: string; recorded_at: string; report?: { place?: { query?: string }; what?: string } }[] }>('/api/v1/reports?limit=20');
  const reloadMine = mine.reload;
  useEffect(() => {
    if (sentNow.length > 0) reloadMine();
  }, [sentNow.length, reloadMine]);

  const set = <K extends keyof Values>(k: K, v: Values[K]) => setValues((x) => ({ ...x, [k]: v }));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const body = toBody(values);
    const local = validateWith(WebReport, body);
    setErrors(local);
    setFormError(local.length > 0 ? t('form.fixErrors', { count: local.length }) : null);
    if (local.length > 0) return;
    try {
      await queue.add({ key: body['idempotency_key'] as string, owner, body: body as ReportBody, files: values.files.map((p) => p.file), queued_at: new Date().toISOString(), state: { kind: 'queued' } });
      setValues(EMPTY);
    } catch (err) {
      setFormError(t('report.notSaved', { message: err instanceof Error ? err.message : String(err) }));
    }
  };

  const at = (p: string) => errors.filter((x) => x.path === p || x.path.startsWith(p + '/'));
  const formState = { formError, unclaimed: (c: readonly string[]) => errors.filter((x) => !c.some((p) => x.path === p || x.path.startsWith(p + '/'))), done: false };

  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>{t('report.title')}</h1>
        <p className="lede">{t('report.lede')}</p>
      </div>
      {!online && (
        <p className="state state-unavailable" role="status" data-testid="report-offline">
          {t('report.offlineForm')}
        </p>
      )}
      {receipt && (
        <p className="form-done" role="status" data-testid="report-receipt">
          {t('report.received', { number: receipt.number ?? receipt.id })}
        </p>
      )}
      <ReportQueueList items={queue.items} offline={offline} signedOut={signedOut} persistent={queue.persistent} onFlush={() => void queue.flush()} onRetry={(k) => void queue.retry(k)} onDiscard={(k) => void queue.discard(k)} />
      <form className="form card" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="report-form">
        <FormStatus form={formState} claimed={['/what', '/place', '/occurred_local', '/killed', '/wounded', '/target', '/by', '/text', '/publish_request', '/lat', '/lon', '/evidence']} />
        <Field label={t('report.what')} errors={at('/what')} required>
          <select value={values.what} onChange={(e) => set('what', e.target.value)}>
            <option value="">{t('forms.choose')}</option>
            {WHAT_CODES.map((w) => (
              <option key={w} value={w}>
                {t(`reportWhat.${w}`)}
              </option>
            ))}
          </select>
        </Field>
        <PlacePicker value={values.place} onChange={(v) => set('place', v)} onChoose={(p) => set('pin', { lat: p.lat, lon: p.lon })} errors={at('/place')} />
        <div className="field">
          <span className="label" id="pin-label">
            {t('report.pin')}
          </span>
          <p className="hint">{t('report.pinHint')}</p>
          <PinMap pin={values.pin} onPin={(p) => set('pin', p)} label={t('report.pin')} />
          <p className="small pin-status" role="status" data-testid="pin-status">
            {values.pin ? (
              <>
                <span dir="ltr">{t('report.pinAt', { lat: f.num(values.pin.lat, { maximumFractionDigits: 5 }), lon: f.num(values.pin.lon, { maximumFractionDigits: 5 }) })}</span>{' '}
                <button type="button" className="button secondary small" onClick={() => set('pin', null)}>
                  {t('report.pinClear')}
                </button>
              </>
            ) : (
              t('report.pinNone')
            )}
          </p>
          {(at('/lat').length > 0 || at('/lon').length > 0) && (
            <ul className="field-errors">
              {[...at('/lat'), ...at('/lon')].map((e, i) => (
                <li key={i}>{msg(e)}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="two-col">
          <Field label={t('report.date')} errors={at('/occurred_local')} required>
            <input type="date" value={values.date} onChange={(e) => set('date', e.target.value)} />
          </Field>
          <Field label={t('report.time')} hint={t('report.timeHint')} errors={[]}>
            <input type="time" value={values.time} onChange={(e) => set('time', e.target.value)} />
          </Field>
        </div>
        <div className="two-col">
          <Field label={t('report.killed')} errors={at('/killed')}>
            <input type="text" inputMode="numeric" dir="ltr" value={values.killed} onChange={(e) => set('killed', e.target.value)} />
          </Field>
          <Field label={t('report.wounded')} errors={at('/wounded')}>
            <input type="text" inputMode="numeric" dir="ltr" value={values.wounded} onChange={(e) => set('wounded', e.target.value)} />
          </Field>
        </div>
        <Field label={t('report.target')} errors={at('/target')}>
          <select value={values.target} onChange={(e) => set('target', e.target.value)}>
            <option value="">{t('report.targetUnknown')}</option>
            <option value="CIV">{t('targetCategory.civilians')}</option>
            <option value="SEC">{t('targetCategory.security_forces')}</option>
          </select>
        </Field>
        <Field label={t('report.by')} hint={t('report.byHint')} errors={at('/by')}>
          <input type="text" dir="auto" value={values.by} onChange={(e) => set('by', e.target.value)} />
        </Field>
        <Field label={t('report.text')} hint={t('forms.ownLanguage')} errors={at('/text')}>
          <textarea rows={4} dir="auto" value={values.text} onChange={(e) => set('text', e.target.value)} />
        </Field>
        <EvidencePicker files={values.files} onChange={(files) => set('files', files)} />
        <label className="check">
          <input type="checkbox" checked={values.publish} onChange={(e) => set('publish', e.target.checked)} />
          {t('report.publish')}
        </label>
        <p className="small muted">{t('report.safety')}</p>
        <button type="submit" className="button" disabled={!queue.ready}>
          {t('report.submit')}
        </button>
        {errors.length > 0 && formError === null && (
          <ul className="field-errors">
            {errors.map((e, i) => (
              <li key={i}>{msg(e)}</li>
            ))}
          </ul>
        )}
      </form>
      <section className="card" aria-labelledby="mine-h">
        <h2 id="mine-h">{t('report.mine')}</h2>
        <Async r={mine} what={t('what.reports')}>
          {(r) =>
            r.items.length === 0 ? (
              <Empty>{t('report.noneYet')}</Empty>
            ) : (
              <ul className="plain">
                {r.items.map((x) => (
                  <li key={x.id}>
                    <strong>{t('report.number', { number: x.number ?? x.id })}</strong> · {x.report?.what ? t(`reportWhat.${x.report.what}`, { defaultValue: x.report.what }) : ''} · <bdi dir="auto">{x.report?.place?.query ?? ''}</bdi> · {f.dateTime(x.recorded_at, 'Asia/Kabul')} · {t(`reportStatus.${x.status}`, { defaultValue: x.status })}
                  </li>
                ))}
              </ul>
            )
          }
        </Async>
      </section>
    </div>
  );
}
