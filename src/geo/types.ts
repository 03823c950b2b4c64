/** ISO 3166-1 alpha-3 codes of the two countries whose outlines the module holds. */
export type Alpha3 = 'AFG' | 'PAK';

export type PlaceKind = 'crossing' | 'populated_place' | 'district' | 'province';

/** ACLED/UCDP geo-precision: 1 the place itself, 2 near it, 3 somewhere in the admin area. */
export type GeoPrecision = 1 | 2 | 3;

/** One side of a border crossing: crossings belong to both countries, not to one. */
export interface CrossingSide {
  readonly country: Alpha3;
  readonly admin1: string;
  readonly admin2: string;
}

export interface Place {
  readonly id: string;
  readonly name: string;
  /** Alternate names: Latin spellings and Pashto/Dari/Urdu names in Arabic script. */
  readonly names: readonly string[];
  /** null for crossings, which lie on the border (see `sides`). */
  readonly country: Alpha3 | null;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly lat: number;
  readonly lon: number;
  readonly population: number;
  readonly kind: PlaceKind;
  readonly precision: GeoPrecision;
  /** geonames | geoboundaries | naturalearth | mizan-aliases */
  readonly source: string;
  readonly sides?: readonly CrossingSide[];
  readonly note?: string;
}

/** How the query met the place's name, strongest first. */
export type MatchKind = 'exact' | 'compact' | 'generic' | 'skeleton' | 'fuzzy';

export interface LookupItem extends Place {
  /** 0–1; 1 is an exact (normalised) match of the place's main name. */
  readonly score: number;
  readonly match: MatchKind;
  /** The name of the place that matched the query. */
  readonly matched: string;
}

export interface LookupResult {
  readonly query: string;
  /** Best first. */
  readonly items: readonly LookupItem[];
  /** Two or more distinct places score close to the top: the caller must choose. */
  readonly ambiguous: boolean;
}

export interface LookupOptions {
  readonly country?: Alpha3;
  readonly kinds?: readonly PlaceKind[];
  /** Maximum items returned; default 10. */
  readonly limit?: number;
}

export interface PointFacts {
  /** The country whose outline contains the point; null outside both (Iran, Indian-administered Kashmir, sea). */
  readonly country: Alpha3 | null;
  /** Current province name (Khyber Pakhtunkhwa, not N.W.F.P. or F.A.T.A.). */
  readonly admin1: string | null;
  /** The pre-2018 (or pre-2009) unit, where it differs: "Federally Administered Tribal Areas". */
  readonly admin1_former: string | null;
  readonly admin2: string | null;
  /** Which side of the Afghanistan–Pakistan border (Durand Line) the point lies on. */
  readonly side: Alpha3 | null;
  /** Distance to the border line, km (to 0.01 km). */
  readonly distance_to_border_km: number;
  /** Closer to the border than the line's accuracy: treat `side` as uncertain. */
  readonly near_border: boolean;
}

export interface AdminRename {
  readonly country: Alpha3;
  readonly level: 'admin1' | 'admin2';
  readonly from: readonly string[];
  readonly to: string;
  readonly since: string;
  readonly note: string;
}

export interface AdminNameResolution {
  /** The name the boundary data uses today. */
  readonly name: string;
  /** The rename that applied, or null when the name was already current. */
  readonly rename: AdminRename | null;
}

export interface GazetteerData {
  readonly places: readonly Place[];
  readonly renames: readonly AdminRename[];
}

// ---- boundary data, as validated from the GeoJSON files in data/geo/

export type Position = readonly [number, number];
/** Rings of one polygon: the first is the exterior, the rest holes. */
export type PolygonRings = readonly (readonly Position[])[];

export interface AreaFeature<P> {
  readonly properties: P;
  /** Always a list of polygons (a Polygon becomes a list of one). */
  readonly polygons: readonly PolygonRings[];
}

export interface CountryProps {
  readonly iso3: Alpha3;
  readonly name: string;
}
export interface AdminProps {
  readonly name: string;
  readonly country: Alpha3;
  /** Parent province, for districts. */
  readonly admin1?: string;
  /** Former parent unit, for PAK districts and provinces (e.g. F.A.T.A.). */
  readonly former?: string | null;
}

export interface BoundaryData {
  readonly countries: readonly AreaFeature<CountryProps>[];
  readonly border: readonly (readonly Position[])[];
  readonly afgAdm1: readonly AreaFeature<AdminProps>[];
  readonly afgAdm2: readonly AreaFeature<AdminProps>[];
  readonly pakAdm1: readonly AreaFeature<AdminProps>[];
  readonly pakAdm2: readonly AreaFeature<AdminProps>[];
}
