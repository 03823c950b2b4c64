// Forms of the allegation procedure. Each validates with the server's schema from
// src/domain/allegation.ts before sending, and shows the server's field errors where they belong.
import { useTranslation } from 'react-i18next';
import { AccessDenialInput, FindingInput, OpinionInput, RemedyInput, RemedyProgressInput, ReplyInput, TaskInput, TaskOutcomeInput } from '../../../src/domain/allegation.js';
import { api } from '../api/client.js';
import { useNames } from '../app/context.js';
import { EvidenceField } from './Evidence.js';
import { Field, FieldErrorsList, FormShell, lines, localInputToUtc, useForm } from './Form.js';

const PK_OFFSET = 300;

interface FormProps {
  readonly allegationId: string;
  readonly onDone: () => void;
}

const path = (id: string, tail: string) => `/api/v1/allegations/${encodeURIComponent(id)}/${tail}`;

export function ReplyForm({ allegationId, onDone }: FormProps) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { kind: '', text: '', evidence: '' },
    schema: ReplyInput,
    toBody: (v) => ({ kind: v.kind || undefined, text: v.text.trim() || undefined, ...(lines(v.evidence).length ? { evidence: lines(v.evidence) } : {}) }),
    send: (body) => api(path(allegationId, 'reply'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.reply.title')} claimed={['/kind', '/text', '/evidence']} submit={t('forms.reply.submit')} testId="reply-form">
      <fieldset className="field" aria-invalid={form.errorsAt('/kind').length > 0}>
        <legend>
          {t('forms.reply.kind')} <span className="required">({t('form.requiredMark')})</span>
        </legend>
        <div className="radio-row">
          {(['deny', 'admit', 'partial', 'counter_allegation'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="reply-kind" value={k} checked={form.values.kind === k} onChange={() => form.set('kind', k)} aria-invalid={form.errorsAt('/kind').length > 0 ? 'true' : undefined} />
              {t(`replyKind.${k}`)}
            </label>
          ))}
        </div>
        <FieldErrorsList errors={form.errorsAt('/kind')} />
      </fieldset>
      <Field label={t('forms.reply.text')} errors={form.errorsAt('/text')} required hint={t('forms.ownLanguage')}>
        <textarea rows={5} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
      <EvidenceField form={form} />
    </FormShell>
  );
}


export function TaskForm({ allegationId, onDone, parties }: FormProps & { parties: readonly string[] }) {
  const { t } = useTranslation();
  const names = useNames();
  const form = useForm({
    initial: { kind: 'site_visit', assignees: '', due: '', party: '', text: '' },
    schema: TaskInput,
    toBody: (v) => ({
      kind: v.kind,
      assignees: lines(v.assignees.replace(/,/g, '\n')),
      due: localInputToUtc(v.due, PK_OFFSET),
      ...(v.party ? { party: v.party } : {}),
      ...(v.text.trim() ? { text: v.text.trim() } : {}),
    }),
    send: (body) => api(path(allegationId, 'tasks'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.task.title')} claimed={['/kind', '/assignees', '/due', '/party', '/text']} submit={t('forms.task.submit')}>
      <Field label={t('forms.task.kind')} errors={form.errorsAt('/kind')} required>
        <select value={form.values.kind} onChange={(e) => form.set('kind', e.target.value)}>
          {(['site_visit', 'interviews', 'imagery', 'request_for_information'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`taskKind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('forms.task.assignees')} hint={t('forms.task.assigneesHint')} errors={form.errorsAt('/assignees')} required>
        <input type="text" dir="auto" value={form.values.assignees} onChange={(e) => form.set('assignees', e.target.value)} />
      </Field>
      <Field label={t('forms.task.due')} hint={t('forms.pkTimeHint')} errors={form.errorsAt('/due')} required>
        <input type="datetime-local" value={form.values.due} onChange={(e) => form.set('due', e.target.value)} />
      </Field>
      <Field label={t('forms.task.party')} errors={form.errorsAt('/party')}>
        <select value={form.values.party} onChange={(e) => form.set('party', e.target.value)}>
          <option value="">{t('forms.none')}</option>
          {parties.map((p) => (
            <option key={p} value={p}>
              {names.name(p, 'party')}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('forms.notes')} errors={form.errorsAt('/text')}>
        <textarea rows={3} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
    </FormShell>
  );
}

export function DenialForm({ allegationId, onDone, parties }: FormProps & { parties: readonly string[] }) {
  const { t } = useTranslation();
  const names = useNames();
  const form = useForm({
    initial: { party: parties[0] ?? '', at: '', place: '', text: '' },
    schema: AccessDenialInput,
    toBody: (v) => ({ party: v.party || undefined, at: localInputToUtc(v.at, PK_OFFSET), ...(v.place.trim() ? { place: v.place.trim() } : {}), text: v.text.trim() || undefined }),
    send: (body) => api(path(allegationId, 'access-denials'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.denial.title')} claimed={['/party', '/at', '/place', '/text']} submit={t('forms.denial.submit')}>
      <Field label={t('forms.denial.party')} errors={form.errorsAt('/party')} required>
        <select value={form.values.party} onChange={(e) => form.set('party', e.target.value)}>
          {parties.map((p) => (
            <option key={p} value={p}>
              {names.name(p, 'party')}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('forms.denial.at')} hint={t('forms.pkTimeHint')} errors={form.errorsAt('/at')} required>
        <input type="datetime-local" value={form.values.at} onChange={(e) => form.set('at', e.target.value)} />
      </Field>
      <Field label={t('forms.denial.place')} errors={form.errorsAt('/place')}>
        <input type="text" dir="auto" value={form.values.place} onChange={(e) => form.set('place', e.target.value)} />
      </Field>
      <Field label={t('forms.denial.text')} errors={form.errorsAt('/text')} required>
        <textarea rows={3} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
    </FormShell>
  );
}

export function FindingForm({ allegationId, onDone, claimIds }: FormProps & { claimIds: readonly string[] }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { outcome: '', reasoning: '', verified: [] as string[] },
    schema: FindingInput,
    toBody: (v) => ({ outcome: v.outcome || undefined, reasoning: v.reasoning.trim() || undefined, ...(v.verified.length ? { verified_claims: v.verified } : {}) }),
    send: (body) => api(path(allegationId, 'finding'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.finding.title')} claimed={['/outcome', '/reasoning', '/verified_claims']} submit={t('forms.finding.submit')} testId="finding-form">
      <Field label={t('forms.finding.outcome')} errors={form.errorsAt('/outcome')} required>
        <select value={form.values.outcome} onChange={(e) => form.set('outcome', e.target.value)}>
          <option value="">{t('forms.choose')}</option>
          {(['substantiated', 'not_substantiated', 'inconclusive', 'could_not_be_attributed'] as const).map((k) => (
            <option key={k} value={k}>
              {t(`findingOutcome.${k}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('forms.finding.reasoning')} errors={form.errorsAt('/reasoning')} required>
        <textarea rows={6} dir="auto" value={form.values.reasoning} onChange={(e) => form.set('reasoning', e.target.value)} />
      </Field>
      {claimIds.length > 0 && (
        <fieldset className="field">
          <legend>{t('forms.finding.verified')}</legend>
          {claimIds.map((c) => (
            <label key={c} className="check">
              <input
                type="checkbox"
                checked={form.values.verified.includes(c)}
                onChange={(e) => form.set('verified', e.target.checked ? [...form.values.verified, c] : form.values.verified.filter((x) => x !== c))}
              />
              <code dir="ltr">{c}</code>
            </label>
          ))}
          <FieldErrorsList errors={form.errorsAt('/verified_claims')} />
        </fieldset>
      )}
    </FormShell>
  );
}

export function OpinionForm({ allegationId, onDone }: FormProps) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { position: '', text: '' },
    schema: OpinionInput,
    toBody: (v) => ({ position: v.position || undefined, ...(v.text.trim() ? { text: v.text.trim() } : {}) }),
    send: (body) => api(path(allegationId, 'opinions'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.opinion.title')} claimed={['/position', '/text']} submit={t('forms.opinion.submit')}>
      <fieldset className="field">
        <legend>
          {t('forms.opinion.position')} <span className="required">({t('form.requiredMark')})</span>
        </legend>
        <div className="radio-row">
          {(['agree', 'disagree'] as const).map((k) => (
            <label key={k} className="radio">
              <input type="radio" name="opinion-position" value={k} checked={form.values.position === k} onChange={() => form.set('position', k)} />
              {t(`opinion.${k}`)}
            </label>
          ))}
        </div>
        <FieldErrorsList errors={form.errorsAt('/position')} />
      </fieldset>
      <Field label={t('forms.opinion.text')} errors={form.errorsAt('/text')}>
        <textarea rows={4} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
    </FormShell>
  );
}

export function RemedyForm({ allegationId, onDone }: FormProps) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { text: '', due: '' },
    schema: RemedyInput,
    toBody: (v) => ({ text: v.text.trim() || undefined, ...(v.due ? { due: localInputToUtc(v.due, PK_OFFSET) } : {}) }),
    send: (body) => api(path(allegationId, 'remedies'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.remedy.title')} claimed={['/text', '/due']} submit={t('forms.remedy.submit')}>
      <Field label={t('forms.remedy.text')} errors={form.errorsAt('/text')} required>
        <textarea rows={4} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
      <Field label={t('forms.remedy.due')} hint={t('forms.pkTimeHint')} errors={form.errorsAt('/due')}>
        <input type="datetime-local" value={form.values.due} onChange={(e) => form.set('due', e.target.value)} />
      </Field>
    </FormShell>
  );
}

const sub = (id: string, kind: 'tasks' | 'remedies', subId: string, tail: string) => path(id, `${kind}/${encodeURIComponent(subId)}/${tail}`);

/** What a verification task found (mediators; once per task). */
export function TaskOutcomeForm({ allegationId, taskId, onDone }: FormProps & { taskId: string }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { outcome: '', evidence: '' },
    schema: TaskOutcomeInput,
    toBody: (v) => ({ outcome: v.outcome.trim() || undefined, ...(lines(v.evidence).length ? { evidence: lines(v.evidence) } : {}) }),
    send: (body) => api(sub(allegationId, 'tasks', taskId, 'outcome'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.outcome.title')} claimed={['/outcome', '/evidence']} submit={t('forms.outcome.submit')} testId={`outcome-form-${taskId}`}>
      <Field label={t('forms.outcome.text')} errors={form.errorsAt('/outcome')} required hint={t('forms.ownLanguage')}>
        <textarea rows={4} dir="auto" value={form.values.outcome} onChange={(e) => form.set('outcome', e.target.value)} />
      </Field>
      <EvidenceField form={form} />
    </FormShell>
  );
}

export const REMEDY_STATUSES = ['agreed', 'in_progress', 'completed', 'not_carried_out'] as const;

/** A remedy's progress (mediators); a completed remedy takes no more. */
export function RemedyProgressForm({ allegationId, remedyId, current, onDone }: FormProps & { remedyId: string; current?: string | undefined }) {
  const { t } = useTranslation();
  const form = useForm({
    initial: { status: '', text: '' },
    schema: RemedyProgressInput,
    toBody: (v) => ({ status: v.status || undefined, ...(v.text.trim() ? { text: v.text.trim() } : {}) }),
    send: (body) => api(sub(allegationId, 'remedies', remedyId, 'progress'), { method: 'POST', body }),
    onDone,
  });
  return (
    <FormShell form={form} title={t('forms.progress.title')} claimed={['/status', '/text']} submit={t('forms.progress.submit')} testId={`progress-form-${remedyId}`}>
      <Field label={t('forms.progress.status')} errors={form.errorsAt('/status')} required>
        <select value={form.values.status} onChange={(e) => form.set('status', e.target.value)}>
          <option value="">{t('forms.choose')}</option>
          {REMEDY_STATUSES.filter((s) => s !== current).map((s) => (
            <option key={s} value={s}>
              {t(`remedyStatus.${s}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('forms.notes')} errors={form.errorsAt('/text')}>
        <textarea rows={3} dir="auto" value={form.values.text} onChange={(e) => form.set('text', e.target.value)} />
      </Field>
    </FormShell>
  );
}
