// The offline queue in the page: IndexedDB (or memory when the browser has none), the old
// localStorage queue moved over once, sending on load and on every `online` event, one tab at a
// time (Web Locks, where the browser has them; the idempotency key covers the rest).
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, hasCsrfToken, setCsrfToken } from '../api/client.js';
import { indexedDbStore } from './idb.js';
import type { FlushOutcome, QueueItem, QueueStore, Transport } from './queue.js';
import { flushQueue, memoryStore, migrateLegacyQueue, retryItem } from './queue.js';

const transport: Transport = {
  upload: (f) => {
    if (!f.bytes) return Promise.reject(new Error('no bytes'));
    // A copy into a fresh ArrayBuffer: the stored bytes may be a view into a larger buffer.
    const blob = new Blob([f.bytes.slice().buffer], { type: f.type });
    return api<{ sha256: string }>(`/api/v1/evidence?filename=${encodeURIComponent(f.name)}`, { method: 'POST', body: blob });
  },
  submit: (body) => api<{ id: string; number?: number }>('/api/v1/reports', { method: 'POST', body }),
};

async function exclusive<T>(fn: () => Promise<T>): Promise<T | null> {
  const locks = (navigator as Navigator & { locks?: { request: (name: string, opts: { ifAvailable: boolean }, cb: (lock: unknown) => Promise<T | null>) => Promise<T | null> } }).locks;
  if (!locks) return fn();
  // Another tab is sending: it will send ours too.
  return locks.request('mizan-report-queue', { ifAvailable: true }, (lock) => (lock ? fn() : Promise.resolve(null)));
}

export interface ReportQueue {
  readonly items: readonly QueueItem[];
  /** False until the store is open; `persistent` false: IndexedDB unavailable, memory only. */
  readonly ready: boolean;
  readonly persistent: boolean;
  readonly last: FlushOutcome | null;
  add(item: QueueItem): Promise<void>;
  flush(): Promise<void>;
  retry(key: string): Promise<void>;
  discard(key: string): Promise<void>;
}

/** The queue of `owner` (the signed-in monitor's account name). */
export function useReportQueue(owner: string): ReportQueue {
  const store = useRef<QueueStore | null>(null);
  const [items, setItems] = useState<QueueItem[]>([]);
  const [ready, setReady] = useState(false);
  const [persistent, setPersistent] = useState(true);
  const [last, setLast] = useState<FlushOutcome | null>(null);
  const running = useRef(false);
  const again = useRef(false);

  const refresh = useCallback(async () => {
    if (store.current) setItems((await store.current.all()).filter((i) => i.owner === owner));
  }, [owner]);

  const flush = useCallback(async () => {
    const s = store.current;
    // navigator.onLine false is reliable (true is not): don't flash "sending" when surely offline.
    if (!s || !navigator.onLine) return;
    if (running.current) {
      // A report added while a run is under way: one more run when this one ends.
      again.current = true;
      return;
    }
    running.current = true;
    try {
      // A page opened offline never checked its session: fetch the CSRF token writes need.
      if (!hasCsrfToken()) {
        await api<{ csrf_token: string | null }>('/api/v1/session').then(
          (r) => r.csrf_token && setCsrfToken(r.csrf_token),
          () => undefined,
        );
      }
      do {
        again.current = false;
        const r = await exclusive(() => flushQueue(s, transport, { owner, now: () => new Date().toISOString(), onChange: () => void refresh() }));
        if (r) setLast(r);
        if (r?.kind === 'waiting') break;
      } while (again.current);
    } finally {
      running.current = false;
      await refresh();
    }
  }, [owner, refresh]);

  useEffect(() => {
    let live = true;
    void (async () => {
      const idb = await indexedDbStore();
      if (!live) return;
      store.current = idb ?? memoryStore();
      setPersistent(idb !== null);
      try {
        await migrateLegacyQueue(localStorage, store.current, owner, () => new Date().toISOString());
      } catch {
        // A broken old queue must not stop the new one.
      }
      setReady(true);
      await refresh();
      await flush();
    })();
    const onOnline = () => void flush();
    window.addEventListener('online', onOnline);
    return () => {
      live = false;
      window.removeEventListener('online', onOnline);
    };
  }, [owner, flush, refresh]);

  return {
    items,
    ready,
    persistent,
    last,
    add: async (item) => {
      if (!store.current) throw new Error('the queue is not open yet');
      // Photos wait here too: ask the browser not to evict the queue under storage pressure.
      if (item.files.length > 0) void navigator.storage?.persist?.().catch(() => false);
      await store.current.put(item);
      await refresh();
      void flush();
    },
    flush,
    retry: async (key) => {
      if (!store.current) return;
      await retryItem(store.current, key);
      await refresh();
      void flush();
    },
    discard: async (key) => {
      if (!store.current) return;
      await store.current.delete(key);
      await refresh();
    },
  };
}
