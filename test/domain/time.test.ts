import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localToUtcMs, overlaps, resolveOccurred, TimeError, zoneOffsetMs } from '../../src/domain/time.js';

describe('resolveOccurred', () => {
  it('reads an exact local minute in Kabul (UTC+4:30) as the minute starting then', () => {
    const o = resolveOccurred({ local: '2025-10-15T17:30', zone: 'Asia/Kabul', precision: 'exact' });
    expect(o.from).toBe('2025-10-15T13:00:00.000Z');
    expect(o.to).toBe('2025-10-15T13:01:00.000Z');
    expect(o.precision).toBe('exact');
  });

  it('reads the truce start in Pakistan time (UTC+5)', () => {
    const o = resolveOccurred({ local: '2025-10-15T18:00', zone: 'Asia/Karachi', precision: 'exact' });
    expect(o.from).toBe('2025-10-15T13:00:00.000Z');
  });

  it('reads a local day as [00:00, 24:00) in that zone', () => {
    const o = resolveOccurred({ local: '2025-10-17', zone: 'Asia/Kabul', precision: 'day' });
    expect(o).toMatchObject({ from: '2025-10-16T19:30:00.000Z', to: '2025-10-17T19:30:00.000Z', precision: 'day' });
  });

  it('reads a local month, including the year boundary', () => {
    expect(resolveOccurred({ local: '2025-12', zone: 'Asia/Karachi', precision: 'month' })).toMatchObject({
      from: '2025-11-30T19:00:00.000Z',
      to: '2025-12-31T19:00:00.000Z',
    });
  });

  it('reads a local range as half-open', () => {
    const o = resolveOccurred({ local_from: '2025-10-17T17:00', local_to: '2025-10-17T23:00', zone: 'Asia/Kabul' });
    expect(o).toMatchObject({ from: '2025-10-17T12:30:00.000Z', to: '2025-10-17T18:30:00.000Z', precision: 'range' });
  });

  it('keeps the stated form for display', () => {
    const stated = { local: '2025-10-09', zone: 'Asia/Kabul', precision: 'day' as const };
    expect(resolveOccurred(stated).stated).toEqual(stated);
  });

  it('accepts a UTC interval and normalises offsets', () => {
    expect(resolveOccurred({ from: '2025-10-19T18:00:00+05:00', to: '2025-10-19T14:00:00Z' })).toMatchObject({
      from: '2025-10-19T13:00:00.000Z',
      to: '2025-10-19T14:00:00.000Z',
    });
  });

  it.each([
    [{ from: '2025-10-19T14:00:00Z', to: '2025-10-19T14:00:00Z' }, 'to'],
    [{ local: '2025-02-30', zone: 'Asia/Kabul', precision: 'day' as const }, 'local'],
    [{ local: '2025-10-15', zone: 'Asia/Kabul', precision: 'exact' as const }, 'local'],
    [{ local: '2025-10-15T24:10', zone: 'Asia/Kabul', precision: 'exact' as const }, 'local'],
    [{ local_from: '2025-10-17T23:00', local_to: '2025-10-17T17:00', zone: 'Asia/Kabul' }, 'local_to'],
  ])('rejects %j at its field', (input, field) => {
    try {
      resolveOccurred(input);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TimeError);
      expect((e as TimeError).path).toEqual([field]);
    }
  });

  it('round-trips local times through UTC for both zones (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('Asia/Kabul', 'Asia/Karachi', 'UTC', 'Europe/Istanbul'),
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2040-01-01T00:00:00Z'), noInvalidDate: true }),
        (zone, d) => {
          const ms = Math.floor(d.getTime() / 60_000) * 60_000;
          const local = new Date(ms + zoneOffsetMs(zone, ms));
          const back = localToUtcMs(zone, local.getUTCFullYear(), local.getUTCMonth() + 1, local.getUTCDate(), local.getUTCHours(), local.getUTCMinutes());
          // Only the hour repeated by a DST fall-back may map to its earlier twin.
          expect(Math.abs(back - ms) === 0 || Math.abs(back - ms) === 3_600_000).toBe(true);
        },
      ),
    );
  });
});

describe('overlaps (half-open)', () => {
  it('treats touching intervals as disjoint and open ends as infinite', () => {
    expect(overlaps('2025-10-15T13:00:00Z', '2025-10-17T13:00:00Z', '2025-10-17T13:00:00Z', null)).toBe(false);
    expect(overlaps('2025-10-15T13:00:00Z', '2025-10-17T13:00:01Z', '2025-10-17T13:00:00Z', null)).toBe(true);
  });
});
