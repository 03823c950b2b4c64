import type { Visibility } from '../domain/common.js';
import type { RetaliationChain } from './chains.js';
import type { WarningEvent } from './events.js';
import { dyadKey } from './events.js';
import type { Indicator } from './indicators.js';
import { DAY_MS } from './indicators.js';

export interface AlertThresholds {
  /** A retaliation chain at least this long … */
  readonly chainMinLength: number;
  /** … whose span is at most this many days … */
  readonly chainMaxSpanDays: number;
  /** … and whose last event is at most this many days before `asOf`. */
  readonly lookbackDays: number;
  /** An indicator whose 7-day event z-score reaches this … */
  readonly zMin: number;
  /** … with at least this many events in the 7 days. */
  readonly eventsMin: number;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = { chainMinLength: 3, chainMaxSpanDays: 7, lookbackDays: 7, zMin: 2, eventsMin: 3 };

export type AlertRule = 'retaliation_chain' | 'escalation' | 'forecast';

export interface WarningAlert {
  readonly id: string;
  readonly rule: AlertRule;
  /** The dyad or district the alert is about. */
  readonly subject: string;
  readonly headline: string;
  readonly description: string;
  readonly severity: 'Severe' | 'Moderate';
  readonly certainty: 'Likely' | 'Possible';
  /** The instant the alert was computed for (ISO 8601 UTC). */
  readonly as_of: string;
  readonly onset: string;
  readonly events: readonly string[];
  readonly points: readonly { readonly lat: number; readonly lon: number }[];
  readonly districts: readonly string[];
  /** The most restrictive visibility among the events it rests on. */
  readonly visibility: Visibility;
  /** The sides concerned (CAP addresses for a party-only alert); absent for a district. */
  readonly sides?: readonly string[];
}

const VIS_ORDER: Visibility[] = ['public', 'parties', 'mediators'];

function mostRestrictive(vs: readonly Visibility[]): Visibility {
  return vs.reduce<Visibility>((m, v) => (VIS_ORDER.indexOf(v) > VIS_ORDER.indexOf(m) ? v : m), 'public');
}

/** Identifier characters CAP allows (no spaces, commas or markup), from attacker-controlled keys. */
function safeId(s: string): string {
  return s.replace(/[^A-Za-z0-9._:-]+/g, '_').slice(0, 200);
}

/**
 * Alerts as of an instant: a retaliation chain long and fast enough whose last event is recent, and
 * an indicator (dyad or district) whose 7-day event count stands out against its 6-month baseline.
 */
export function computeAlerts(
  events: readonly WarningEvent[],
  chains: readonly RetaliationChain[],
  indicators: readonly Indicator[],
  asOf: number,
  t: AlertThresholds = DEFAULT_THRESHOLDS,
): WarningAlert[] {
  const byId = new Map(events.map((e) => [e.id, e]));
  const asOfIso = new Date(asOf).toISOString();
  const out: WarningAlert[] = [];
  const describe = (ids: readonly string[]) => {
    const evs = ids.map((i) => byId.get(i)).filter((e): e is WarningEvent => !!e);
    return {
      points: evs.filter((e) => e.lat !== null && e.lon !== null).map((e) => ({ lat: e.lat!, lon: e.lon! })),
      districts: [...new Set(evs.map((e) => e.district))].sort(),
      visibility: mostRestrictive(evs.map((e) => e.visibility)),
    };
  };
  for (const c of chains) {
    const last = Date.parse(c.to);
    if (c.length < t.chainMinLength || c.span_hours > t.chainMaxSpanDays * 24) continue;
    if (!(last <= asOf && asOf - last <= t.lookbackDays * DAY_MS)) continue;
    out.push({
      id: safeId(`chain-${c.first}-${c.second}-${c.events[0]}-${c.length}`),
      rule: 'retaliation_chain',
      subject: `${c.first}<->${c.second}`,
      headline: `Retaliation chain of ${c.length} events between ${c.first} and ${c.second} within ${Math.round(c.span_hours)} h`,
      description: `Each event answered the previous one by the other side within the window. Events: ${c.events.join(', ')}. From ${c.from} to ${c.to}.`,
      severity: c.length >= t.chainMinLength + 2 ? 'Severe' : 'Moderate',
      certainty: 'Possible',
      as_of: asOfIso,
      onset: c.to,
      events: c.events,
      sides: [c.first, c.second],
      ...describe(c.events),
    });
  }
  for (const ind of indicators) {
    const s = ind.last7;
    if (s.events < t.eventsMin || s.events_z < t.zMin) continue;
    const ids = events.filter((e) => e.at < asOf && e.at >= asOf - 7 * DAY_MS && (ind.by === 'district' ? e.district === ind.key : dyadKey(e.dyad) === ind.key)).map((e) => e.id);
    out.push({
      id: safeId(`escalation-${ind.by}-${ind.key}-${asOfIso.slice(0, 10)}`),
      rule: 'escalation',
      subject: `${ind.by}:${ind.key}`,
      headline: `Escalation (${ind.by} ${ind.key}): ${s.events} events in 7 days, z = ${s.events_z.toFixed(1)} against the previous 6 months`,
      description: `${s.events} events and ${s.fatalities} deaths in the 7 days before ${asOfIso}; baseline mean ${s.baseline.events_mean.toFixed(2)} events per 7 days (sd ${s.baseline.events_sd.toFixed(2)}).`,
      severity: s.events_z >= 2 * t.zMin ? 'Severe' : 'Moderate',
      certainty: 'Likely',
      as_of: asOfIso,
      onset: asOfIso,
      events: ids,
      ...(ind.by === 'dyad' ? { sides: ind.key.split(/->|--/) } : {}),
      ...describe(ids),
    });
  }
  return out;
}
