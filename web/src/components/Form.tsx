// Forms validate in the browser with the server's own zod schemas (src/domain) and show the
// server's field errors (JSON Pointers) at the same fields.
import type { FormEvent, ReactElement, ReactNode } from 'react';
import { cloneElement, useCallback, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { jsonPointer } from '../../../src/domain/errors.js';
import { issuesFromZod } from '../../../src/domain/validation.js';
import { ApiError } from '../api/client.js';
import type { FieldError } from '../api/client.js';
import { errorText } from './States.js';

/** Field errors of a value under a schema, as the API would report them. */
export function validateWith(schema: z.ZodType, value: unknown): FieldError[] {
  const r = schema.safeParse(value);
  if (r.success) return [];
  return issuesFromZod(r.error).map((f) => ({ path: jsonPointer(f.path), code: f.code, message: f.message }));
}

export interface FormState<V> {
  readonly values: V;
  set<K extends keyof V>(key: K, value: V[K]): void;
  setAll(v: V): void;
  /** Change one field from its latest value (safe after an await, unlike `set(key, values[key] …)`). */
  update<K extends keyof V>(key: K, fn: (old: V[K]) => V[K]): void;
  readonly errors: readonly FieldError[];
  readonly formError: string | null;
  readonly submitting: boolean;
  readonly done: boolean;
  errorsAt(pointer: string): FieldError[];
  /** Errors whose path no field claims, shown in the form's summary. */
  unclaimed(claimed: readonly string[]): FieldError[];
  /** A function property, so it can be passed to `<form onSubmit>` as it is. */
  readonly onSubmit: (e: FormEvent) => void;
}

/**
 * `toBody` turns the form's strings into the request body; the body is checked with `schema`
 * before it is sent, and the server's answer is checked again by the server.
 */
export function useForm<V, B>(opts: {
  initial: V;
  schema: z.ZodType;
  toBody: (v: V) => B;
  send: (body: B) => Promise<unknown>;
  onDone?: (result: unknown) => void;
}): FormState<V> {
  const { t } = useTranslation();
  const [values, setValues] = useState<V>(opts.initial);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [formError, setFormError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [done, setDone] = useState(false);
  const { schema, toBody, send, onDone } = opts;

  const set = useCallback(<K extends keyof V>(key: K, value: V[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setDone(false);
  }, []);

  const update = useCallback(<K extends keyof V>(key: K, fn: (old: V[K]) => V[K]) => {
    setValues((v) => ({ ...v, [key]: fn(v[key]) }));
    setDone(false);
  }, []);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (submitting) return;
    const body = toBody(values);
    const local = validateWith(schema, body);
    setErrors(local);
    setFormError(local.length > 0 ? t('form.fixErrors', { count: local.length }) : null);
    if (local.length > 0) {
      focusFirstInvalid(e.currentTarget as HTMLFormElement);
      return;
    }
    setSubmitting(true);
    send(body).then(
      (result) => {
        setSubmitting(false);
        setDone(true);
        setErrors([]);
        setFormError(null);
        onDone?.(result);
      },
      (err: unknown) => {
        setSubmitting(false);
        if (err instanceof ApiError) {
          setErrors([...err.fields]);
          setFormError(err.fields.length > 0 ? t('form.serverRefused', { message: err.message }) : errorText(err, t));
        } else setFormError(errorText(err, t));
      },
    );
  };

  const errorsAt = (pointer: string) => errors.filter((f) => f.path === pointer || f.path.startsWith(pointer + '/'));
  const unclaimed = (claimed: readonly string[]) => errors.filter((f) => !claimed.some((c) => f.path === c || f.path.startsWith(c + '/')));
  return { values, set, setAll: setValues, update, errors, formError, submitting, done, errorsAt, unclaimed, onSubmit };
}

function focusFirstInvalid(form: HTMLFormElement) {
  requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** A translated message for the common zod codes; the server's own text otherwise. */
export function useFieldMessage() {
  const { t, i18n } = useTranslation();
  return (f: FieldError) => {
    // zod's enum message lists the raw values ("expected one of \"deny\"|…"): say it plainly.
    if (f.code === 'invalid_value' || f.code === 'invalid_enum_value') return t('form.invalidChoice');
    if (i18n.language === 'en') return f.message;
    switch (f.code) {
      case 'invalid_type':
        return f.message === 'is required' ? t('form.required') : t('form.invalid');
      case 'too_small':
        return t('form.tooSmall');
      case 'too_big':
        return t('form.tooBig');
      case 'invalid_value':
      case 'invalid_enum_value':
        return t('form.invalidChoice');
      case 'invalid_format':
      case 'invalid_string':
        return t('form.invalidFormat');
      case 'unknown_field':
        return t('form.unknownField');
      default:
        return f.message;
    }
  };
}

/** A labelled control with its hint and errors wired up for screen readers. */
export function Field({ label, hint, errors, children, required }: { label: ReactNode; hint?: ReactNode; errors: readonly FieldError[]; children: ReactElement<Record<string, unknown>>; required?: boolean }) {
  const id = useId();
  const msg = useFieldMessage();
  const { t } = useTranslation();
  const hintId = hint ? `${id}-hint` : undefined;
  const errId = errors.length > 0 ? `${id}-err` : undefined;
  const control = cloneElement(children, {
    id,
    'aria-invalid': errors.length > 0 ? 'true' : undefined,
    'aria-describedby': [hintId, errId].filter(Boolean).join(' ') || undefined,
    'aria-required': required ? 'true' : undefined,
  });
  return (
    <div className={`field${errors.length > 0 ? ' has-error' : ''}`}>
      <label htmlFor={id}>
        {label}
        {required && <span className="required"> ({t('form.requiredMark')})</span>}
      </label>
      {hint && (
        <p id={hintId} className="hint">
          {hint}
        </p>
      )}
      {control}
      {errId && (
        <ul id={errId} className="field-errors">
          {errors.map((e, i) => (
            <li key={i}>{msg(e)}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Summary at the top of a form: what went wrong, and errors no field shows. */
export function FormStatus({ form, claimed, doneText }: { form: Pick<FormState<unknown>, 'formError' | 'done' | 'unclaimed'>; claimed: readonly string[]; doneText?: string }) {
  const msg = useFieldMessage();
  const other = form.unclaimed(claimed);
  if (form.done && doneText) {
    return (
      <p className="form-done" role="status">
        {doneText}
      </p>
    );
  }
  if (!form.formError && other.length === 0) return null;
  return (
    <div className="form-error" role="alert">
      {form.formError && <p>{form.formError}</p>}
      {other.length > 0 && (
        <ul>
          {other.map((e, i) => (
            <li key={i}>
              <code dir="ltr">{e.path || '/'}</code> {msg(e)}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Split a textarea into a list of non-empty lines (evidence, ids). */
export const lines = (s: string): string[] =>
  s
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

/** A textarea's text with one more line (an attached file's reference), keeping what was typed. */
export const appendLine = (text: string, line: string): string => (text.trim() === '' ? line : `${text.replace(/\s+$/, '')}\n${line}`);

/** A datetime-local value (in the given zone's wall clock) as a UTC instant. */
export function localInputToUtc(value: string, offsetMinutes: number): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return value === '' ? undefined : value;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!) - offsetMinutes * 60_000;
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** A field's errors where no single control carries them (a group of radios or checkboxes). */
export function FieldErrorsList({ errors }: { errors: readonly FieldError[] }) {
  const msg = useFieldMessage();
  if (errors.length === 0) return null;
  return (
    <ul className="field-errors">
      {errors.map((e, i) => (
        <li key={i}>{msg(e)}</li>
      ))}
    </ul>
  );
}

/**
 * The skeleton every small form repeats: a titled <form> that validates on submit, its status
 * summary (errors no field shows, or "recorded"), the fields, and one submit button.
 */
export function FormShell({
  form,
  title,
  claimed,
  submit,
  testId,
  children,
}: {
  form: Pick<FormState<unknown>, 'formError' | 'done' | 'unclaimed' | 'onSubmit' | 'submitting'>;
  title: ReactNode;
  /** The JSON Pointers the form's fields show errors for. */
  claimed: readonly string[];
  submit: string;
  testId?: string;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <form className="form" onSubmit={form.onSubmit} noValidate aria-labelledby={id} data-testid={testId}>
      <h3 id={id}>{title}</h3>
      <FormStatus form={form} claimed={claimed} doneText={t('forms.sent')} />
      {children}
      <button type="submit" className="button" disabled={form.submitting}>
        {form.submitting ? t('forms.sending') : submit}
      </button>
    </form>
  );
}
