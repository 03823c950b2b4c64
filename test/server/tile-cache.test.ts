import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fullTileOnce, ImmutableTileCache } from '../../src/server/tile-cache.js';

const bytes = (n: number, fill = 1) => new Uint8Array(n).fill(fill);

describe('the immutable tile cache', () => {
  it('never holds more than its byte bound, and returns what was last stored under a key', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }),
        fc.array(fc.tuple(fc.constantFrom('set', 'get'), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 700 })), { maxLength: 200 }),
        (max, ops) => {
          const cache = new ImmutableTileCache(max);
          const last = new Map<string, number>();
          for (const [op, k, n] of ops) {
            const key = `t/${k}`;
            if (op === 'set') {
              cache.set(key, bytes(n, k));
              if (n <= max) last.set(key, n);
            } else {
              const hit = cache.get(key);
              if (hit) expect(hit.length).toBe(last.get(key));
            }
            expect(cache.byteSize).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });

  it('evicts the least recently used first', () => {
    const cache = new ImmutableTileCache(30);
    cache.set('a', bytes(10));
    cache.set('b', bytes(10));
    cache.set('c', bytes(10));
    cache.get('a'); // now b is the oldest
    cache.set('d', bytes(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.get('c')).toBeDefined();
    expect(cache.get('d')).toBeDefined();
  });

  it('builds a full tile once and serves it from memory after', async () => {
    const cache = new ImmutableTileCache();
    let builds = 0;
    const build = async () => {
      builds++;
      return bytes(8192, 7);
    };
    const first = await fullTileOnce(cache, '0/0', build);
    const second = await fullTileOnce(cache, '0/0', build);
    expect(builds).toBe(1);
    expect(second).toBe(first);
  });
});
