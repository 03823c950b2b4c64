// Evidence files: attach (upload, then cite by hash) and show (a cited hash becomes a download).
// The server keeps the original bytes under their SHA-256 and logs the hash; the statement cites
// `sha256:<hex>`, so anyone can check a downloaded file against the record.
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.js';
import { appendLine, Field } from './Form.js';
import type { FormState } from './Form.js';
import { errorText } from './States.js';

const REF = /^sha256:([0-9a-f]{64})$/;

interface Uploaded {
  readonly ref: string;
  readonly filename: string | null;
  readonly size: number;
}

/** Uploads each chosen file and hands its `sha256:` reference to the form. */
export function EvidenceAttach({ onAdded }: { onAdded: (ref: string) => void }) {
  const { t } = useTranslation();
  const id = useId();
  const [busy, setBusy] = useState(0);
  const [done, setDone] = useState<Uploaded[]>([]);
  const [error, setError] = useState<string | null>(null);
  const upload = async (files: FileList | null) => {
    setError(null);
    for (const file of Array.from(files ?? [])) {
      setBusy((n) => n + 1);
      try {
        const r = await api<Uploaded>(`/api/v1/evidence?filename=${encodeURIComponent(file.name)}`, { method: 'POST', body: file });
        setDone((d) => [...d, r]);
        onAdded(r.ref);
      } catch (e) {
        setError(`${file.name}: ${errorText(e, t)}`);
      } finally {
        setBusy((n) => n - 1);
      }
    }
  };
  return (
    <div className="field evidence-attach">
      <label htmlFor={id}>{t('evidence.attach')}</label>
      <p className="hint" id={`${id}-hint`}>
        {t('evidence.attachHint')}
      </p>
      <input id={id} type="file" multiple aria-describedby={`${id}-hint`} disabled={busy > 0} onChange={(e) => void upload(e.target.files)} data-testid="evidence-file" />
      {busy > 0 && (
        <p role="status" className="small">
          {t('evidence.uploading')}
        </p>
      )}
      {error && (
        <p role="alert" className="error small">
          {error}
        </p>
      )}
      {done.length > 0 && (
        <ul className="small plain" aria-label={t('evidence.attached')}>
          {done.map((u) => (
            <li key={u.ref} dir="auto">
              {u.filename ?? u.ref.slice(7, 19)} — <code>{u.ref.slice(0, 19)}…</code>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A statement's evidence list; cited files link to their download. */
export function EvidenceList({ items, className }: { items: readonly string[]; className?: string }) {
  const { t } = useTranslation();
  return (
    <ul className={className}>
      {items.map((e, i) => {
        const m = REF.exec(e);
        return (
          <li key={i} dir="auto">
            {m ? (
              <a href={`/api/v1/evidence/${m[1]}`} download title={e}>
                {t('evidence.file', { hash: m[1]!.slice(0, 12) })}
              </a>
            ) : (
              e
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** A form's evidence list (one item per line) with the control that attaches files to it. */
export function EvidenceField<V extends { evidence: string }>({ form }: { form: FormState<V> }) {
  const { t } = useTranslation();
  return (
    <>
      <Field label={t('forms.evidence')} hint={t('forms.evidenceHint')} errors={form.errorsAt('/evidence')}>
        <textarea rows={3} dir="auto" value={form.values.evidence} onChange={(e) => form.set('evidence', e.target.value)} />
      </Field>
      <EvidenceAttach onAdded={(ref) => form.update('evidence', (old) => appendLine(old, ref) as V['evidence'])} />
    </>
  );
}
