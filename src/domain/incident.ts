import { z } from 'zod';
import { Alpha3, Fatalities, Id, Visibility } from './common.js';
import { EVENT_TYPES, isSubEventOf, ACLED_EVENT_TYPES } from './taxonomy.js';
import type { Occurred } from './time.js';
import { OccurredInput } from './time.js';

export const GeoPrecision = z.union([z.literal(1), z.literal(2), z.literal(3)]);

export const LocationInput = z
  .strictObject({
    country: Alpha3,
    admin1: z.string().min(1).max(200).optional(),
    admin2: z.string().min(1).max(200).optional(),
    place: z.string().min(1).max(200).optional(),
    lat: z.number().min(-90, 'latitude must be between -90 and 90').max(90, 'latitude must be between -90 and 90').optional(),
    lon: z.number().min(-180, 'longitude must be between -180 and 180').max(180, 'longitude must be between -180 and 180').optional(),
    geo_precision: GeoPrecision.optional(),
  })
  .superRefine((l, ctx) => {
    if ((l.lat === undefined) !== (l.lon === undefined)) {
      ctx.addIssue({ code: 'custom', path: [l.lat === undefined ? 'lat' : 'lon'], message: 'lat and lon go together' });
    }
  });
export type LocationInput = z.infer<typeof LocationInput>;

export const IncidentActor = z.strictObject({ actor: Id, role: z.enum(['perpetrator', 'target']) });

export const IncidentInput = z
  .strictObject({
    id: Id,
    title: z.string().min(1).max(500).optional(),
    occurred: OccurredInput,
    location: LocationInput,
    event_type: z.enum(EVENT_TYPES as [string, ...string[]], { message: `must be one of ACLED's event types: ${EVENT_TYPES.join(', ')}` }),
    sub_event_type: z.string().min(1),
    actors: z.array(IncidentActor).max(50).optional(),
    fatalities: Fatalities.optional(),
    sources: z.array(Id).max(100).optional(),
    visibility: Visibility.optional(),
    notes: z.string().max(20_000).optional(),
  })
  .superRefine((i, ctx) => {
    if (!isSubEventOf(i.event_type, i.sub_event_type)) {
      const allowed = (ACLED_EVENT_TYPES as Record<string, readonly string[]>)[i.event_type] ?? [];
      ctx.addIssue({ code: 'custom', path: ['sub_event_type'], message: `is not a sub-event type of "${i.event_type}" (one of: ${allowed.join(', ')})` });
    }
  });
export type IncidentInput = z.infer<typeof IncidentInput>;

/** Facts computed from the coordinates; null where they cannot be computed. */
export interface BorderFacts {
  readonly side: 'AFG' | 'PAK' | null;
  readonly distance_to_border_km: number | null;
  readonly computed_country: string | null;
  readonly computed_admin1: string | null;
  readonly computed_admin2: string | null;
}

export interface Incident {
  readonly id: string;
  readonly title: string | null;
  readonly occurred: Occurred;
  readonly location: LocationInput & Partial<BorderFacts>;
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly actors: readonly z.infer<typeof IncidentActor>[];
  readonly fatalities: Fatalities | null;
  readonly sources: readonly string[];
  readonly visibility: Visibility;
  readonly notes: string | null;
  readonly recorded_by: string | null;
  readonly recorded_at: string;
  readonly log_index: number | null;
}
