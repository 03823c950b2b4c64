// Location metadata in JPEG photos, removed on the phone before upload.
//
// What is removed: every APP1 segment (Exif, which holds the GPS IFD, and XMP, which can repeat
// the position as exif:GPSLatitude) and every APP13 segment (Photoshop/IPTC, which can name the
// city and sub-location). Removing the whole segments, rather than only the GPS IFD inside the
// Exif TIFF structure, is deliberate: cutting one IFD means rewriting offsets in a structure the
// phone's camera (or an attacker) wrote, and maker notes can hold positions we cannot parse. The
// original's SHA-256 is recorded with the report, so nothing of provenance is lost by it.
// What is kept: everything else, byte for byte (JFIF, ICC profile, quantisation and Huffman
// tables, the image data); and the Exif Orientation, re-written as a minimal Exif segment of its
// own, so a portrait photo is not shown on its side.
//
// JPEG markers: ITU-T T.81 (ISO/IEC 10918-1) Annex B; Exif 2.32 (CIPA DC-008) §4.5 and §4.6.

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;
const APP1 = 0xe1;
const APP13 = 0xed;
const TAG_ORIENTATION = 0x0112;
const TAG_GPS_IFD = 0x8825;

export type StripResult =
  /** Location segments were found and removed (`removed` segments). */
  | { readonly kind: 'stripped'; readonly bytes: Uint8Array; readonly removed: number }
  /** A file of the format without any of those segments: the bytes are the original. */
  | { readonly kind: 'clean'; readonly bytes: Uint8Array }
  /** Not the format this function strips: returned unchanged; the caller decides. */
  | { readonly kind: 'other-format'; readonly bytes: Uint8Array }
  /** Starts like the format but a segment runs past the end: unchanged, and the location may remain. */
  | { readonly kind: 'malformed'; readonly bytes: Uint8Array; readonly at: number };

export interface Segment {
  /** The marker byte after 0xFF. */
  readonly marker: number;
  /** Offset of the 0xFF that starts it. */
  readonly start: number;
  /** Offset just past it (past its length-counted payload; for SOS, past the whole scan to the end). */
  readonly end: number;
}

export type WalkResult = { readonly ok: true; readonly segments: readonly Segment[] } | { readonly ok: false; readonly at: number };

export const isJpeg = (b: Uint8Array): boolean => b.length >= 2 && b[0] === 0xff && b[1] === SOI;
const standalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

/**
 * The marker segments from SOI to the start of the scan (SOS, which runs to the end of the
 * file) or EOI. Every length is checked against the buffer: the bytes are the monitor's, but a
 * file picked on a phone can be anything.
 */
export function walkJpeg(b: Uint8Array): WalkResult {
  if (!isJpeg(b)) return { ok: false, at: 0 };
  const segments: Segment[] = [{ marker: SOI, start: 0, end: 2 }];
  let pos = 2;
  while (pos < b.length) {
    if (b[pos] !== 0xff) return { ok: false, at: pos };
    const start = pos;
    // Fill bytes: any number of 0xFF before a marker (T.81 B.1.1.2).
    while (pos < b.length && b[pos] === 0xff) pos++;
    if (pos >= b.length) return { ok: false, at: start };
    const marker = b[pos]!;
    pos++;
    if (marker === 0x00) return { ok: false, at: start };
    if (marker === EOI) {
      segments.push({ marker, start, end: pos });
      return { ok: true, segments };
    }
    if (standalone(marker)) {
      segments.push({ marker, start, end: pos });
      continue;
    }
    if (pos + 2 > b.length) return { ok: false, at: start };
    const length = (b[pos]! << 8) | b[pos + 1]!;
    if (length < 2 || pos + length > b.length) return { ok: false, at: start };
    if (marker === SOS) {
      segments.push({ marker, start, end: b.length });
      return { ok: true, segments };
    }
    pos += length;
    segments.push({ marker, start, end: pos });
  }
  return { ok: true, segments };
}

const EXIF_ID = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00]; // "Exif\0\0"
const XMP_ID = 'http://ns.adobe.com/xap/1.0/\u0000';

function startsWith(b: Uint8Array, at: number, prefix: readonly number[]): boolean {
  if (at + prefix.length > b.length) return false;
  return prefix.every((x, i) => b[at + i] === x);
}

/** The tag → value/offset entries of IFD0 in an Exif segment's TIFF structure, or null if malformed. */
function ifd0(b: Uint8Array, seg: Segment): { entries: Map<number, { type: number; value: number }>; little: boolean } | null {
  const tiff = seg.start + 4 + EXIF_ID.length;
  if (!startsWith(b, seg.start + 4, EXIF_ID) || tiff + 8 > seg.end) return null;
  const little = b[tiff] === 0x49 && b[tiff + 1] === 0x49;
  const big = b[tiff] === 0x4d && b[tiff + 1] === 0x4d;
  if (!little && !big) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const u16 = (at: number) => view.getUint16(at, little);
  const u32 = (at: number) => view.getUint32(at, little);
  if (u16(tiff + 2) !== 42) return null;
  const at = tiff + u32(tiff + 4);
  if (at + 2 > seg.end) return null;
  const count = u16(at);
  if (at + 2 + count * 12 > seg.end) return null;
  const entries = new Map<number, { type: number; value: number }>();
  for (let i = 0; i < count; i++) {
    const e = at + 2 + i * 12;
    const type = u16(e + 2);
    // A SHORT value sits in the first two bytes of the value field.
    entries.set(u16(e), { type, value: type === 3 ? u16(e + 8) : u32(e + 8) });
  }
  return { entries, little };
}

function latin1(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!);
  return s;
}

/** Whether the photo states where it was taken: an Exif GPS IFD, or GPS fields in XMP. */
export function hasGpsLocation(b: Uint8Array): boolean {
  const w = walkJpeg(b);
  if (!w.ok) return false;
  return w.segments.some((seg) => {
    if (seg.marker !== APP1) return false;
    if (ifd0(b, seg)?.entries.has(TAG_GPS_IFD)) return true;
    const head = latin1(b, seg.start + 4, Math.min(seg.end, seg.start + 4 + XMP_ID.length));
    return head === XMP_ID && /GPS(Latitude|Longitude)/.test(latin1(b, seg.start + 4, seg.end));
  });
}

/** The Exif orientation (1–8) of a JPEG, or null. */
export function exifOrientation(b: Uint8Array): number | null {
  const w = walkJpeg(b);
  if (!w.ok) return null;
  for (const seg of w.segments) {
    if (seg.marker !== APP1) continue;
    const o = ifd0(b, seg)?.entries.get(TAG_ORIENTATION);
    if (o && o.type === 3 && o.value >= 1 && o.value <= 8) return o.value;
  }
  return null;
}

/** An APP1 Exif segment holding one tag, Orientation (big-endian TIFF, IFD0 with one entry). */
export function orientationSegment(orientation: number): Uint8Array {
  const body = [
    ...EXIF_ID,
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08, // TIFF header, IFD0 at 8
    0x00, 0x01, // one entry
    0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, (orientation >> 8) & 0xff, orientation & 0xff, 0x00, 0x00, // Orientation, SHORT, 1
    0x00, 0x00, 0x00, 0x00, // no next IFD
  ];
  const length = body.length + 2;
  return Uint8Array.from([0xff, APP1, length >> 8, length & 0xff, ...body]);
}

/**
 * Remove location metadata from a JPEG (see the top of this file for exactly what). Never throws;
 * a result other than `stripped` or `clean` means the bytes are unchanged.
 */
export function stripJpegLocation(b: Uint8Array): StripResult {
  const w = walkJpeg(b);
  if (!w.ok) return isJpeg(b) ? { kind: 'malformed', bytes: b, at: w.at } : { kind: 'other-format', bytes: b };
  const drop = w.segments.filter((s) => s.marker === APP1 || s.marker === APP13);
  if (drop.length === 0) return { kind: 'clean', bytes: b };
  const orientation = exifOrientation(b);
  const keep = w.segments.filter((s) => s.marker !== APP1 && s.marker !== APP13);
  const chunks = keep.map((s) => b.subarray(s.start, s.end));
  if (orientation !== null && orientation !== 1) {
    // Right after SOI and any JFIF APP0 segments, where readers look for Exif.
    let i = 1;
    while (i < keep.length && keep[i]!.marker === 0xe0) i++;
    chunks.splice(i, 0, orientationSegment(orientation));
  }
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return { kind: 'stripped', bytes: out, removed: drop.length };
}
