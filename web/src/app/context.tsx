// App-wide state: who is signed in, the small reference lists every page names things from
// (parties, actors, sources, agreements), and the reader's naming view.
import type { ReactNode } from 'react';
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fetchAll, onSessionEnded, setCsrfToken } from '../api/client.js';
import type { ActorRecord, AgreementRecord, PartyRecord, SessionUser, SourceRecord } from '../api/types.js';
import { displayName, otherNames } from '../lib/names.js';
import type { NameChoice, NamingView } from '../lib/names.js';

interface SessionState {
  readonly user: SessionUser | null;
  readonly checked: boolean;
  /** The session could not be checked: the server was unreachable (offline). */
  readonly unreachable: boolean;
  /** The browser's session expired or was signed out elsewhere since this page signed in. */
  readonly ended: boolean;
  // Function properties, not methods: components destructure them from the context.
  readonly login: (name: string, password: string) => Promise<SessionUser>;
  readonly logout: () => Promise<void>;
}

const SessionContext = createContext<SessionState>({
  user: null,
  checked: false,
  unreachable: false,
  ended: false,
  login: () => Promise.reject(new Error('no session provider')),
  logout: () => Promise.resolve(),
});

export function SessionProvider({ children }: { children: ReactNode }) {
  const [user, setUser] = useState<SessionUser | null>(null);
  const [checked, setChecked] = useState(false);
  const [unreachable, setUnreachable] = useState(false);
  const [ended, setEnded] = useState(false);

  useEffect(() => {
    // `user` stays as it was: pages that only signed-in people see would unmount, and the form the
    // reader was filling in would go with them. The header and the notice say what happened.
    onSessionEnded(() => setEnded(true));
    return () => onSessionEnded(null);
  }, []);

  useEffect(() => {
    let live = true;
    api<{ user: SessionUser | null; csrf_token?: string | null; session_ended?: boolean }>('/api/v1/session').then(
      (r) => {
        if (!live) return;
        setUser(r.user);
        setEnded(r.session_ended === true);
        // The server hands the session's CSRF token to its own origin on every check: a new tab
        // (or a page opened offline and now online) can write without signing in again.
        setCsrfToken(r.user ? (r.csrf_token ?? null) : null);
        setChecked(true);
      },
      () => {
        if (!live) return;
        setUnreachable(true);
        setChecked(true);
      },
    );
    return () => {
      live = false;
    };
  }, []);

  const login = useCallback(async (name: string, password: string) => {
    const r = await api<{ user: SessionUser; csrf_token: string }>('/api/v1/session', { method: 'POST', body: { name, password } });
    setCsrfToken(r.csrf_token);
    setUser(r.user);
    setUnreachable(false);
    setEnded(false);
    return r.user;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/api/v1/session', { method: 'DELETE' });
    } finally {
      setCsrfToken(null);
      setUser(null);
      setEnded(false);
    }
  }, []);

  const value = useMemo(() => ({ user, checked, unreachable, ended, login, logout }), [user, checked, unreachable, ended, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

export interface Directory {
  readonly loaded: boolean;
  readonly failed: boolean;
  readonly parties: ReadonlyMap<string, PartyRecord>;
  readonly actors: ReadonlyMap<string, ActorRecord>;
  readonly sources: ReadonlyMap<string, SourceRecord>;
  readonly agreements: ReadonlyMap<string, AgreementRecord>;
  readonly reload: () => void;
}

const empty: Directory = { loaded: false, failed: false, parties: new Map(), actors: new Map(), sources: new Map(), agreements: new Map(), reload: () => undefined };
const DirectoryContext = createContext<Directory>(empty);

const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i] as const));

export function DirectoryProvider({ children }: { children: ReactNode }) {
  const [dir, setDir] = useState<Omit<Directory, 'reload'>>(empty);
  const [tick, setTick] = useState(0);
  const { user } = useSession();
  const reload = useCallback(() => setTick((t) => t + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all([
      fetchAll<PartyRecord>('/api/v1/parties', 1000, ctrl.signal),
      fetchAll<ActorRecord>('/api/v1/actors', 5000, ctrl.signal),
      fetchAll<SourceRecord>('/api/v1/sources', 5000, ctrl.signal),
      fetchAll<AgreementRecord & { id: string }>('/api/v1/agreements', 1000, ctrl.signal),
    ]).then(
      ([p, a, s, g]) => setDir({ loaded: true, failed: false, parties: byId(p.items), actors: byId(a.items), sources: byId(s.items), agreements: byId(g.items) }),
      () => {
        if (!ctrl.signal.aborted) setDir((d) => ({ ...d, loaded: true, failed: true }));
      },
    );
    return () => ctrl.abort();
    // Signing in can reveal records the public cannot see.
  }, [tick, user?.id]);

  const value = useMemo(() => ({ ...dir, reload }), [dir, reload]);
  return <DirectoryContext.Provider value={value}>{children}</DirectoryContext.Provider>;
}

export const useDirectory = () => useContext(DirectoryContext);

/** A fixed directory, for component tests and previews: no requests. */
export function StaticDirectory({ value, children }: { value: Partial<Omit<Directory, 'reload'>>; children: ReactNode }) {
  const full = useMemo(() => ({ ...empty, loaded: true, ...value }), [value]);
  return <DirectoryContext.Provider value={full}>{children}</DirectoryContext.Provider>;
}

const NamingContext = createContext<{ view: NamingView; setView: (v: NamingView) => void }>({ view: 'neutral', setView: () => undefined });

export function NamingProvider({ children }: { children: ReactNode }) {
  const [view, setViewState] = useState<NamingView>(() => {
    try {
      return localStorage.getItem('mizan.naming') ?? 'neutral';
    } catch {
      return 'neutral';
    }
  });
  const setView = useCallback((v: NamingView) => {
    setViewState(v);
    try {
      localStorage.setItem('mizan.naming', v);
    } catch {
      // storage disabled
    }
  }, []);
  const value = useMemo(() => ({ view, setView }), [view, setView]);
  return <NamingContext.Provider value={value}>{children}</NamingContext.Provider>;
}

export const useNaming = () => useContext(NamingContext);

export type NameKind = 'party' | 'actor' | 'source' | 'any';

/** Name anything by id: a party, an actor or a source, in the current language and naming view. */
export function useNames() {
  const dir = useDirectory();
  const { view } = useNaming();
  const { i18n } = useTranslation();
  return useMemo(() => {
    const lookup = (id: string, kind: NameKind = 'any') => {
      if (kind === 'party' || kind === 'any') {
        const p = dir.parties.get(id);
        if (p) return { kind: 'party' as const, record: p };
      }
      if (kind === 'actor' || kind === 'any') {
        const a = dir.actors.get(id);
        if (a) return { kind: 'actor' as const, record: a };
      }
      if (kind === 'source' || kind === 'any') {
        const s = dir.sources.get(id);
        if (s) return { kind: 'source' as const, record: s };
      }
      return null;
    };
    const name = (id: string | null | undefined, kind: NameKind = 'any'): string => {
      if (!id) return '';
      const hit = lookup(id, kind);
      if (!hit) return id;
      if (hit.kind === 'source') return hit.record.publisher ?? hit.record.title;
      return displayName(hit.record, i18n.language, view, id);
    };
    const alternatives = (id: string, kind: NameKind = 'any'): NameChoice[] => {
      const hit = lookup(id, kind);
      if (!hit || hit.kind === 'source') return [];
      return otherNames(hit.record, name(id, kind));
    };
    return { name, alternatives, lookup, view };
  }, [dir, view, i18n.language]);
}
