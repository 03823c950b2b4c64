import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../api/client.js';
import { useSession } from '../app/context.js';
import { navigate, useLocation } from '../app/router.js';
import { Field, FormStatus, useForm } from '../components/Form.js';

// Mirrors LoginBody in src/app/accounts.ts, which cannot be bundled (it imports node:crypto).
// Moving LoginBody into src/domain would let the browser import the very same schema.
const LoginBody = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });

/** Only same-site paths: `next` comes from the URL, so it must not send the reader elsewhere. */
function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export default function Login() {
  const { t } = useTranslation();
  const { user, login } = useSession();
  const { query } = useLocation();
  const [wrong, setWrong] = useState(false);
  const form = useForm({
    initial: { name: '', password: '' },
    schema: LoginBody,
    toBody: (v) => ({ name: v.name.trim(), password: v.password }),
    send: async (body) => {
      setWrong(false);
      try {
        return await login(body.name, body.password);
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) setWrong(true);
        throw e;
      }
    },
    onDone: () => navigate(safeNext(query.get('next'))),
  });
  return (
    <div className="page narrow">
      <div className="page-head">
        <h1>{t('login.title')}</h1>
        <p className="lede">{t('login.lede')}</p>
      </div>
      {user && <p className="form-done">{t('login.already', { name: user.name })}</p>}
      <form className="form card" onSubmit={form.onSubmit} noValidate data-testid="login-form">
        {wrong ? (
          <p className="form-error" role="alert">
            {t('login.wrong')}
          </p>
        ) : (
          <FormStatus form={form} claimed={['/name', '/password']} />
        )}
        <Field label={t('login.name')} errors={form.errorsAt('/name')} required>
          <input type="text" name="username" autoComplete="username" dir="ltr" value={form.values.name} onChange={(e) => form.set('name', e.target.value)} />
        </Field>
        <Field label={t('login.password')} errors={form.errorsAt('/password')} required>
          <input type="password" name="password" autoComplete="current-password" dir="ltr" value={form.values.password} onChange={(e) => form.set('password', e.target.value)} />
        </Field>
        <button type="submit" className="button" disabled={form.submitting}>
          {form.submitting ? t('login.signingIn') : t('login.submit')}
        </button>
      </form>
      <p className="small muted">{t('login.help')}</p>
    </div>
  );
}
