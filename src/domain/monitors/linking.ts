/**
 * Report → incident candidates. A link is only ever a candidate with a score and the reasons
 * for it; an analyst or mediator confirms or undoes it. Nothing is merged (DESIGN.md "Link").
 */
export interface LinkSubject {
  readonly from: string;
  readonly to: string;
  readonly lat: number | null;
  readonly lon: number | null;
  readonly event_type: string;
  readonly place: string | null;
}

export interface LinkScore {
  readonly score: number;
  readonly explanation: string;
}

/** Candidates scoring below this are not proposed. */
export const LINK_THRESHOLD = 0.5;
const DAY = 86_400_000;

function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = (x: number) => (x * Math.PI) / 180;
  const h = Math.sin(r(bLat - aLat) / 2) ** 2 + Math.cos(r(aLat)) * Math.cos(r(bLat)) * Math.sin(r(bLon - aLon) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(h)));
}

// Weights: when 0.4, where 0.4, what 0.2. Time decays linearly to 0 at two days apart; place to 0 at 50 km.
export function scoreLink(report: LinkSubject, incident: LinkSubject): LinkScore {
  const reasons: string[] = [];
  const gap = Math.max(0, Date.parse(report.from) - Date.parse(incident.to), Date.parse(incident.from) - Date.parse(report.to));
  const time = Math.max(0, 1 - gap / (2 * DAY));
  reasons.push(gap === 0 ? 'times overlap' : `times ${(gap / 3_600_000).toFixed(1)} h apart`);
  let place = 0;
  if (report.lat !== null && report.lon !== null && incident.lat !== null && incident.lon !== null) {
    const km = distanceKm(report.lat, report.lon, incident.lat, incident.lon);
    place = Math.max(0, 1 - km / 50);
    reasons.push(`${km.toFixed(1)} km apart`);
  } else if (report.place && incident.place && report.place.toLowerCase() === incident.place.toLowerCase()) {
    place = 0.8;
    reasons.push('same place name');
  } else reasons.push('place not comparable');
  const what = report.event_type === incident.event_type ? 1 : 0;
  reasons.push(what ? `both ${report.event_type}` : `${report.event_type} vs ${incident.event_type}`);
  const score = Math.round((0.4 * time + 0.4 * place + 0.2 * what) * 1000) / 1000;
  return { score, explanation: reasons.join('; ') };
}

export type ReliabilityOutcome = 'corroborated' | 'contradicted';

/** A monitor's track record: how many of its assessed reports were later corroborated. */
export function reliabilitySummary(outcomes: readonly ReliabilityOutcome[]): { corroborated: number; contradicted: number; ratio: number | null } {
  const corroborated = outcomes.filter((o) => o === 'corroborated').length;
  const contradicted = outcomes.length - corroborated;
  return { corroborated, contradicted, ratio: outcomes.length === 0 ? null : Math.round((corroborated / outcomes.length) * 100) / 100 };
}
