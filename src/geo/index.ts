// The places module: gazetteer of AF/PK places with their spellings in several scripts,
// admin boundaries, which side of the Afghanistan–Pakistan border (Durand Line) a point is
// on and how far from it. Data and licences: data/geo/README.md.

export { loadGeo, findGeoDataDir } from './load.js';
export { createGeo, toAlpha3, MIN_RESOLVE_SCORE } from './geo.js';
export type { Geo, GeoSource, ResolvedPlace } from './geo.js';

export { createGazetteer, AMBIGUITY_MARGIN, MAX_QUERY_LENGTH, SAME_PLACE_KM } from './gazetteer.js';
export type { Gazetteer } from './gazetteer.js';
export { createPointLocator, validateCoordinates, ADMIN_SNAP_KM } from './point.js';
export type { PointFactsFn } from './point.js';
export { BORDER_NAME, BORDER_NOTE, BORDER_UNCERTAINTY_KM, BorderLine } from './border.js';
export type { BorderDistance } from './border.js';

export { normalizeName, nameSkeleton, compactKey, stripGenericWords } from './normalize.js';
export { haversineKm } from './distance.js';
export { parseGazetteer, parseBoundaries, GEO_FILES } from './parse.js';
export type { BoundaryFileKey } from './parse.js';
export { GeoError } from './errors.js';
export type { GeoErrorCode } from './errors.js';

export type {
  Alpha3,
  PlaceKind,
  GeoPrecision,
  CrossingSide,
  Place,
  MatchKind,
  LookupItem,
  LookupResult,
  LookupOptions,
  PointFacts,
  AdminRename,
  AdminNameResolution,
  GazetteerData,
  BoundaryData,
  AreaFeature,
  AdminProps,
  CountryProps,
  Position,
  PolygonRings,
} from './types.js';
