// Importers: ACLED and UCDP GED CSV mapped onto Mizan incidents. The mappers are pure (a row in,
// an incident or a rejection out); reader.ts is the streaming edge over csv-parse.

export { ACLED_COLUMNS, ACLED_REQUIRED, acledOccurred, canonicalEventType, canonicalSubEventType, mapAcledRow, inOrder } from './acled.js';
export { UCDP_COLUMNS, UCDP_REQUIRED, VIOLENCE_TYPE, geoPrecisionOf, mapUcdpRow } from './ucdp.js';
export { IMPORT_FORMATS, MAX_COLUMNS, checkHeader, isHxlHashtagRow, mapRow } from './format.js';
export type { HeaderInfo, ImportFormat } from './format.js';
export { REJECT_REASONS, reject } from './errors.js';
export type { RejectReason, RowRejection } from './errors.js';
export { fieldIssue } from './mapped.js';
export type { IncidentCore, MappedActor, MappedIncident, Origin, PublishedFatalities, QualityFlag } from './mapped.js';
export { FORMULA_START, IMPORT_ID, MIZAN_COLUMNS } from './mizan-columns.js';
export { alpha3FromName, alpha3FromNumeric, countryName, numericOf } from './countries.js';
export { resolveOccurredCached, zoneFor } from './fields.js';
export type { SourceRecord } from './fields.js';
export { MAX_RECORD_BYTES, openSourceRows } from './reader.js';
export type { ReaderStats, SourceItem, SourceRows } from './reader.js';
