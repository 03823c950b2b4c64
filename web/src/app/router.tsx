// A small history router: the app has a dozen routes and needs nothing more.
import type { AnchorHTMLAttributes, MouseEvent, ReactNode } from 'react';
import { useEffect, useRef, useSyncExternalStore } from 'react';

type Listener = () => void;
const listeners = new Set<Listener>();

function subscribe(l: Listener): () => void {
  listeners.add(l);
  const onPop = () => l();
  window.addEventListener('popstate', onPop);
  return () => {
    listeners.delete(l);
    window.removeEventListener('popstate', onPop);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  for (const l of listeners) l();
  if (!opts.replace) window.scrollTo({ top: 0 });
}

export interface Location {
  readonly path: string;
  readonly query: URLSearchParams;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot, () => '/');
  const q = href.indexOf('?');
  return { path: q < 0 ? href : href.slice(0, q), query: new URLSearchParams(q < 0 ? '' : href.slice(q + 1)) };
}

/** Update some query parameters in place (filters live in the URL so views can be shared). */
export function setQuery(update: Readonly<Record<string, string | null | undefined>>, opts: { replace?: boolean } = { replace: true }): void {
  const u = new URL(window.location.href);
  for (const [k, v] of Object.entries(update)) {
    if (v === null || v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, v);
  }
  navigate(u.pathname + u.search, opts);
}

export interface Route {
  readonly name: string;
  readonly params: Readonly<Record<string, string>>;
}

/** Match a path against patterns like /incidents/:id; the first match wins. */
export function matchRoute(path: string, patterns: readonly (readonly [string, string])[]): Route | null {
  const parts = path.split('/').filter(Boolean);
  for (const [name, pattern] of patterns) {
    const want = pattern.split('/').filter(Boolean);
    if (want.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < want.length; i++) {
      const w = want[i]!;
      const p = parts[i]!;
      if (w.startsWith(':')) {
        try {
          params[w.slice(1)] = decodeURIComponent(p);
        } catch {
          ok = false;
        }
      } else if (w !== p) ok = false;
      if (!ok) break;
    }
    if (ok) return { name, params };
  }
  return null;
}

export function Link({ to, children, onClick, ...rest }: { to: string; children: ReactNode } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={handle} {...rest}>
      {children}
    </a>
  );
}

/**
 * Move focus to the main heading after a page change, so screen readers announce it — but not on
 * the first load, where focus stays at the top of the page (so Tab reaches the skip link first).
 */
export function useFocusOnNavigate(path: string): void {
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const h = document.querySelector<HTMLElement>('main h1');
    if (h && document.activeElement !== h) {
      h.setAttribute('tabindex', '-1');
      h.focus({ preventScroll: true });
    }
  }, [path]);
}

export const incidentPath = (id: string) => `/incidents/${encodeURIComponent(id)}`;
export const allegationPath = (id: string) => `/allegations/${encodeURIComponent(id)}`;
