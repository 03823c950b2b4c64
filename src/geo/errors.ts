/** Every failure of the places module carries one of these codes; tests assert the code. */
export type GeoErrorCode =
  | 'INVALID_COORDINATES'
  | 'INVALID_QUERY'
  | 'GEO_DATA_NOT_FOUND'
  | 'GEO_DATA_INVALID';

export class GeoError extends Error {
  readonly code: GeoErrorCode;

  constructor(code: GeoErrorCode, message: string) {
    super(message);
    this.name = 'GeoError';
    this.code = code;
  }
}
