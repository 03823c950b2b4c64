// The phone removes location metadata from JPEG photos before upload (web/src/lib/exif.ts):
// known answers on a hand-built photo (test/support/jpeg.ts), then properties on generated
// and arbitrary bytes — hostile files never throw and never come out structurally broken.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exifOrientation, hasGpsLocation, orientationSegment, stripJpegLocation, walkJpeg } from '../../web/src/lib/exif.js';
import { APP0_JFIF, APP13_IPTC, DQT, exifWithGps, photoWithGps, SOF0, SOI, SOS_AND_SCAN, XMP_WITH_GPS } from '../support/jpeg.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('stripJpegLocation: known answers', () => {
  it('removes the Exif GPS, XMP and IPTC segments and keeps everything else byte for byte, with the orientation', () => {
    const photo = photoWithGps({ orientation: 6 });
    expect(hasGpsLocation(photo)).toBe(true);
    const r = stripJpegLocation(photo);
    expect(r.kind).toBe('stripped');
    if (r.kind !== 'stripped') return;
    expect(r.removed).toBe(3);
    // SOI, JFIF, a fresh 34-byte Exif segment holding only Orientation = 6, then the tables and the scan.
    expect(hex(orientationSegment(6))).toBe('ffe10022' + '457869660000' + '4d4d002a00000008' + '0001' + '011200030000000100060000' + '00000000');
    expect(hex(r.bytes)).toBe(hex(Uint8Array.from([...SOI, ...APP0_JFIF, ...orientationSegment(6), ...DQT, ...SOF0, ...SOS_AND_SCAN])));
    expect(hasGpsLocation(r.bytes)).toBe(false);
    expect(exifOrientation(r.bytes)).toBe(6);
    expect(new TextDecoder('latin1').decode(r.bytes)).not.toMatch(/GPS|Phone|Urgn/);
  });

  it('reads little-endian (Intel) Exif the same way; an upright photo gets no Exif segment at all', () => {
    const photo = photoWithGps({ little: true, orientation: 1 });
    expect(hasGpsLocation(Uint8Array.from([...SOI, ...exifWithGps({ little: true }), ...SOS_AND_SCAN]))).toBe(true);
    expect(exifOrientation(photo)).toBe(1);
    const r = stripJpegLocation(photo);
    expect(hex(r.bytes)).toBe(hex(Uint8Array.from([...SOI, ...APP0_JFIF, ...DQT, ...SOF0, ...SOS_AND_SCAN])));
  });

  it('finds GPS in XMP alone', () => {
    expect(hasGpsLocation(Uint8Array.from([...SOI, ...XMP_WITH_GPS, ...SOS_AND_SCAN]))).toBe(true);
    expect(hasGpsLocation(Uint8Array.from([...SOI, ...APP13_IPTC, ...SOS_AND_SCAN]))).toBe(false);
  });

  it('leaves a photo without location segments as it is (the same array)', () => {
    const clean = Uint8Array.from([...SOI, ...APP0_JFIF, ...DQT, ...SOS_AND_SCAN]);
    const r = stripJpegLocation(clean);
    expect(r.kind).toBe('clean');
    expect(r.bytes).toBe(clean);
  });

  it('returns other files unchanged: PNG is other-format here; a truncated Exif length is malformed, never a partial strip', () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(stripJpegLocation(png)).toEqual({ kind: 'other-format', bytes: png });
    const photo = photoWithGps();
    const cut = photo.subarray(0, SOI.length + APP0_JFIF.length + 30);
    const r = stripJpegLocation(cut);
    expect(r).toMatchObject({ kind: 'malformed', at: SOI.length + APP0_JFIF.length });
    expect(r.bytes).toBe(cut);
    // An attacker-declared length past the end of the file, and a length below 2.
    expect(stripJpegLocation(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 0x00])).kind).toBe('malformed');
    expect(stripJpegLocation(Uint8Array.from([0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01])).kind).toBe('malformed');
  });

  it('survives an Exif IFD whose offsets point outside the segment', () => {
    const body = [0x45, 0x78, 0x69, 0x66, 0, 0, 0x4d, 0x4d, 0, 0x2a, 0x7f, 0xff, 0xff, 0xff];
    const bad = Uint8Array.from([...SOI, 0xff, 0xe1, 0, body.length + 2, ...body, ...SOS_AND_SCAN]);
    expect(hasGpsLocation(bad)).toBe(false);
    expect(exifOrientation(bad)).toBeNull();
    expect(stripJpegLocation(bad).kind).toBe('stripped');
  });
});

// Generated JPEGs: SOI, then any sequence of marker segments (APPn, DQT, DHT, COM, …) with
// random payloads, optional fill bytes and restart markers, then a scan or EOI.
const payload = fc.uint8Array({ maxLength: 300 });
const lengthSegment = fc.tuple(fc.constantFrom(0xe0, 0xe1, 0xe2, 0xed, 0xee, 0xfe, 0xdb, 0xc4, 0xc0, 0xdd), payload, fc.nat({ max: 2 })).map(([m, p, fill]) => [...Array<number>(fill).fill(0xff), 0xff, m, (p.length + 2) >> 8, (p.length + 2) & 0xff, ...p]);
const tail = fc.oneof(fc.constant([0xff, 0xd9]), fc.uint8Array({ maxLength: 200 }).map((scan) => [0xff, 0xda, 0, 8, 1, 1, 0, 0, 0x3f, 0, ...scan]));
const jpeg = fc.tuple(fc.array(fc.oneof(lengthSegment, fc.constant(exifWithGps()), fc.constant(XMP_WITH_GPS)), { maxLength: 12 }), tail).map(([segs, end]) => Uint8Array.from([...SOI, ...segs.flat(), ...end]));

describe('stripJpegLocation: properties', () => {
  it('on any JPEG: a valid marker structure, no APP1 or APP13 left, every other segment kept in order', () => {
    fc.assert(
      fc.property(jpeg, (b) => {
        const before = walkJpeg(b);
        expect(before.ok).toBe(true);
        const r = stripJpegLocation(b);
        const after = walkJpeg(r.bytes);
        expect(after.ok).toBe(true);
        if (!before.ok || !after.ok) return;
        const kept = before.segments.filter((s) => s.marker !== 0xe1 && s.marker !== 0xed);
        const out = after.segments.filter((s) => !(s.marker === 0xe1 && hex(r.bytes.subarray(s.start, s.end)).startsWith('ffe10022457869660000')));
        expect(out.map((s) => s.marker)).toEqual(kept.map((s) => s.marker));
        expect(after.segments.filter((s) => s.marker === 0xed)).toEqual([]);
        expect(hasGpsLocation(r.bytes)).toBe(false);
        // The image data is untouched: the tail from the scan (or EOI) on is identical.
        const last = before.segments[before.segments.length - 1]!;
        expect(hex(r.bytes.subarray(r.bytes.length - (b.length - last.start)))).toBe(hex(b.subarray(last.start)));
      }),
      { numRuns: 400 },
    );
  });

  it('on arbitrary bytes (and on JPEGs cut or corrupted anywhere): never throws; unchanged unless it yields a valid JPEG', () => {
    const corrupted = fc.tuple(jpeg, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.boolean()).map(([b, i, v, cut]) => {
      const at = b.length === 0 ? 0 : i % b.length;
      if (cut) return b.subarray(0, at);
      const c = Uint8Array.from(b);
      c[at] = v;
      return c;
    });
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 400 }), corrupted), (b) => {
        const r = stripJpegLocation(b);
        hasGpsLocation(b);
        exifOrientation(b);
        if (r.kind === 'stripped') expect(walkJpeg(r.bytes).ok).toBe(true);
        else expect(r.bytes).toBe(b);
      }),
      { numRuns: 1000 },
    );
  });
});
