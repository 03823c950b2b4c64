// The offline queue's rules (web/src/lib/queue.ts) over an in-memory store and a scripted
// transport: states, exactly-once submission under lost answers, failures, retry, migration of
// the old localStorage queue — and a property that any interleaving of network failures delivers
// every report exactly once to a server that deduplicates by key.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareFile, sha256Hex } from '../../web/src/lib/evidence-file.js';
import { hasGpsLocation } from '../../web/src/lib/exif.js';
import type { QueueItem, QueuedFile, Transport, TransportError } from '../../web/src/lib/queue.js';
import { flushQueue, LEGACY_QUEUE_KEY, memoryStore, migrateLegacyQueue, pruneSent, retryItem } from '../../web/src/lib/queue.js';
import type { WebReport } from '../../web/src/lib/report.js';
import { photoWithGps } from '../support/jpeg.js';

const now = () => '2025-10-18T10:00:00.000Z';
const body = (key: string) => ({ idempotency_key: key, place: 'Barmal', occurred_local: '2025-10-17', what: 'AIR' as const });
const item = (key: string, at = '2025-10-18T09:00:00.000Z', files: QueuedFile[] = []): QueueItem => ({ key, owner: 'monitor1', body: body(key), files, queued_at: at, state: { kind: 'queued' } });
const offline: TransportError = { status: 0, code: 'NETWORK', message: 'the server cannot be reached' };

/** A server that stores a key once, like POST /api/v1/reports, and keeps uploaded files by digest. */
function fakeServer() {
  const reports = new Map<string, { id: string; body: WebReport }>();
  const files = new Map<string, Uint8Array>();
  let submits = 0;
  const transport: Transport = {
    upload: async (f) => {
      const digest = sha256Hex(f.bytes!);
      files.set(digest, f.bytes!);
      return { sha256: digest };
    },
    submit: async (b) => {
      submits++;
      const had = reports.get(b.idempotency_key);
      if (had) return { id: had.id, number: Number(had.id.slice(4)) };
      const id = `RPT-${reports.size + 1}`;
      reports.set(b.idempotency_key, { id, body: b });
      return { id, number: reports.size };
    },
  };
  return { reports, files, transport, submits: () => submits };
}

describe('offline queue', () => {
  it('sends oldest first, marks each sent with the report number, and leaves nothing queued', async () => {
    const store = memoryStore();
    await store.put(item('key-b-000001', '2025-10-18T09:02:00.000Z'));
    await store.put(item('key-a-000001', '2025-10-18T09:01:00.000Z'));
    const s = fakeServer();
    const r = await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect(r).toEqual({ kind: 'done', sent: 2, failed: 0 });
    expect([...s.reports.keys()]).toEqual(['key-a-000001', 'key-b-000001']);
    const states = Object.fromEntries((await store.all()).map((i) => [i.key, i.state]));
    expect(states).toEqual({ 'key-a-000001': { kind: 'sent', id: 'RPT-1', number: 1, at: now() }, 'key-b-000001': { kind: 'sent', id: 'RPT-2', number: 2, at: now() } });
  });

  it('offline: the report stays queued and the run stops; back online it is sent once', async () => {
    const store = memoryStore();
    await store.put(item('key-offline-1'));
    const s = fakeServer();
    const down: Transport = { upload: () => Promise.reject(offline), submit: () => Promise.reject(offline) };
    const r = await flushQueue(store, down, { owner: 'monitor1', now });
    expect(r).toMatchObject({ kind: 'waiting', error: { code: 'NETWORK' } });
    expect((await store.all())[0]!.state).toEqual({ kind: 'queued' });
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect(s.submits()).toBe(1);
    expect(s.reports.size).toBe(1);
  });

  it('a lost answer means one more send of the same key, which the server stores once', async () => {
    const store = memoryStore();
    await store.put(item('key-lost-0001'));
    const s = fakeServer();
    // The server stores the report but the answer never reaches the phone.
    const lossy: Transport = { upload: s.transport.upload, submit: async (b) => (await s.transport.submit(b), Promise.reject(offline)) };
    await flushQueue(store, lossy, { owner: 'monitor1', now });
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect(s.submits()).toBe(2);
    expect(s.reports.size).toBe(1);
    expect((await store.all())[0]!.state).toMatchObject({ kind: 'sent', id: 'RPT-1' });
  });

  it("a refused report is failed with the server's message, the others still go; retry puts it back", async () => {
    const store = memoryStore();
    await store.put(item('key-bad-00001', '2025-10-18T09:01:00.000Z'));
    await store.put(item('key-good-0001', '2025-10-18T09:02:00.000Z'));
    const s = fakeServer();
    const picky: Transport = { upload: s.transport.upload, submit: (b) => (b.idempotency_key === 'key-bad-00001' ? Promise.reject({ status: 400, code: 'VALIDATION_FAILED', message: 'the report is not valid' }) : s.transport.submit(b)) };
    expect(await flushQueue(store, picky, { owner: 'monitor1', now })).toEqual({ kind: 'done', sent: 1, failed: 1 });
    const bad = (await store.all()).find((i) => i.key === 'key-bad-00001')!;
    expect(bad.state).toEqual({ kind: 'failed', code: 'VALIDATION_FAILED', message: 'the report is not valid' });
    // Failed reports are not retried on their own…
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect(s.reports.has('key-bad-00001')).toBe(false);
    // …only when the monitor asks.
    await retryItem(store, 'key-bad-00001');
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect((await store.all()).find((i) => i.key === 'key-bad-00001')!.state).toMatchObject({ kind: 'sent' });
  });

  it("sends only the signed-in monitor's reports from a shared phone", async () => {
    const store = memoryStore();
    await store.put(item('key-mine-0001'));
    await store.put({ ...item('key-other-001'), owner: 'monitor2' });
    const s = fakeServer();
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect([...s.reports.keys()]).toEqual(['key-mine-0001']);
    expect((await store.all()).find((i) => i.key === 'key-other-001')!.state.kind).toBe('queued');
  });

  it('signed out (401) or without a CSRF token: the report keeps waiting, it is not failed', async () => {
    for (const refusal of [{ status: 401, code: 'UNAUTHENTICATED', message: 'sign in first' }, { status: 403, code: 'CSRF_FAILED', message: 'missing X-CSRF-Token' }]) {
      const store = memoryStore();
      await store.put(item('key-signed-out'));
      const r = await flushQueue(store, { upload: () => Promise.reject(refusal), submit: () => Promise.reject(refusal) }, { owner: 'monitor1', now });
      expect(r).toMatchObject({ kind: 'waiting', error: { code: refusal.code } });
      expect((await store.all())[0]!.state).toEqual({ kind: 'queued' });
    }
    // Any other 403 is the server's answer for good.
    const store = memoryStore();
    await store.put(item('key-forbidden1'));
    await flushQueue(store, { upload: () => Promise.reject(new Error('unused')), submit: () => Promise.reject({ status: 403, code: 'FORBIDDEN', message: 'this account is not registered as an active monitor' }) }, { owner: 'monitor1', now });
    expect((await store.all())[0]!.state).toEqual({ kind: 'failed', code: 'FORBIDDEN', message: 'this account is not registered as an active monitor' });
  });

  it('a report left "sending" by a closed tab is sent again', async () => {
    const store = memoryStore();
    await store.put({ ...item('key-stuck-001'), state: { kind: 'sending' } });
    const s = fakeServer();
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    expect(s.reports.size).toBe(1);
  });

  it('uploads files first, cites them with the original digest, and drops the bytes once sent', async () => {
    const photo = photoWithGps();
    const p = prepareFile('IMG_0001.jpg', 'image/jpeg', photo, false);
    expect(p).toMatchObject({ ok: true, hadLocation: true, stripped: true, checked: true });
    if (!p.ok) return;
    expect(p.file.original_sha256).toBe(sha256Hex(photo));
    expect(p.file.sha256).not.toBe(p.file.original_sha256);
    const store = memoryStore();
    await store.put(item('key-photo-001', undefined, [p.file]));
    const s = fakeServer();
    await flushQueue(store, s.transport, { owner: 'monitor1', now });
    const uploaded = s.files.get(p.file.sha256)!;
    expect(hasGpsLocation(uploaded)).toBe(false);
    expect(s.reports.get('key-photo-001')!.body.evidence).toEqual([{ sha256: p.file.sha256, original_sha256: sha256Hex(photo), location_kept: false }]);
    const after = (await store.all())[0]!;
    expect(after.files[0]).toMatchObject({ uploaded: true, bytes: null });
  });

  it('keeps the location only when asked; refuses a damaged JPEG it cannot strip, unless kept', () => {
    const photo = photoWithGps();
    const kept = prepareFile('a.jpg', 'image/jpeg', photo, true);
    expect(kept).toMatchObject({ ok: true, stripped: false, file: { location_kept: true, sha256: sha256Hex(photo), original_sha256: sha256Hex(photo) } });
    const damaged = photo.subarray(0, 40);
    expect(prepareFile('b.jpg', 'image/jpeg', damaged, false)).toEqual({ ok: false, reason: 'cannot-strip' });
    expect(prepareFile('b.jpg', 'image/jpeg', damaged, true)).toMatchObject({ ok: true });
    expect(prepareFile('c.txt', '', new TextEncoder().encode('notes'), false)).toMatchObject({ ok: true, checked: false, file: { type: 'application/octet-stream' } });
    expect(prepareFile('d', '', new Uint8Array(0), false)).toEqual({ ok: false, reason: 'empty' });
  });

  it('a file stored under another digest fails the report instead of citing the wrong file', async () => {
    const p = prepareFile('x.jpg', 'image/jpeg', photoWithGps(), false);
    if (!p.ok) throw new Error('prepare');
    const store = memoryStore();
    await store.put(item('key-swap-0001', undefined, [p.file]));
    const s = fakeServer();
    const swapped: Transport = { upload: async () => ({ sha256: '0'.repeat(64) }), submit: s.transport.submit };
    await flushQueue(store, swapped, { owner: 'monitor1', now });
    expect((await store.all())[0]!.state).toMatchObject({ kind: 'failed', code: 'DIGEST_MISMATCH' });
    expect(s.reports.size).toBe(0);
  });

  it('keeps at most the 20 most recent sent reports', async () => {
    const store = memoryStore();
    for (let i = 0; i < 25; i++) await store.put({ ...item(`key-sent-${String(i).padStart(4, '0')}`, `2025-10-18T09:${String(i).padStart(2, '0')}:00.000Z`), state: { kind: 'sent', id: `RPT-${i}`, number: i, at: now() } });
    await store.put(item('key-waiting-1', '2025-10-18T08:00:00.000Z'));
    await pruneSent(store);
    const left = await store.all();
    expect(left).toHaveLength(21);
    expect(left.some((i) => i.key === 'key-sent-0004')).toBe(false);
    expect(left.some((i) => i.key === 'key-waiting-1')).toBe(true);
  });
});

describe('migrating the old localStorage queue', () => {
  const storage = (value: string | null) => {
    const m = new Map<string, string>(value === null ? [] : [[LEGACY_QUEUE_KEY, value]]);
    return { getItem: (k: string) => m.get(k) ?? null, removeItem: (k: string) => void m.delete(k), has: () => m.has(LEGACY_QUEUE_KEY) };
  };

  it('moves each report once, keyed by its idempotency key, then removes the old key', async () => {
    const old = [{ body: body('legacy-00001'), queued_at: '2025-10-17T08:00:00.000Z' }, { body: body('legacy-00002'), queued_at: '2025-10-17T09:00:00.000Z' }, { nonsense: true }, 7];
    const ls = storage(JSON.stringify(old));
    const store = memoryStore();
    await store.put({ ...item('legacy-00002'), state: { kind: 'sent', id: 'RPT-9', number: 9, at: now() } });
    expect(await migrateLegacyQueue(ls, store, 'monitor1', now)).toBe(1);
    expect(ls.has()).toBe(false);
    const items = await store.all();
    expect(items.find((i) => i.key === 'legacy-00001')).toMatchObject({ owner: 'monitor1', queued_at: '2025-10-17T08:00:00.000Z', state: { kind: 'queued' }, files: [] });
    // Already known (sent) under the same key: not queued again.
    expect(items.find((i) => i.key === 'legacy-00002')!.state.kind).toBe('sent');
    expect(await migrateLegacyQueue(ls, store, 'monitor1', now)).toBe(0);
  });

  it('survives a damaged old queue', async () => {
    const ls = storage('{not json');
    expect(await migrateLegacyQueue(ls, memoryStore(), 'monitor1', now)).toBe(0);
    expect(ls.has()).toBe(false);
  });
});

describe('exactly once, whatever the network does', () => {
  it('any pattern of failures before and after the server stores: each report stored once, all eventually sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.constantFrom('ok', 'down', 'lost'), { minLength: 1, maxLength: 30 }), async (n, weather) => {
        const store = memoryStore();
        for (let i = 0; i < n; i++) await store.put(item(`prop-key-${i}`, `2025-10-18T09:0${i}:00.000Z`));
        const s = fakeServer();
        let step = 0;
        const net: Transport = {
          upload: s.transport.upload,
          submit: async (b) => {
            const w = weather[step++ % weather.length];
            if (w === 'down') throw offline;
            const r = await s.transport.submit(b);
            if (w === 'lost') throw offline;
            return r;
          },
        };
        for (let round = 0; round < 200 && (await store.all()).some((i) => i.state.kind !== 'sent'); round++) {
          await flushQueue(store, weather.every((w) => w !== 'ok') && round > 50 ? s.transport : net, { owner: 'monitor1', now });
        }
        expect(s.reports.size).toBe(n);
        expect((await store.all()).every((i) => i.state.kind === 'sent')).toBe(true);
        const ids = (await store.all()).map((i) => (i.state.kind === 'sent' ? i.state.id : ''));
        expect(new Set(ids).size).toBe(n);
      }),
      { numRuns: 150 },
    );
  });
});
