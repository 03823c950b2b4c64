// The offline queue's store in the browser: one IndexedDB database, one object store keyed by
// the report's idempotency key. A small promise wrapper over the request/transaction events.
import type { QueueItem, QueueStore } from './queue.js';

const DB_NAME = 'mizan';
const DB_VERSION = 1;
const REPORTS = 'reports';

function promised<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, DB_VERSION);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(REPORTS)) req.result.createObjectStore(REPORTS, { keyPath: 'key' });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB cannot be opened'));
    req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab'));
  });
}

/** Runs `fn` in one transaction and resolves when the transaction has committed. */
async function inTx<T>(db: IDBDatabase, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const tx = db.transaction(REPORTS, mode);
  const result = promised(fn(tx.objectStore(REPORTS)));
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });
  return result;
}

/** The queue in IndexedDB, or null when the browser has none (some private modes). */
export async function indexedDbStore(): Promise<QueueStore | null> {
  if (typeof indexedDB === 'undefined') return null;
  let db: IDBDatabase;
  try {
    db = await open();
  } catch {
    return null;
  }
  return {
    all: () => inTx(db, 'readonly', (s) => s.getAll() as IDBRequest<QueueItem[]>),
    put: async (item) => void (await inTx(db, 'readwrite', (s) => s.put(item))),
    delete: async (key) => void (await inTx(db, 'readwrite', (s) => s.delete(key))),
  };
}
