import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LedgerError,
  TILE_WIDTH,
  decodeEntryBundle,
  decodeTile,
  encodeEntryBundle,
  encodeTile,
  formatTilePath,
  hashLeaf,
  parseTilePath,
  partialTileWidth,
  rootFromLeafHashes,
  tileLeafRange,
  tileNodes,
  tilesForSize,
} from '../../src/ledger/index.js';
import type { TilePath } from '../../src/ledger/index.js';
import { nodeCrypto } from '../../src/ledger/node-crypto.js';
import { utf8, codeOf } from './fixtures.js';


describe('tile paths (c2sp.org/tlog-tiles)', () => {
  it('writes the spec examples', () => {
    expect(formatTilePath({ kind: 'hashes', level: 0, index: 1234067, width: 256 })).toBe('tile/0/x001/x234/067');
    expect(formatTilePath({ kind: 'hashes', level: 1, index: 1, width: 17 })).toBe('tile/1/001.p/17');
    expect(formatTilePath({ kind: 'entries', index: 0, width: 256 })).toBe('tile/entries/000');
    expect(formatTilePath({ kind: 'entries', index: 1000, width: 3 })).toBe('tile/entries/x001/000.p/3');
    expect(formatTilePath({ kind: 'hashes', level: 63, index: 2 ** 53 - 1, width: 1 })).toBe('tile/63/x009/x007/x199/x254/x740/991.p/1');
  });

  it('parses what it writes, for any tile', () => {
    const tile = fc.oneof(
      fc.record({ kind: fc.constant('hashes' as const), level: fc.integer({ min: 0, max: 63 }), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) }),
      fc.record({ kind: fc.constant('entries' as const), index: fc.maxSafeNat(), width: fc.integer({ min: 1, max: 256 }) }),
    );
    fc.assert(
      fc.property(tile, (t: TilePath) => {
        expect(parseTilePath(formatTilePath(t))).toEqual(t);
      }),
    );
  });

  it('rejects hostile and non-canonical paths (path traversal, aliasing, cache poisoning)', () => {
    for (const bad of [
      '',
      'tile',
      'tile/',
      '/tile/0/000',
      'tile/0/000/',
      'tile/0/0',
      'tile/0/0000',
      'tile/00/000',
      'tile/01/000',
      'tile/64/000',
      'tile/-1/000',
      'tile/0/x000/001', // alias of tile/0/001
      'tile/0/001/x002', // x on the last group
      'tile/0/x1/001',
      'tile/0/X001/001',
      'tile/0/000.p/0',
      'tile/0/000.p/256', // a full tile is never .p/256
      'tile/0/000.p/007',
      'tile/0/000.p/',
      'tile/0/000.p/1/',
      'tile/0/000.P/1',
      'tile/entries/000.p/1000',
      'tile/entry/000',
      'tile/0/../000',
      'tile/0/./000',
      'tile/0//000',
      'tile\\0\\000',
      'tile/0/%30%30%30',
      'tile/0/000\n',
      'tile/0/000?x=1',
      'tile/0/x010/x000/x000/x000/x000/x000/000', // 10^21: past 2^53
      'tile/0/x999/x999/x999/x999/x999/999',
      'tile/0/００１', // full-width digits
      'tile/0/' + 'x001/'.repeat(40) + '000',
    ]) {
      expect(codeOf(() => parseTilePath(bad)), JSON.stringify(bad)).toBe('MALFORMED_TILE_PATH');
    }
  });

  it('never throws anything but LedgerError on random strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string().map((s) => 'tile/' + s), fc.stringMatching(/^tile\/[0-9a-z]{1,8}\/[x0-9/.p]{0,30}$/)), (s) => {
        try {
          parseTilePath(s);
        } catch (e) {
          expect(e).toBeInstanceOf(LedgerError);
        }
      }),
      { numRuns: 800 },
    );
  });
});

describe('tiles of a tree', () => {
  it('lists the tiles of size 70000 exactly as the spec does', () => {
    const paths = tilesForSize(70000).map(formatTilePath);
    const hashTiles = paths.filter((p) => !p.startsWith('tile/entries/'));
    const level0 = hashTiles.filter((p) => p.startsWith('tile/0/'));
    expect(level0.filter((p) => !p.includes('.p/'))).toHaveLength(273);
    expect(level0.filter((p) => p.includes('.p/'))).toEqual(['tile/0/273.p/112']);
    expect(hashTiles.filter((p) => !p.startsWith('tile/0/'))).toEqual(['tile/1/000', 'tile/1/001.p/17', 'tile/2/000.p/1']);
    expect(paths.filter((p) => p.startsWith('tile/entries/'))).toHaveLength(274);
    expect(partialTileWidth(70000, 0)).toBe(112);
    expect(partialTileWidth(70000, 1)).toBe(17);
    expect(partialTileWidth(70000, 2)).toBe(1);
    expect(partialTileWidth(70000, 3)).toBe(0);
  });

  it('has a full level-0 tile and a level-1 partial tile of width 1 at size 256, and nothing at size 0', () => {
    expect(tilesForSize(256).map(formatTilePath)).toEqual(['tile/0/000', 'tile/entries/000', 'tile/1/000.p/1']);
    expect(tilesForSize(0)).toEqual([]);
  });

  it('maps tile hashes to Merkle nodes of level 8L: a level-1 hash is the root of 256 leaves', () => {
    expect(tileNodes(0, 2, 3)).toEqual([{ level: 0, index: 512 }, { level: 0, index: 513 }, { level: 0, index: 514 }]);
    expect(tileNodes(2, 1, 1)).toEqual([{ level: 16, index: 256 }]);
    expect(tileLeafRange({ kind: 'hashes', level: 1, index: 1, width: 17 })).toEqual({ start: 65536, end: 65536 + 17 * 256 });
    const leaves = Array.from({ length: 512 }, (_, i) => hashLeaf(nodeCrypto, utf8(String(i))));
    const level1 = [rootFromLeafHashes(nodeCrypto, leaves.slice(0, 256)), rootFromLeafHashes(nodeCrypto, leaves.slice(256))];
    expect(rootFromLeafHashes(nodeCrypto, level1)).toEqual(rootFromLeafHashes(nodeCrypto, leaves));
  });
});

describe('tile and bundle contents', () => {
  const h = (i: number) => hashLeaf(nodeCrypto, utf8(String(i)));

  it('round-trips tiles and checks their width', () => {
    const hashes = Array.from({ length: 5 }, (_, i) => h(i));
    const bytes = encodeTile(hashes);
    expect(bytes).toHaveLength(160);
    expect(decodeTile(bytes, 5)).toEqual(hashes);
    expect(codeOf(() => decodeTile(bytes, 6))).toBe('MALFORMED_TILE');
    expect(codeOf(() => decodeTile(bytes.subarray(1)))).toBe('MALFORMED_TILE'); // truncated hash
    expect(codeOf(() => decodeTile(new Uint8Array(0)))).toBe('MALFORMED_TILE');
    expect(codeOf(() => decodeTile(new Uint8Array(257 * 32)))).toBe('MALFORMED_TILE');
    expect(encodeTile(Array.from({ length: 256 }, (_, i) => h(i)))).toHaveLength(8192);
  });

  it('round-trips entry bundles with uint16 big-endian lengths', () => {
    const entries = [new Uint8Array(0), utf8('abc'), new Uint8Array(65535).fill(7)];
    const bytes = encodeEntryBundle(entries);
    expect([...bytes.subarray(0, 7)]).toEqual([0, 0, 0, 3, 97, 98, 99]);
    expect(bytes[7]).toBe(0xff);
    expect(bytes[8]).toBe(0xff);
    expect(decodeEntryBundle(bytes, 3)).toEqual(entries);
  });

  it('refuses an entry of 65536 bytes (it cannot be length-prefixed)', () => {
    expect(codeOf(() => encodeEntryBundle([new Uint8Array(65536)]))).toBe('ENTRY_TOO_LARGE');
  });

  it('rejects truncated, padded, over-full and mis-sized bundles', () => {
    const bytes = encodeEntryBundle([utf8('one'), utf8('two')]);
    expect(codeOf(() => decodeEntryBundle(bytes.subarray(0, bytes.length - 1)))).toBe('MALFORMED_ENTRY_BUNDLE');
    expect(codeOf(() => decodeEntryBundle(Uint8Array.from([...bytes, 0])))).toBe('MALFORMED_ENTRY_BUNDLE');
    expect(codeOf(() => decodeEntryBundle(bytes, 3))).toBe('MALFORMED_ENTRY_BUNDLE');
    expect(codeOf(() => decodeEntryBundle(new Uint8Array(0)))).toBe('MALFORMED_ENTRY_BUNDLE');
    expect(codeOf(() => decodeEntryBundle(new Uint8Array(2 * (TILE_WIDTH + 1))))).toBe('MALFORMED_ENTRY_BUNDLE'); // 257 empty entries
  });

  it('never throws anything but LedgerError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.option(fc.integer({ min: 0, max: 300 }), { nil: undefined }), (b, w) => {
        for (const fn of [() => decodeEntryBundle(b, w), () => decodeTile(b, w)]) {
          try {
            fn();
          } catch (e) {
            expect(e).toBeInstanceOf(LedgerError);
          }
        }
      }),
      { numRuns: 400 },
    );
  });
});
