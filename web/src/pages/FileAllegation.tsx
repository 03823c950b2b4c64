import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AllegationInput } from '../../../src/domain/allegation.js';
import { api, fetchAll } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { useLoad } from '../api/useApi.js';
import { useDirectory, useNames, useSession } from '../app/context.js';
import { Link, allegationPath, navigate } from '../app/router.js';
import { EvidenceField } from '../components/Evidence.js';
import { Field, FormStatus, lines, useForm } from '../components/Form.js';
import { Async } from '../components/States.js';
import { ObligationSentence } from './Agreements.js';

function newId(party: string): string {
  const d = new Date();
  const p = (n: number) => String(n).padStart(2, '0');
  return `ALG-${party}-${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}`;
}

export default function FileAllegation() {
  const { t } = useTranslation();
  const { user, checked } = useSession();
  if (!checked) return null;
  if (!user || user.role !== 'delegate' || !user.party) {
    return (
      <div className="page">
        <h1>{t('fileAllegation.title')}</h1>
        <p className="state state-empty">
          {t('fileAllegation.delegatesOnly')} {!user && <Link to="/login?next=/allegations/new">{t('nav.login')}</Link>}
        </p>
      </div>
    );
  }
  return <FileForm party={user.party} />;
}

function FileForm({ party }: { party: string }) {
  const { t } = useTranslation();
  const dir = useDirectory();
  const names = useNames();
  const agreements = [...dir.agreements.values()].filter((a) => a.parties.includes(party));
  const incidents = useLoad('incidents-all', (signal) => fetchAll<Incident>('/api/v1/incidents', 5000, signal));
  const [incidentFilter, setIncidentFilter] = useState('');
  const form = useForm({
    initial: { id: newId(party), agreement: agreements[0]?.id ?? '', against: '', obligations: [] as string[], incidents: [] as string[], claims: '', text: '', evidence: '' },
    schema: AllegationInput,
    toBody: (v) => ({
      id: v.id.trim() || undefined,
      agreement: v.agreement || undefined,
      by: party,
      against: v.against || (dir.agreements.get(v.agreement)?.parties.find((p) => p !== party) ?? ''),
      ...(v.obligations.length ? { obligations: v.obligations } : {}),
      incidents: v.incidents,
      ...(lines(v.claims).length ? { claims: lines(v.claims) } : {}),
      text: v.text.trim() || undefined,
      ...(lines(v.evidence).length ? { evidence: lines(v.evidence) } : {}),
    }),
    send: (body) => api('/api/v1/allegations', { method: 'POST', body }),
    onDone: (res) => {
      const id = (res as { id?: string } | undefined)?.id ?? form.values.id;
      navigate(allegationPath(id));
    },
  });
  const agreement = dir.agreements.get(form.values.agreement);
  const others = agreement?.parties.filter((p) => p !== party) ?? [];
  const obligations = agreement?.obligations.filter((o) => (o.type === 'cease_attacks' || o.type === 'no_support') && o.bearer !== party) ?? [];
  const shownIncidents = useMemo(() => {
    if (incidents.state !== 'ok') return [];
    const q = incidentFilter.trim().toLowerCase();
    return incidents.data.items.filter((i) => !q || i.id.toLowerCase().includes(q) || (i.title ?? '').toLowerCase().includes(q));
  }, [incidents, incidentFilter]);

  return (
    <div className="page">
      <div className="page-head">
        <h1>{t('fileAllegation.title')}</h1>
        <p className="lede">{t('fileAllegation.lede', { party: names.name(party, 'party') })}</p>
      </div>
      <form className="form card" onSubmit={form.onSubmit} noValidate data-testid="file-allegation-form">
        <FormStatus form={form} claimed={['/id', '/agreement', '/against', '/obligations', '/incidents', '/claims', '/text', '/evidence', '/by']} />
        <Field label={t('fileAllegation.agreement')} errors={form.errorsAt('/agreement')} required>
          <select value={form.values.agreement} onChange={(e) => form.setAll({ ...form.values, agreement: e.target.value, obligations: [], against: '' })}>
            <option value="">{t('forms.choose')}</option>
            {agreements.map((a) => (
              <option key={a.id} value={a.id}>
                {a.title}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('fileAllegation.against')} errors={form.errorsAt('/against')} required>
          <select value={form.values.against || others[0] || ''} onChange={(e) => form.set('against', e.target.value)}>
            {others.map((p) => (
              <option key={p} value={p}>
                {names.name(p, 'party')}
              </option>
            ))}
          </select>
        </Field>
        {obligations.length > 0 && (
          <fieldset className="field">
            <legend>{t('fileAllegation.obligations')}</legend>
            {obligations.map((o) => (
              <label key={o.id} className="check">
                <input
                  type="checkbox"
                  checked={form.values.obligations.includes(o.id)}
                  onChange={(e) => form.set('obligations', e.target.checked ? [...form.values.obligations, o.id] : form.values.obligations.filter((x) => x !== o.id))}
                />
                <span>
                  <ObligationSentence o={o} /> <code className="muted small" dir="ltr">{o.id}</code>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        <fieldset className="field" aria-describedby="inc-errors">
          <legend>
            {t('fileAllegation.incidents')} <span className="required">({t('form.requiredMark')})</span>
          </legend>
          <label htmlFor="inc-filter" className="hint">
            {t('fileAllegation.filterIncidents')}
          </label>
          <input id="inc-filter" type="search" dir="auto" value={incidentFilter} onChange={(e) => setIncidentFilter(e.target.value)} />
          <Async r={incidents} what={t('what.incidents')}>
            {() => (
              <div className="check-list">
                {shownIncidents.slice(0, 100).map((i) => (
                  <label key={i.id} className="check">
                    <input
                      type="checkbox"
                      value={i.id}
                      checked={form.values.incidents.includes(i.id)}
                      onChange={(e) => form.set('incidents', e.target.checked ? [...form.values.incidents, i.id] : form.values.incidents.filter((x) => x !== i.id))}
                      aria-invalid={form.errorsAt('/incidents').length > 0 ? 'true' : undefined}
                    />
                    <span>
                      <bdi dir="auto">{i.title ?? i.id}</bdi> <code className="muted small" dir="ltr">{i.id}</code>
                    </span>
                  </label>
                ))}
              </div>
            )}
          </Async>
          {form.errorsAt('/incidents').length > 0 && (
            <ul id="inc-errors" className="field-errors">
              {form.errorsAt('/incidents').map((e, i) => (
                <li key={i}>{e.message}</li>
              ))}
            </ul>
          )}
        </fieldset>
        <Field label={t('fileAllegation.text')} hint={t('forms.ownLanguage')} errors={form.errorsAt('/text')} required>
          <textarea rows={6} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
        </Field>
        <Field label={t('fileAllegation.claims')} hint={t('fileAllegation.claimsHint')} errors={form.errorsAt('/claims')}>
          <textarea rows={2} dir="ltr" value={form.values.claims} onChange={(e) => form.set('claims', e.target.value)} />
        </Field>
        <EvidenceField form={form} />
        <Field label={t('fileAllegation.id')} hint={t('fileAllegation.idHint')} errors={form.errorsAt('/id')} required>
          <input type="text" dir="ltr" value={form.values.id} onChange={(e) => form.set('id', e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={form.submitting}>
          {form.submitting ? t('forms.sending') : t('fileAllegation.submit')}
        </button>
      </form>
    </div>
  );
}
