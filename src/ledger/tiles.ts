// C2SP tlog-tiles (c2sp.org/tlog-tiles): tile paths, tile contents and entry bundles.
// Tiles are always 2^8 = 256 hashes wide.
import { concatBytes, isUint } from './bytes.js';
import { LedgerError } from './errors.js';
import { HASH_SIZE } from './merkle.js';
import type { NodeId } from './proof-plan.js';

export const TILE_HEIGHT = 8;
export const TILE_WIDTH = 256;
/** An entry bundle stores each entry behind a big-endian uint16 length. */
export const MAX_ENTRY_SIZE = 0xffff;

/** A Merkle tile (`tile/<L>/<N>[.p/<W>]`) or an entry bundle (`tile/entries/<N>[.p/<W>]`). `width` is 256 for a full tile. */
export type TilePath =
  | { readonly kind: 'hashes'; readonly level: number; readonly index: number; readonly width: number }
  | { readonly kind: 'entries'; readonly index: number; readonly width: number };

/** Tile levels the spec allows (0..63); with sizes below 2^53 only 0..6 can ever be non-empty. */
export const MAX_TILE_LEVEL = 63;

// tlog-tiles §Merkle Tree: N as zero-padded 3-digit path elements, all but the last prefixed with "x"
// (1234067 -> x001/x234/067); ".p/<W>" only for partial tiles.
export function formatTilePath(tile: TilePath): string {
  checkTile(tile);
  const head = tile.kind === 'entries' ? 'tile/entries/' : `tile/${tile.level}/`;
  return head + formatTileIndex(tile.index) + (tile.width < TILE_WIDTH ? `.p/${tile.width}` : '');
}

function formatTileIndex(n: number): string {
  let s = String(n % 1000).padStart(3, '0');
  for (let rest = Math.floor(n / 1000); rest > 0; rest = Math.floor(rest / 1000)) {
    s = `x${String(rest % 1000).padStart(3, '0')}/${s}`;
  }
  return s;
}

// The grammar accepts exactly the canonical form formatTilePath writes, so
// each tile has one path: no leading zeros in L or W, no "x000" leading groups,
// no ".p/256", no empty, "." or ".." segments, no percent-escapes or
// backslashes (a path is attacker input that may reach a file system or cache).
const TILE_PATH = /^tile\/(entries|0|[1-9][0-9]?)\/((?:x[0-9]{3}\/)*)([0-9]{3})(?:\.p\/([1-9][0-9]{0,2}))?$/;

/** Parses `tile/...` (relative to the log prefix); throws MALFORMED_TILE_PATH for anything not canonical. */
export function parseTilePath(path: string): TilePath {
  if (typeof path !== 'string' || path.length > 128) throw new LedgerError('MALFORMED_TILE_PATH', 'not a tile path');
  const m = TILE_PATH.exec(path);
  if (m === null) throw new LedgerError('MALFORMED_TILE_PATH', 'not a canonical tile path');
  const [, levelText, groupsText, lastGroup, widthText] = m as unknown as [string, string, string, string, string | undefined];
  const groups = groupsText === '' ? [] : groupsText.slice(0, -1).split('/').map((g) => g.slice(1));
  if (groups.length > 0 && groups[0] === '000') throw new LedgerError('MALFORMED_TILE_PATH', 'tile index has a leading zero group');
  if (groups.length > 5) throw new LedgerError('MALFORMED_TILE_PATH', 'tile index is too large');
  let index = 0;
  for (const g of [...groups, lastGroup]) index = index * 1000 + Number(g);
  if (!Number.isSafeInteger(index)) throw new LedgerError('MALFORMED_TILE_PATH', 'tile index is too large');
  let width = TILE_WIDTH;
  if (widthText !== undefined) {
    width = Number(widthText);
    if (width >= TILE_WIDTH) throw new LedgerError('MALFORMED_TILE_PATH', 'a partial tile has 1 to 255 hashes');
  }
  if (levelText === 'entries') return { kind: 'entries', index, width };
  const level = Number(levelText);
  if (level > MAX_TILE_LEVEL) throw new LedgerError('MALFORMED_TILE_PATH', 'tile level is above 63');
  return { kind: 'hashes', level, index, width };
}

// tlog-tiles §Partial Tiles: "The partial tile at level l for a tree of size s has floor(s / 256**l) mod 256 entries."
export function partialTileWidth(size: number, level: number): number {
  checkUint(size, 'size');
  checkUint(level, 'level');
  return Math.floor(size / TILE_WIDTH ** level) % TILE_WIDTH;
}

// tlog-tiles §Merkle Tree: hash i of tile n at level l is MTH(D[(n*256+i)*256^l : (n*256+i+1)*256^l]),
// which is the complete node at Merkle level 8l with index n*256+i.
/** The complete nodes whose hashes make up tile (level, index, width), in tile order. */
export function tileNodes(level: number, index: number, width: number): NodeId[] {
  checkUint(level, 'level');
  checkUint(index, 'index');
  if (!isUint(width) || width < 1 || width > TILE_WIDTH) throw new LedgerError('INVALID_ARGUMENT', 'tile width is 1..256');
  const out: NodeId[] = [];
  for (let i = 0; i < width; i++) out.push({ level: TILE_HEIGHT * level, index: index * TILE_WIDTH + i });
  return out;
}

/**
 * Every tile and entry bundle of the tree of `size` leaves: for each level, the
 * full tiles and the partial one (if its width is not 0), with the entry
 * bundles alongside level 0. Size 70000 gives 273 full level-0 tiles,
 * 0/273.p/112, 1/000, 1/001.p/17 and 2/000.p/1.
 */
export function tilesForSize(size: number): TilePath[] {
  checkUint(size, 'size');
  const out: TilePath[] = [];
  for (let level = 0; Math.floor(size / TILE_WIDTH ** level) > 0; level++) {
    const hashes = Math.floor(size / TILE_WIDTH ** level);
    const full = Math.floor(hashes / TILE_WIDTH);
    const partial = hashes % TILE_WIDTH;
    const widths: [number, number][] = [];
    for (let n = 0; n < full; n++) widths.push([n, TILE_WIDTH]);
    if (partial > 0) widths.push([full, partial]);
    for (const [index, width] of widths) {
      out.push({ kind: 'hashes', level, index, width });
      if (level === 0) out.push({ kind: 'entries', index, width });
    }
  }
  return out;
}

/** The leaves [start, end) a tile or bundle covers. */
export function tileLeafRange(tile: TilePath): { readonly start: number; readonly end: number } {
  const level = tile.kind === 'entries' ? 0 : tile.level;
  const per = TILE_WIDTH ** level;
  const start = tile.index * TILE_WIDTH * per;
  return { start, end: start + tile.width * per };
}

/** A tile's bytes: its hashes concatenated. */
export function encodeTile(hashes: readonly Uint8Array[]): Uint8Array {
  if (hashes.length < 1 || hashes.length > TILE_WIDTH) throw new LedgerError('INVALID_ARGUMENT', 'a tile has 1 to 256 hashes');
  for (const h of hashes) if (!(h instanceof Uint8Array) || h.length !== HASH_SIZE) throw new LedgerError('INVALID_ARGUMENT', 'tile hashes are 32 bytes');
  return concatBytes(...hashes);
}

/** Splits tile bytes into hashes; with `width`, the tile must hold exactly that many. */
export function decodeTile(bytes: Uint8Array, width?: number): Uint8Array[] {
  if (!(bytes instanceof Uint8Array) || bytes.length === 0 || bytes.length % HASH_SIZE !== 0 || bytes.length > TILE_WIDTH * HASH_SIZE) {
    throw new LedgerError('MALFORMED_TILE', 'a tile is 1 to 256 whole 32-byte hashes');
  }
  const n = bytes.length / HASH_SIZE;
  if (width !== undefined && n !== width) throw new LedgerError('MALFORMED_TILE', `tile has ${n} hashes, want ${width}`);
  const out: Uint8Array[] = [];
  for (let i = 0; i < n; i++) out.push(bytes.slice(i * HASH_SIZE, (i + 1) * HASH_SIZE));
  return out;
}

// tlog-tiles §Log entries: "Entry bundles are sequences of big-endian uint16 length-prefixed log entries."
export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
  if (entries.length < 1 || entries.length > TILE_WIDTH) throw new LedgerError('INVALID_ARGUMENT', 'a bundle has 1 to 256 entries');
  const parts: Uint8Array[] = [];
  for (const e of entries) {
    if (!(e instanceof Uint8Array)) throw new LedgerError('INVALID_ARGUMENT', 'entries are bytes');
    if (e.length > MAX_ENTRY_SIZE) throw new LedgerError('ENTRY_TOO_LARGE', `an entry in a bundle is at most ${MAX_ENTRY_SIZE} bytes`);
    parts.push(Uint8Array.of(e.length >>> 8, e.length & 0xff), e);
  }
  return concatBytes(...parts);
}

/** Parses an entry bundle strictly (no truncated record, no trailing bytes, 1..256 entries; exactly `width` if given). */
export function decodeEntryBundle(bytes: Uint8Array, width?: number): Uint8Array[] {
  if (!(bytes instanceof Uint8Array)) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', 'an entry bundle is bytes');
  const out: Uint8Array[] = [];
  let o = 0;
  while (o < bytes.length) {
    if (out.length === TILE_WIDTH) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', 'more than 256 entries');
    if (o + 2 > bytes.length) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', 'truncated length prefix');
    const len = (bytes[o]! << 8) | bytes[o + 1]!;
    o += 2;
    if (o + len > bytes.length) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', 'truncated entry');
    out.push(bytes.slice(o, o + len));
    o += len;
  }
  if (out.length === 0) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', 'empty bundle');
  if (width !== undefined && out.length !== width) throw new LedgerError('MALFORMED_ENTRY_BUNDLE', `bundle has ${out.length} entries, want ${width}`);
  return out;
}

function checkTile(tile: TilePath): void {
  checkUint(tile.index, 'tile index');
  if (!isUint(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) throw new LedgerError('INVALID_ARGUMENT', 'tile width is 1..256');
  if (tile.kind === 'hashes' && (!isUint(tile.level) || tile.level > MAX_TILE_LEVEL)) throw new LedgerError('INVALID_ARGUMENT', 'tile level is 0..63');
}

function checkUint(n: number, what: string): void {
  if (!isUint(n)) throw new LedgerError('INVALID_ARGUMENT', `${what} must be a non-negative safe integer`);
}
