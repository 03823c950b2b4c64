// A small, hand-built JPEG with an Exif segment that holds a GPS position (Barmal, Paktika:
// 32°48'N 69°05'E), an orientation and a camera model, plus XMP. Built byte by byte from the
// specifications (ITU-T T.81 Annex B markers; Exif 2.32 §4.6.4 IFD0, §4.6.6 GPS IFD) so the
// tests know every offset. The scan is a placeholder: the file is structurally a JPEG, not a
// decodable picture.

const u16 = (n: number, little: boolean) => (little ? [n & 0xff, n >> 8] : [n >> 8, n & 0xff]);
const u32 = (n: number, little: boolean) => (little ? [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, n >>> 24] : [n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const segment = (marker: number, body: readonly number[]) => [0xff, marker, ...u16(body.length + 2, false), ...body];

export const SOI = [0xff, 0xd8];
export const APP0_JFIF = segment(0xe0, [...ascii('JFIF'), 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
export const DQT = segment(0xdb, [0x00, ...Array.from({ length: 64 }, (_, i) => (i % 7) + 1)]);
export const SOF0 = segment(0xc0, [8, 0, 8, 0, 8, 1, 1, 0x11, 0]);
export const SOS_AND_SCAN = [...segment(0xda, [1, 1, 0, 0, 0x3f, 0]), 0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd0, 0x78, 0xff, 0xd9];

/** APP1 "Exif\0\0" + TIFF: IFD0 {Model, Orientation, GPSInfo → GPS IFD {LatitudeRef N, Latitude, LongitudeRef E, Longitude}}. */
export function exifWithGps(opts: { little?: boolean; orientation?: number } = {}): number[] {
  const le = opts.little ?? false;
  const entry = (tag: number, type: number, count: number, value: number[]) => [...u16(tag, le), ...u16(type, le), ...u32(count, le), ...value];
  const short = (n: number) => [...u16(n, le), 0, 0];
  const model = [...ascii('Phone'), 0, 0, 0]; // 8 bytes, stored out of line
  // Layout from the TIFF start: header 8, IFD0 at 8 (3 entries: 2+36+4 = 42 → ends at 50),
  // model at 50 (8), GPS IFD at 58 (4 entries: 2+48+4 = 54 → ends at 112), rationals at 112 (6 × 8).
  const ifd0 = [...u16(3, le), ...entry(0x0110, 2, 8, u32(50, le)), ...entry(0x0112, 3, 1, short(opts.orientation ?? 6)), ...entry(0x8825, 4, 1, u32(58, le)), ...u32(0, le)];
  const gps = [
    ...u16(4, le),
    ...entry(0x0001, 2, 2, [0x4e, 0, 0, 0]),
    ...entry(0x0002, 5, 3, u32(112, le)),
    ...entry(0x0003, 2, 2, [0x45, 0, 0, 0]),
    ...entry(0x0004, 5, 3, u32(136, le)),
    ...u32(0, le),
  ];
  const rationals = [32, 1, 48, 1, 0, 1, 69, 1, 5, 1, 0, 1].flatMap((n) => u32(n, le));
  const tiff = [...(le ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42, le), ...u32(8, le), ...ifd0, ...model, ...gps, ...rationals];
  return segment(0xe1, [...ascii('Exif'), 0, 0, ...tiff]);
}

export const XMP_WITH_GPS = segment(0xe1, [...ascii('http://ns.adobe.com/xap/1.0/'), 0, ...ascii('<x:xmpmeta><rdf:Description exif:GPSLatitude="32,48.0N" exif:GPSLongitude="69,5.0E"/></x:xmpmeta>')]);
export const APP13_IPTC = segment(0xed, [...ascii('Photoshop 3.0'), 0, ...ascii('8BIM'), 4, 4, 0, 0, 0, 0, 0, 8, 0x1c, 2, 92, 0, 4, ...ascii('Urgn')]);

/** The photo as a phone camera writes it: location in Exif and XMP. */
export function photoWithGps(opts: { little?: boolean; orientation?: number } = {}): Uint8Array {
  return Uint8Array.from([...SOI, ...APP0_JFIF, ...exifWithGps(opts), ...XMP_WITH_GPS, ...APP13_IPTC, ...DQT, ...SOF0, ...SOS_AND_SCAN]);
}
