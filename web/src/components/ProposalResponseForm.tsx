// A party's answer to a joint-definition proposal: accept or reject each listed group, each with
// a reason. Validated with the server's ResponseInput (src/domain/threat/types.ts).
import { useTranslation } from 'react-i18next';
import { ResponseInput } from '../../../src/domain/threat/types.js';
import { api } from '../api/client.js';
import type { ProposalView } from '../api/types.js';
import { useNames } from '../app/context.js';
import { Field, FieldErrorsList, FormShell, useForm } from './Form.js';

type Answer = { readonly decision: '' | 'accept' | 'reject'; readonly reason: string };

/** The items the reader answered, in the proposal's order; untouched items are left out. */
export function responseBody(party: string, actors: readonly string[], answers: Readonly<Record<string, Answer>>) {
  const items = actors
    .filter((a) => answers[a] && (answers[a].decision !== '' || answers[a].reason.trim() !== ''))
    .map((a) => ({ actor: a, decision: answers[a]!.decision || undefined, reason: answers[a]!.reason.trim() || undefined }));
  return { by: party, items };
}

export function ProposalResponseForm({ proposal, party, onDone }: { proposal: ProposalView; party: string; onDone: () => void }) {
  const { t } = useTranslation();
  const names = useNames();
  const actors = proposal.items.map((i) => i.actor);
  const form = useForm({
    initial: Object.fromEntries(actors.map((a): [string, Answer] => [a, { decision: '', reason: '' }])),
    schema: ResponseInput,
    toBody: (v) => responseBody(party, actors, v),
    send: (body) => api(`/api/v1/threat/proposals/${encodeURIComponent(proposal.id)}/responses`, { method: 'POST', body }),
    onDone,
  });
  // Errors point into the body's items, which hold only the answered actors: map them back.
  const answered = responseBody(party, actors, form.values).items.map((i) => i.actor);
  const at = (actor: string, field: string) => {
    const k = answered.indexOf(actor);
    return k < 0 ? [] : form.errorsAt(`/items/${k}/${field}`);
  };
  const claimed = answered.flatMap((_, k) => [`/items/${k}/decision`, `/items/${k}/reason`, `/items/${k}/actor`]);
  return (
    <FormShell form={form} title={t('threat.respond.title', { party: names.name(party, 'party') })} claimed={claimed} submit={t('threat.respond.submit')} testId={`response-form-${proposal.id}`}>
      <p className="small muted">{t('threat.respond.how')}</p>
      {actors.map((actor, i) => {
        const v = form.values[actor] ?? { decision: '', reason: '' };
        const put = (next: Partial<Answer>) => form.set(actor, { ...v, ...next });
        const decisionErrors = at(actor, 'decision');
        return (
          <fieldset key={actor} className="field response-item">
            <legend>{names.name(actor, 'actor')}</legend>
            <div className="radio-row">
              {(['accept', 'reject'] as const).map((d) => (
                <label key={d} className="radio">
                  <input type="radio" name={`resp-${proposal.id}-${i}`} value={d} checked={v.decision === d} onChange={() => put({ decision: d })} aria-invalid={decisionErrors.length > 0 ? 'true' : undefined} />
                  {t(`threat.respond.${d}`)}
                </label>
              ))}
            </div>
            <FieldErrorsList errors={decisionErrors} />
            <Field label={t('threat.respond.reason')} errors={at(actor, 'reason')}>
              <textarea rows={2} dir="auto" value={v.reason} onChange={(e) => put({ reason: e.target.value })} />
            </Field>
          </fieldset>
        );
      })}
    </FormShell>
  );
}
