import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError } from './client.js';
import type { AssessmentRow } from './types.js';

/**
 * The four states every view shows: loading, loaded, failed, and "this part of the API does not
 * exist yet" (a planned endpoint answering 404 with "no route").
 */
type Settled<T> =
  | { readonly state: 'loading' }
  | { readonly state: 'ok'; readonly data: T }
  | { readonly state: 'error'; readonly error: ApiError | Error }
  | { readonly state: 'unavailable' };

export type Loadable<T> = Settled<T> & { readonly reload: () => void };

/** Run `load` when `key` changes (null skips); the latest answer wins, earlier ones are dropped. */
export function useLoad<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): Loadable<T> {
  const [tick, setTick] = useState(0);
  const [result, setResult] = useState<{ key: string | null; tick: number; value: Settled<T> }>({ key: null, tick: -1, value: { state: 'loading' } });
  const loadRef = useRef(load);
  loadRef.current = load;
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    if (key === null) return undefined;
    const ctrl = new AbortController();
    loadRef.current(ctrl.signal).then(
      (data) => {
        if (!ctrl.signal.aborted) setResult({ key, tick, value: { state: 'ok', data } });
      },
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        if (error instanceof ApiError && error.endpointMissing) setResult({ key, tick, value: { state: 'unavailable' } });
        else setResult({ key, tick, value: { state: 'error', error: error instanceof Error ? error : new Error(String(error)) } });
      },
    );
    return () => ctrl.abort();
  }, [key, tick]);

  if (key === null || result.key !== key || result.tick !== tick) return { state: 'loading', reload };
  return { ...result.value, reload };
}

/** GET a JSON path. */
export function useApi<T>(path: string | null): Loadable<T> {
  return useLoad<T>(path, (signal) => api<T>(path!, { signal }));
}

/** Every assessment row the caller may see (GET /api/v1/assessments answers {items}, unpaged). */
export function useAssessments(): Loadable<{ items: AssessmentRow[] }> {
  return useLoad('assessments', async (signal) => {
    const r = await api<{ items: AssessmentRow[] } | AssessmentRow[]>('/api/v1/assessments', { signal });
    return { items: Array.isArray(r) ? r : r.items };
  });
}
