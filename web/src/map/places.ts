// Key places labelled on the map as HTML (MapLibre would need glyph files for text layers).
// Coordinates are taken from data/geo/gazetteer.json (ids given); the Arabic-script names are the
// gazetteer's alternate names, picked per language (to be checked by native speakers).
export interface KeyPlace {
  readonly id: string;
  readonly lon: number;
  readonly lat: number;
  /** 1 = always shown; 2 = from zoom 5.5; 3 = from zoom 7. */
  readonly rank: 1 | 2 | 3;
  readonly names: Readonly<Record<'en' | 'ur' | 'ps' | 'fa-AF', string>>;
}

export const KEY_PLACES: readonly KeyPlace[] = [
  { id: 'geonames:1138958', lon: 69.17233, lat: 34.52813, rank: 1, names: { en: 'Kabul', ur: 'کابل', ps: 'کابل', 'fa-AF': 'کابل' } },
  { id: 'geonames:1176615', lon: 73.04329, lat: 33.72148, rank: 1, names: { en: 'Islamabad', ur: 'اسلام آباد', ps: 'اسلام اباد', 'fa-AF': 'اسلام‌آباد' } },
  { id: 'geonames:1168197', lon: 71.57849, lat: 34.008, rank: 1, names: { en: 'Peshawar', ur: 'پشاور', ps: 'پېښور', 'fa-AF': 'پشاور' } },
  { id: 'geonames:1167528', lon: 67.00141, lat: 30.18414, rank: 1, names: { en: 'Quetta', ur: 'کوئٹہ', ps: 'کوټه', 'fa-AF': 'کویته' } },
  { id: 'geonames:1138336', lon: 65.71013, lat: 31.61332, rank: 1, names: { en: 'Kandahar', ur: 'قندھار', ps: 'کندهار', 'fa-AF': 'قندهار' } },
  { id: 'geonames:1139715', lon: 70.45153, lat: 34.42647, rank: 2, names: { en: 'Jalalabad', ur: 'جلال آباد', ps: 'جلال اباد', 'fa-AF': 'جلال‌آباد' } },
  { id: 'geonames:1181611', lon: 66.45259, lat: 30.91769, rank: 2, names: { en: 'Chaman', ur: 'چمن', ps: 'چمن', 'fa-AF': 'چمن' } },
  { id: 'mizan:torkham', lon: 71.0847, lat: 34.1147, rank: 2, names: { en: 'Torkham', ur: 'طورخم', ps: 'تورخم', 'fa-AF': 'تورخم' } },
  { id: 'geonames:1168394', lon: 70.10012, lat: 33.89968, rank: 2, names: { en: 'Parachinar', ur: 'پاڑاچنار', ps: 'پاړه چنار', 'fa-AF': 'پاراچنار' } },
  { id: 'geonames:1170367', lon: 70.07117, lat: 33.00059, rank: 3, names: { en: 'Miran Shah', ur: 'میران شاہ', ps: 'میرانشاه', 'fa-AF': 'میرانشاه' } },
  { id: 'geonames:1131479', lon: 69.1828, lat: 32.9515, rank: 2, names: { en: 'Urgun', ur: 'ارگون', ps: 'ورګون', 'fa-AF': 'ارگون' } },
  { id: 'geonames:1141857', lon: 69.22592, lat: 33.59744, rank: 3, names: { en: 'Gardez', ur: 'گردیز', ps: 'ګردېز', 'fa-AF': 'گردیز' } },
  { id: 'geonames:1141269', lon: 68.42096, lat: 33.55391, rank: 2, names: { en: 'Ghazni', ur: 'غزنی', ps: 'غزني', 'fa-AF': 'غزنی' } },
  { id: 'geonames:1172451', lon: 74.35071, lat: 31.558, rank: 1, names: { en: 'Lahore', ur: 'لاہور', ps: 'لاهور', 'fa-AF': 'لاهور' } },
  { id: 'geonames:1174872', lon: 67.0104, lat: 24.8608, rank: 1, names: { en: 'Karachi', ur: 'کراچی', ps: 'کراچۍ', 'fa-AF': 'کراچی' } },
  { id: 'geonames:1133616', lon: 67.11087, lat: 36.70904, rank: 2, names: { en: 'Mazar-e Sharif', ur: 'مزار شریف', ps: 'مزار شریف', 'fa-AF': 'مزار شریف' } },
  { id: 'mizan:angoor-adda', lon: 69.2825, lat: 32.5156, rank: 3, names: { en: 'Angoor Adda', ur: 'انگور اڈہ', ps: 'انګور اډه', 'fa-AF': 'انگور اده' } },
];

export function placeName(p: KeyPlace, lang: string): string {
  return (p.names as Record<string, string>)[lang] ?? p.names.en;
}
