import { describe, expect, it } from 'vitest';
import { warningView } from '../../src/app/warning.js';
import { runWarning, storedAlerts } from '../../src/app/warning-alerts.js';
import { ANONYMOUS, SYSTEM } from '../../src/domain/principal.js';
import type { StoreKind } from '../support/app.js';
import { makeTestApp } from '../support/app.js';
import { postgresAvailable } from '../support/env.js';

// The use cases read through Kysely only; the same answers on both stores.
describe.each<StoreKind>(['sqlite', 'postgres'])('warning use cases on %s', (kind) => {
  it('finds the same chains and scopes the events to the caller', async (ctx) => {
    if (kind === 'postgres' && !(await postgresAvailable())) return ctx.skip();
    const t = await makeTestApp(kind, { places: false });
    try {
      const asOf = '2025-11-15T00:00:00Z';
      const all = await warningView(t.app, SYSTEM, { asOf });
      const pub = await warningView(t.app, ANONYMOUS, { asOf });
      expect(all.chains.map((c) => c.length)).toEqual([3, 2]);
      // Ten violent incidents; the talks, agreements and the `parties`-only report of TTP camps are not attacks.
      expect(all.events).toBe(10);
      expect(pub.events).toBe(10);
      expect(pub.chains).toEqual(all.chains);
    } finally {
      await t.close();
    }
  });

  it('stores each alert once (0008_alerts) and scopes the stored alerts', async (ctx) => {
    if (kind === 'postgres' && !(await postgresAvailable())) return ctx.skip();
    const t = await makeTestApp(kind, { places: false });
    try {
      const first = await runWarning(t.app, { asOf: '2025-10-16T00:00:00Z', webhook: null });
      expect(first.stored.length).toBe(first.computed);
      expect((await runWarning(t.app, { asOf: '2025-10-16T00:00:00Z', webhook: null })).stored).toEqual([]);
      const all = await storedAlerts(t.app, SYSTEM);
      expect(all.map((a) => a.id).sort()).toEqual([...first.stored].sort());
      expect((await storedAlerts(t.app, ANONYMOUS)).every((a) => a.visibility === 'public')).toBe(true);
    } finally {
      await t.close();
    }
  });
});
