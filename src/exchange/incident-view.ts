// Reading a stored incident document for export. Documents come from our own store, but older
// records and non-imported ones lack fields imports add (origin, quality), so every field is
// read as optional.
import type { Origin } from '../intake/index.js';
import { zoneFor } from '../intake/index.js';

export interface StoredIncident {
  readonly id: string;
  readonly title?: string | null;
  readonly occurred: { readonly from: string; readonly to: string; readonly precision: string; readonly stated?: Record<string, unknown> };
  readonly location: {
    readonly country: string;
    readonly admin1?: string;
    readonly admin2?: string;
    readonly place?: string;
    readonly lat?: number;
    readonly lon?: number;
    readonly geo_precision?: number;
    readonly side?: string | null;
    readonly distance_to_border_km?: number | null;
    readonly computed_country?: string | null;
    readonly computed_admin1?: string | null;
    readonly computed_admin2?: string | null;
  };
  readonly event_type: string;
  readonly sub_event_type: string;
  readonly actors?: readonly { readonly actor: string; readonly role: string }[];
  readonly fatalities?: { readonly low?: number; readonly best?: number; readonly high?: number } | null;
  readonly sources?: readonly string[];
  readonly visibility: string;
  readonly notes?: string | null;
  readonly recorded_at?: string;
  readonly log_index?: number | null;
  readonly quality?: readonly string[];
  readonly origin?: Origin;
}

export interface ActorInfo {
  readonly name: string;
  readonly kind?: string;
}

/** Actor id → display name (first name) and kind, for every actor the export may mention. */
export type ActorNames = ReadonlyMap<string, ActorInfo>;

export function actorsWithRole(inc: StoredIncident, role: 'perpetrator' | 'target', names: ActorNames): { id: string; name: string; kind: string | undefined }[] {
  return (inc.actors ?? []).filter((a) => a.role === role).map((a) => ({ id: a.actor, name: names.get(a.actor)?.name ?? a.actor, kind: names.get(a.actor)?.kind }));
}

/** The zone the incident's time was stated in, or the zone of its country. */
export function zoneOf(inc: StoredIncident): string {
  const z = inc.occurred.stated?.zone;
  return typeof z === 'string' ? z : zoneFor(inc.location.country);
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The local calendar date (YYYY-MM-DD) of an instant in `zone`. */
export function localDate(utcMs: number, zone: string): string {
  let f = dateFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(zone, f);
  }
  return f.format(new Date(utcMs));
}

const DAY_MS = 86_400_000;

/**
 * An event date and ACLED time_precision for any incident: the day itself (1), the middle of an
 * interval of up to a week (2), the middle of a longer interval or a month (3).
 */
export function eventDate(inc: StoredIncident): { date: string; precision: 1 | 2 | 3 } {
  const from = Date.parse(inc.occurred.from);
  const to = Date.parse(inc.occurred.to);
  const zone = zoneOf(inc);
  if (inc.occurred.precision === 'day' || inc.occurred.precision === 'exact') return { date: localDate(from, zone), precision: 1 };
  const mid = from + Math.floor((to - from) / 2);
  return { date: localDate(mid, zone), precision: inc.occurred.precision === 'range' && to - from <= 7 * DAY_MS + 3_600_000 ? 2 : 3 };
}
