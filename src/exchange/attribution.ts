/**
 * What every export must say about where its data comes from. UCDP GED and GeoNames are
 * CC BY 4.0 (attribution required); geoBoundaries asks to be cited; ACLED's terms of use require
 * attribution of ACLED data. docs/exchange.md explains where each format carries it.
 */
export interface AttributionSource {
  readonly name: string;
  readonly licence: string;
  readonly url: string;
  readonly citation?: string;
  /** What of the export comes from it. */
  readonly covers: string;
}

export const ATTRIBUTION_SOURCES: readonly AttributionSource[] = [
  {
    name: 'UCDP Georeferenced Event Dataset (GED)',
    licence: 'CC BY 4.0',
    url: 'https://ucdp.uu.se/downloads/',
    citation: 'Sundberg, Ralph and Erik Melander (2013) Introducing the UCDP Georeferenced Event Dataset. Journal of Peace Research 50(4); Davies, Shawn, Therése Pettersson and Magnus Öberg (2023) Organized violence 1989–2022. Journal of Peace Research 60(4)',
    covers: 'incidents whose origin is ucdp (ids ucdp:*)',
  },
  {
    name: 'ACLED (Armed Conflict Location & Event Data)',
    licence: 'ACLED terms of use (attribution required)',
    url: 'https://acleddata.com/terms-of-use/',
    covers: 'incidents whose origin is acled (ids acled:*), when imported from ACLED data',
  },
  {
    name: 'GeoNames',
    licence: 'CC BY 4.0',
    url: 'https://www.geonames.org/',
    covers: 'place names and coordinates from the gazetteer',
  },
  {
    name: 'geoBoundaries',
    licence: 'CC BY 4.0',
    url: 'https://www.geoboundaries.org/',
    citation: 'Runfola, D. et al. (2020) geoBoundaries: A global database of political administrative boundaries. PLoS ONE 15(4): e0231866',
    covers: 'computed admin units (computed_admin1, computed_admin2)',
  },
  {
    name: 'Natural Earth',
    licence: 'public domain',
    url: 'https://www.naturalearthdata.com/',
    covers: 'country outlines and the Afghanistan–Pakistan border (Durand Line) used for side and distance_to_border_km',
  },
];

/**
 * One line, without commas, so that a CSV reader that does not know comment lines still sees a
 * single cell. Afghanistan does not recognise the Durand Line as an international border; the
 * export's border facts are computed against it without taking a position.
 */
export const ATTRIBUTION_TEXT =
  'Mizan incident export. Event data: UCDP GED (CC BY 4.0; Sundberg & Melander 2013 and Davies et al. 2023) for ucdp:* records and ACLED (acleddata.com; attribution required) for acled:* records. ' +
  'Places: GeoNames.org (CC BY 4.0). Admin units: geoBoundaries (CC BY 4.0; Runfola et al. 2020). Border: Natural Earth (public domain) — Afghanistan–Pakistan border (Durand Line); Afghanistan does not recognise it as an international border.';
