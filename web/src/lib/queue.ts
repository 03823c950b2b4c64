// The monitor's offline queue: what each waiting report is doing, and how it is sent. Pure logic
// over two ports — where items are kept (IndexedDB in the browser, web/src/lib/idb.ts; memory in
// tests) and how they travel (the API) — so the rules are tested without a browser.
//
// Exactly once: each report carries the idempotency key it was given when queued, and the server
// returns the first report for a repeat of the key from the same monitor. A report is sent until
// the server answers; a lost answer only means one more send of the same key. Files go first,
// each checked against the digest taken on the phone; the server stores the same bytes once.
import type { ReportEvidence, WebReport } from '../../../src/domain/monitors/web-report.js';

/** A photo or file waiting with its report; `bytes` are what will be uploaded. */
export interface QueuedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
  /** Dropped once the report is sent (IndexedDB should not keep photos it no longer needs). */
  readonly bytes: Uint8Array | null;
  readonly sha256: string;
  readonly original_sha256: string;
  readonly location_kept: boolean;
  readonly uploaded: boolean;
}

export type ItemState =
  | { readonly kind: 'queued' }
  | { readonly kind: 'sending' }
  | { readonly kind: 'sent'; readonly id: string; readonly number: number | null; readonly at: string }
  | { readonly kind: 'failed'; readonly code: string; readonly message: string };

export type ReportBody = Omit<WebReport, 'evidence'>;

export interface QueueItem {
  /** The report's idempotency key; also the item's key in the store. */
  readonly key: string;
  /** The account that wrote it: a phone shared by two monitors sends each one's reports as that monitor only. */
  readonly owner: string;
  readonly body: ReportBody;
  readonly files: readonly QueuedFile[];
  readonly queued_at: string;
  readonly state: ItemState;
}

/** Where queued reports are kept. */
export interface QueueStore {
  all(): Promise<QueueItem[]>;
  put(item: QueueItem): Promise<void>;
  delete(key: string): Promise<void>;
}

/** An error from the API as the transport reports it. */
export interface TransportError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
}

/** How reports and files reach the server. */
export interface Transport {
  upload(file: QueuedFile): Promise<{ sha256: string }>;
  submit(body: WebReport): Promise<{ id: string; number?: number | undefined }>;
}

/** At most this many sent reports stay listed on the phone. */
export const KEEP_SENT = 20;

/**
 * Worth trying again later, as opposed to refused for good: no network, the server busy or
 * failing, or the session gone (the monitor signs in again and the queue resumes).
 */
export function retryable(e: unknown): boolean {
  const x = asTransportError(e);
  return x.code === 'NETWORK' || x.status >= 500 || x.status === 429 || x.status === 408 || needsSignIn(x);
}

/** The session is gone or cannot write (a tab without its CSRF token): sign in, and the queue goes on. */
export function needsSignIn(e: TransportError): boolean {
  return e.status === 401 || e.code === 'CSRF_FAILED';
}

export function asTransportError(e: unknown): TransportError {
  if (e && typeof e === 'object' && 'status' in e && 'code' in e && typeof (e as TransportError).status === 'number') {
    const t = e as TransportError;
    return { status: t.status, code: String(t.code), message: String(t.message ?? '') };
  }
  return { status: 0, code: 'CLIENT', message: e instanceof Error ? e.message : String(e) };
}

const byAge = (a: QueueItem, b: QueueItem) => a.queued_at.localeCompare(b.queued_at) || a.key.localeCompare(b.key);

/** The evidence list a report cites: every file, once uploaded. */
export function evidenceOf(files: readonly QueuedFile[]): ReportEvidence[] {
  return files.map((f) => ({ sha256: f.sha256, original_sha256: f.original_sha256, location_kept: f.location_kept }));
}

export type FlushOutcome =
  /** Nothing left to send. */
  | { readonly kind: 'done'; readonly sent: number; readonly failed: number }
  /** Stopped at a failure worth retrying: everything not yet sent stays queued. */
  | { readonly kind: 'waiting'; readonly sent: number; readonly failed: number; readonly error: TransportError };

/**
 * Send every queued report, oldest first. A report the server refuses (a 4xx other than those
 * in `retryable`) becomes `failed` with the server's message and the rest go on; a network
 * failure stops the run and leaves the report `queued`. An item left `sending` by a closed tab
 * is sent again (the key makes that safe). Only `owner`'s reports are sent.
 */
export async function flushQueue(store: QueueStore, transport: Transport, opts: { owner: string; now: () => string; onChange?: () => void }): Promise<FlushOutcome> {
  const changed = opts.onChange ?? (() => undefined);
  let sent = 0;
  let failed = 0;
  const todo = (await store.all()).filter((i) => i.owner === opts.owner && (i.state.kind === 'queued' || i.state.kind === 'sending')).sort(byAge);
  for (const start of todo) {
    let item: QueueItem = { ...start, state: { kind: 'sending' } };
    await store.put(item);
    changed();
    try {
      const files: QueuedFile[] = [];
      for (const f of item.files) {
        if (f.uploaded) {
          files.push(f);
          continue;
        }
        if (!f.bytes) throw { status: 0, code: 'FILE_MISSING', message: `the file ${f.name} is no longer on this phone` } satisfies TransportError;
        const r = await transport.upload(f);
        // The server names a file by the SHA-256 of what it received: anything else was not our file.
        if (r.sha256 !== f.sha256) throw { status: 0, code: 'DIGEST_MISMATCH', message: `the server stored ${f.name} under a different SHA-256` } satisfies TransportError;
        files.push({ ...f, uploaded: true });
        item = { ...item, files: [...files, ...item.files.slice(files.length)] };
        await store.put(item);
      }
      const body: WebReport = files.length > 0 ? { ...item.body, evidence: evidenceOf(files) } : { ...item.body };
      const stored = await transport.submit(body);
      item = { ...item, files: files.map((f) => ({ ...f, bytes: null })), state: { kind: 'sent', id: stored.id, number: stored.number ?? null, at: opts.now() } };
      await store.put(item);
      sent++;
      changed();
    } catch (e) {
      const err = asTransportError(e);
      if (retryable(e)) {
        await store.put({ ...item, state: { kind: 'queued' } });
        changed();
        return { kind: 'waiting', sent, failed, error: err };
      }
      await store.put({ ...item, state: { kind: 'failed', code: err.code, message: err.message } });
      failed++;
      changed();
    }
  }
  await pruneSent(store);
  return { kind: 'done', sent, failed };
}

/** Keep only the most recent KEEP_SENT sent reports on the phone. */
export async function pruneSent(store: QueueStore, keep = KEEP_SENT): Promise<void> {
  const sent = (await store.all()).filter((i) => i.state.kind === 'sent').sort(byAge);
  for (const old of sent.slice(0, Math.max(0, sent.length - keep))) await store.delete(old.key);
}

/** A failed report goes back in the queue (the monitor pressed "try again"). */
export async function retryItem(store: QueueStore, key: string): Promise<void> {
  const item = (await store.all()).find((i) => i.key === key);
  if (item && item.state.kind === 'failed') await store.put({ ...item, state: { kind: 'queued' } });
}

/** The old queue (before IndexedDB): a JSON array of {body, queued_at} under one localStorage key. */
export const LEGACY_QUEUE_KEY = 'mizan.reportQueue';

export interface LegacyStorage {
  getItem(key: string): string | null;
  removeItem(key: string): void;
}

/**
 * Move reports from the old localStorage queue into the store, once: each is written (by its
 * idempotency key, so a crash between here and the removal repeats harmlessly) before the old
 * key is removed. The old queue had no owner: its reports go to the monitor signed in now, as the
 * old page would have sent them. Entries that are not reports are dropped. Returns how many moved.
 */
export async function migrateLegacyQueue(storage: LegacyStorage, store: QueueStore, owner: string, now: () => string): Promise<number> {
  let raw: string | null;
  try {
    raw = storage.getItem(LEGACY_QUEUE_KEY);
  } catch {
    return 0;
  }
  if (raw === null) return 0;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = [];
  }
  const existing = new Set((await store.all()).map((i) => i.key));
  let moved = 0;
  for (const entry of Array.isArray(parsed) ? parsed : []) {
    const body = (entry as { body?: unknown })?.body as ReportBody | undefined;
    if (!body || typeof body !== 'object') continue;
    const key = body.idempotency_key;
    if (typeof key !== 'string' || existing.has(key)) continue;
    const at = (entry as { queued_at?: unknown }).queued_at;
    await store.put({ key, owner, body, files: [], queued_at: typeof at === 'string' ? at : now(), state: { kind: 'queued' } });
    existing.add(key);
    moved++;
  }
  try {
    storage.removeItem(LEGACY_QUEUE_KEY);
  } catch {
    // Storage disabled: the next visit finds the entries already moved and skips them by key.
  }
  return moved;
}

/** A store in memory: for tests, and the fallback when IndexedDB is unavailable (private mode). */
export function memoryStore(): QueueStore {
  const items = new Map<string, QueueItem>();
  return {
    all: async () => [...items.values()].map((i) => structuredClone(i)),
    put: async (i) => void items.set(i.key, structuredClone(i)),
    delete: async (k) => void items.delete(k),
  };
}
