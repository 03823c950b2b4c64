import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client.js';
import type { Loadable } from '../api/useApi.js';

export function Loading({ label }: { label?: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label ?? t('state.loading')}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="state state-empty">{children}</p>;
}

export function errorText(error: unknown, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (error instanceof ApiError) {
    if (error.code === 'NETWORK') return t('state.network');
    if (error.status === 404) return t('state.notFound');
    if (error.code === 'SESSION_ENDED') return t('state.sessionEnded');
    if (error.status === 401) return t('state.signInNeeded');
    if (error.status === 403) return t('state.forbidden', { message: error.message });
    return t('state.errorWith', { message: error.message, code: error.code });
  }
  return error instanceof Error ? error.message : String(error);
}

export function ErrorState({ error, retry }: { error: unknown; retry?: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="state state-error" role="alert">
      <p>{errorText(error, t)}</p>
      {retry && (
        <button type="button" className="button secondary" onClick={retry}>
          {t('state.retry')}
        </button>
      )}
    </div>
  );
}

/** A planned endpoint that the server does not have yet. */
export function Unavailable({ what }: { what: string }) {
  const { t } = useTranslation();
  return (
    <div className="state state-unavailable" role="note">
      <strong>{t('state.notYet')}</strong> {t('state.notYetWhat', { what })}
    </div>
  );
}

/** Render the four states of a Loadable; `children` gets the data. */
export function Async<T>({ r, what, children, loading }: { r: Loadable<T>; what: string; children: (data: T) => ReactNode; loading?: ReactNode }) {
  switch (r.state) {
    case 'loading':
      return <>{loading ?? <Loading />}</>;
    case 'error':
      return <ErrorState error={r.error} retry={r.reload} />;
    case 'unavailable':
      return <Unavailable what={what} />;
    case 'ok':
      return <>{children(r.data)}</>;
    default: {
      const never: never = r;
      return never;
    }
  }
}
