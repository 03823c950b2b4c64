import { crc32, deflateSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { prepareFile } from '../../web/src/lib/evidence-file.js';
import { mayHoldLocation, stripLocation, stripPngMetadata, stripWebpMetadata } from '../../web/src/lib/image-metadata.js';

const ascii = (s: string) => Buffer.from(s, 'latin1');

function pngChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([ascii(type), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** A real 2×2 RGB PNG (zlib-compressed IDAT) with Exif, a text chunk and XMP around the image data. */
function pngWithMetadata(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0]);
  const rows = Buffer.from([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const exif = Buffer.concat([ascii('MM\u0000*'), Buffer.from([0, 0, 0, 8, 0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0])]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('eXIf', exif),
    pngChunk('tEXt', ascii('Comment\u0000taken near Barmal bazaar')),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('iTXt', ascii('XML:com.adobe.xmp\u0000\u0000\u0000\u0000\u0000<x:xmpmeta><exif:GPSLatitude>32,40.5N</exif:GPSLatitude></x:xmpmeta>')),
    pngChunk('IEND', new Uint8Array(0)),
  ]);
}

function pngChunkTypes(b: Uint8Array): { type: string; crcOk: boolean }[] {
  const buf = Buffer.from(b);
  const out: { type: string; crcOk: boolean }[] = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    const type = buf.toString('latin1', at + 4, at + 8);
    const crc = buf.readUInt32BE(at + 8 + len);
    out.push({ type, crcOk: (crc32(buf.subarray(at + 4, at + 8 + len)) >>> 0) === crc });
    at += 12 + len;
  }
  return out;
}

function webpChunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
}

/** An extended WebP: VP8X (alpha, Exif and XMP flagged), a lossless image chunk of odd size, EXIF and XMP. */
function webpWithMetadata(): Buffer {
  const vp8x = Buffer.from([0x10 | 0x08 | 0x04, 0, 0, 0, 1, 0, 0, 1, 0, 0]);
  const body = Buffer.concat([
    webpChunk('VP8X', vp8x),
    webpChunk('VP8L', Buffer.from([0x2f, 1, 0, 0, 0x10, 7, 0x10, 0x11, 0x11, 0x88, 0x88, 0xfe, 7, 0])),
    webpChunk('EXIF', Buffer.from('MM\u0000*GPS 32.67N 69.25E', 'latin1')),
    webpChunk('XMP ', ascii('<x:xmpmeta><exif:GPSLatitude>32,40.5N</exif:GPSLatitude></x:xmpmeta>')),
  ]);
  const head = Buffer.concat([ascii('RIFF'), Buffer.alloc(4), ascii('WEBP')]);
  head.writeUInt32LE(body.length + 4, 4);
  return Buffer.concat([head, body]);
}

function webpChunkTypes(b: Uint8Array): string[] {
  const buf = Buffer.from(b);
  const out: string[] = [];
  for (let at = 12; at < buf.length; ) {
    const size = buf.readUInt32LE(at + 4);
    out.push(buf.toString('latin1', at, at + 4));
    at += 8 + size + (size % 2);
  }
  return out;
}

describe('PNG and WebP location metadata', () => {
  it('removes Exif, text and XMP chunks from a PNG and keeps every other chunk byte for byte, CRCs valid', () => {
    const png = pngWithMetadata();
    expect(mayHoldLocation(png)).toBe(true);
    const r = stripPngMetadata(png);
    expect(r).toMatchObject({ kind: 'stripped', removed: 3 });
    expect(pngChunkTypes(r.bytes)).toEqual([
      { type: 'IHDR', crcOk: true },
      { type: 'IDAT', crcOk: true },
      { type: 'IEND', crcOk: true },
    ]);
    expect(Buffer.from(r.bytes).includes(ascii('Barmal'))).toBe(false);
    expect(Buffer.from(r.bytes).includes(ascii('GPSLatitude'))).toBe(false);
    expect(Buffer.from(png).includes(Buffer.from(r.bytes).subarray(8, 33))).toBe(true);
    expect(stripPngMetadata(r.bytes).kind).toBe('clean');
    expect(mayHoldLocation(r.bytes)).toBe(false);
  });

  it('removes EXIF and XMP from a WebP, clears their VP8X flags (keeping alpha) and rewrites the RIFF size', () => {
    const webp = webpWithMetadata();
    expect(mayHoldLocation(webp)).toBe(true);
    const r = stripWebpMetadata(webp);
    expect(r).toMatchObject({ kind: 'stripped', removed: 2 });
    const out = Buffer.from(r.bytes);
    expect(webpChunkTypes(out)).toEqual(['VP8X', 'VP8L']);
    expect(out[20]).toBe(0x10);
    expect(out.readUInt32LE(4)).toBe(out.length - 8);
    // The image chunk (odd size, with its pad byte) is untouched.
    expect(out.subarray(30)).toEqual(webp.subarray(30, 30 + out.length - 30));
    expect(out.includes(ascii('GPS'))).toBe(false);
    expect(stripWebpMetadata(out).kind).toBe('clean');
  });

  it('leaves other files alone and refuses to half-strip a truncated image', () => {
    const text = ascii('just notes');
    expect(stripLocation(text)).toEqual({ kind: 'other-format', bytes: text });
    const cut = pngWithMetadata().subarray(0, 60);
    expect(stripLocation(cut)).toMatchObject({ kind: 'malformed', bytes: cut });
    const cutWebp = webpWithMetadata().subarray(0, 40);
    expect(stripLocation(cutWebp).kind).not.toBe('stripped');
  });

  it('prepares a PNG for the monitor’s queue without its metadata, keeping the original’s digest', () => {
    const png = pngWithMetadata();
    const p = prepareFile('screenshot.png', 'image/png', png, false);
    expect(p).toMatchObject({ ok: true, checked: true, hadLocation: true, stripped: true });
    if (!p.ok) return;
    expect(p.file.original_sha256).not.toBe(p.file.sha256);
    expect(Buffer.from(p.file.bytes!).includes(ascii('Barmal'))).toBe(false);
    expect(prepareFile('screenshot.png', 'image/png', png, true)).toMatchObject({ ok: true, stripped: false, file: { location_kept: true } });
  });

  it('never throws on damaged files that start like PNG or WebP, and stripping twice changes nothing more', () => {
    const starts = fc.constantFrom(pngWithMetadata(), webpWithMetadata());
    fc.assert(
      fc.property(starts, fc.nat(), fc.uint8Array({ maxLength: 64 }), fc.nat(), (base, cut, noise, at) => {
        const b = Buffer.concat([base.subarray(0, cut % (base.length + 1)), Buffer.from(noise)]);
        if (b.length > 16) b[8 + (at % (b.length - 8))] = noise[0] ?? 0;
        const once = stripLocation(b);
        expect(['stripped', 'clean', 'malformed', 'other-format']).toContain(once.kind);
        if (once.kind !== 'stripped') expect(once.bytes).toBe(b);
        else expect(stripLocation(once.bytes).kind).not.toBe('stripped');
      }),
      { numRuns: 2000 },
    );
  });
});
