import type { z } from 'zod';
import type { ActorKind } from '../domain/actor.js';
import type { FieldIssue } from '../domain/errors.js';
import { IncidentInput } from '../domain/incident.js';
import { TimeError } from '../domain/time.js';
import type { RejectReason } from './errors.js';
import { problem, resolveOccurredCached } from './fields.js';

/** Where an imported incident came from, with the source's columns the model has no field for. */
export interface Origin {
  readonly dataset: 'acled' | 'ucdp';
  /** The source's own id (event_id_cnty, GED id). */
  readonly id: string;
  readonly fields: Readonly<Record<string, string>>;
}

export interface MappedActor {
  readonly name: string;
  readonly role: 'perpetrator' | 'target';
  readonly kind: z.infer<typeof ActorKind>;
}

/** The incident fields a row determines by itself, already checked against IncidentInput. */
export type IncidentCore = Omit<IncidentInput, 'actors' | 'fatalities' | 'sources'>;

/** Published figures as given: low ≤ best ≤ high is not enforced (see `quality`). */
export interface PublishedFatalities {
  readonly low?: number;
  readonly best?: number;
  readonly high?: number;
}

/** Data-quality flags: kept with the record, never a reason to drop a real row. */
export type QualityFlag = 'fatalities_order' | 'outside_stated_country';

/** One row mapped onto Mizan's incident model; actors are still names (matched at write time). */
export interface MappedIncident {
  readonly line: number;
  readonly id: string;
  readonly core: IncidentCore;
  readonly actors: readonly MappedActor[];
  readonly fatalities: PublishedFatalities | null;
  /** Mizan source ids (only from a Mizan export's mizan_sources column); checked at write time. */
  readonly sources: readonly string[];
  readonly quality: readonly QualityFlag[];
  readonly origin: Origin;
  /**
   * The id of a record filed in Mizan itself (not imported) that this row is an export of. Such a
   * record is never changed by an import: an identical row counts as unchanged, a different one is
   * refused, and a row whose record does not exist here is imported under `id`.
   */
  readonly native?: string;
}

/** Check the core with the domain schema; a failure becomes a row problem naming the source column. */
export function checkCore(core: IncidentCore, columnOf: (path: readonly (string | number)[]) => string | null): IncidentCore {
  // The stated time is checked by resolving it; the schema then sees the resolved interval, so
  // its time-zone check (an Intl constructor per call, the slowest step of a big import) is not repeated per row.
  let resolved: { from: string; to: string };
  try {
    const o = resolveOccurredCached(core.occurred);
    resolved = { from: o.from, to: o.to };
  } catch (e) {
    if (e instanceof TimeError) problem('invalid_date', columnOf(['occurred', ...e.path]), e.message);
    throw e;
  }
  const parsed = IncidentInput.safeParse({ ...core, occurred: resolved });
  if (parsed.success) return core;
  const issue = parsed.error.issues[0]!;
  const path = issue.path as (string | number)[];
  problem(reasonFor(path, issue.code), columnOf(path), issue.message);
}

function reasonFor(path: readonly (string | number)[], zodCode: string): RejectReason {
  const [head, sub] = path;
  if (zodCode === 'too_big') return 'field_too_long';
  if (head === 'occurred') return 'invalid_date';
  if (head === 'event_type') return 'unknown_event_type';
  if (head === 'sub_event_type') return 'unknown_sub_event_type';
  if (head === 'location' && (sub === 'lat' || sub === 'lon')) return 'invalid_coordinates';
  if (head === 'location' && sub === 'country') return 'unknown_country';
  if (head === 'id') return 'invalid_id';
  return 'invalid_value';
}

/** A field issue for the API and CLI: `/line/12/latitude`. */
export function fieldIssue(r: { line: number; reason: string; field: string | null; message: string }): FieldIssue {
  return { path: r.field ? ['line', r.line, r.field] : ['line', r.line], code: r.reason, message: r.message };
}
