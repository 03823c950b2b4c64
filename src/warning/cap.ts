import type { WarningAlert } from './alerts.js';

/** OASIS Common Alerting Protocol 1.2, http://docs.oasis-open.org/emergency/cap/v1.2/CAP-v1.2-os.html */
export const CAP_NS = 'urn:oasis:names:tc:emergency:cap:1.2';

export interface CapOptions {
  readonly sender: string;
  /** Defaults to the alert's `as_of`. */
  readonly sent?: string;
  readonly status?: 'Actual' | 'Exercise' | 'System' | 'Test' | 'Draft';
  readonly msgType?: 'Alert' | 'Update' | 'Cancel';
  readonly senderName?: string;
}

/**
 * XML 1.0 character data and attribute values. Alert text carries record ids, names and districts
 * that anyone filing a record chose, so markup characters are escaped and characters XML 1.0
 * forbids (most C0 controls, lone surrogates, U+FFFE/U+FFFF) are dropped rather than emitted.
 */
export function escapeXml(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** CAP 1.2 §3.3.2: date-times with an explicit offset, "-00:00" is not UTC but "+00:00" is; no "Z". */
export function capDateTime(iso: string | number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date-time: ${String(iso)}`);
  return `${d.toISOString().slice(0, 19)}+00:00`;
}

const R_KM = 6371;
function haversineKm(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * R_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Andrew's monotone chain; points as [lon, lat]. */
function convexHull(pts: readonly (readonly [number, number])[]): [number, number][] {
  const p = [...pts].sort((x, y) => x[0] - y[0] || x[1] - y[1]).map((x) => [x[0], x[1]] as [number, number]);
  if (p.length < 3) return p;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const q of p) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, q) <= 0) lower.pop();
    lower.push(q);
  }
  const upper: [number, number][] = [];
  for (const q of [...p].reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, q) <= 0) upper.pop();
    upper.push(q);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

const fmt = (x: number) => String(Math.round(x * 1e5) / 1e5);

/**
 * The alert's area: a polygon (CAP §3.3.5.2: closed, ≥ 4 "lat,lon" pairs) around three or more
 * non-collinear incident locations, otherwise a circle ("lat,lon radius-km") around them with a
 * 25 km margin, otherwise the district names alone.
 */
export function capArea(points: readonly { lat: number; lon: number }[]): { polygon?: string; circle?: string } {
  const valid = points.filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon) && Math.abs(p.lat) <= 90 && Math.abs(p.lon) <= 180);
  if (valid.length === 0) return {};
  const hull = convexHull(valid.map((p) => [p.lon, p.lat] as const));
  if (hull.length >= 3) {
    const ring = [...hull, hull[0]!].map(([lon, lat]) => `${fmt(lat)},${fmt(lon)}`);
    return { polygon: ring.join(' ') };
  }
  const c = { lat: valid.reduce((s, p) => s + p.lat, 0) / valid.length, lon: valid.reduce((s, p) => s + p.lon, 0) / valid.length };
  const r = Math.max(...valid.map((p) => haversineKm(c, p))) + 25;
  return { circle: `${fmt(c.lat)},${fmt(c.lon)} ${fmt(r)}` };
}

const EVENT_NAMES: Record<WarningAlert['rule'], string> = { retaliation_chain: 'Retaliation chain', escalation: 'Escalation of violence', forecast: 'Forecast of violence above its usual level' };

/**
 * The other languages of the mechanism (CAP: one `info` block per language). The English block
 * carries the full text; these name the event, its subject and the incidents, and point to it.
 * Written by the team, awaiting review by native speakers (as the web app's strings are).
 */
interface InfoLanguage {
  readonly code: string;
  readonly events: Record<WarningAlert['rule'], string>;
  readonly headline: (event: string, subject: string, n: number) => string;
  readonly description: (ids: string) => string;
}

export const CAP_OTHER_LANGUAGES: readonly InfoLanguage[] = [
  {
    code: 'ur-PK',
    events: { retaliation_chain: 'حملوں کا تبادلہ', escalation: 'تشدد میں اضافہ', forecast: 'معمول سے زیادہ تشدد کی پیش گوئی' },
    headline: (e, s, n) => `${e}: ${s} — ${n} واقعات`,
    description: (ids) => `تفصیل اس انتباہ کے انگریزی حصے میں ہے۔ واقعات: ${ids}`,
  },
  {
    code: 'ps-AF',
    events: { retaliation_chain: 'د بریدونو تبادله', escalation: 'د تاوتریخوالي زیاتوالی', forecast: 'له معمول څخه د ډېر تاوتریخوالي وړاندوینه' },
    headline: (e, s, n) => `${e}: ${s} — ${n} پېښې`,
    description: (ids) => `جزئیات د دې خبرتیا په انګرېزي برخه کې دي. پېښې: ${ids}`,
  },
  {
    code: 'fa-AF',
    events: { retaliation_chain: 'تبادلهٔ حملات', escalation: 'افزایش خشونت', forecast: 'پیش‌بینی خشونت بیش از حد معمول' },
    headline: (e, s, n) => `${e}: ${s} — ${n} رویداد`,
    description: (ids) => `جزئیات در بخش انگلیسی این هشدار آمده است. رویدادها: ${ids}`,
  },
];

/**
 * CAP `addresses` of a Restricted alert (space-separated): the mediators, and for a party-only
 * alert the delegates of each side it concerns. Side ids are records' ids, so anything but
 * identifier characters is replaced (an address with a space would need quoting).
 */
export function capAddresses(alert: WarningAlert): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._:-]+/g, '_');
  const list = alert.visibility === 'parties' ? [...new Set(alert.sides ?? [])].map((s) => `mizan:delegates:${safe(s)}`) : [];
  return [...list, 'mizan:mediators'].join(' ');
}

/** One alert as a CAP 1.2 document. Alerts on non-public records are `Restricted`. */
export function renderCap(alert: WarningAlert, opts: CapOptions): string {
  const e = escapeXml;
  const el = (name: string, value: string, indent: string) => `${indent}<${name}>${e(value)}</${name}>\n`;
  const area = capArea(alert.points);
  const areaDesc = alert.districts.length ? alert.districts.join('; ') : 'Afghanistan–Pakistan border region';
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n';
  x += `<alert xmlns="${CAP_NS}">\n`;
  x += el('identifier', `mizan-${alert.id}`, '  ');
  x += el('sender', opts.sender, '  ');
  x += el('sent', capDateTime(opts.sent ?? alert.as_of), '  ');
  x += el('status', opts.status ?? 'Actual', '  ');
  x += el('msgType', opts.msgType ?? 'Alert', '  ');
  if (alert.visibility === 'public') {
    x += el('scope', 'Public', '  ');
  } else {
    x += el('scope', 'Restricted', '  ');
    x += el('restriction', `Mizan visibility "${alert.visibility}": for ${alert.visibility === 'parties' ? "the parties' delegates and the mediators" : 'the mediators'} only`, '  ');
    x += el('addresses', capAddresses(alert), '  ');
  }
  x += el('code', `mizan:rule:${alert.rule}`, '  ');
  if (alert.events.length) x += el('incidents', alert.events.join(' '), '  ');
  const info = (language: string, event: string, headline: string, description: string) => {
    let i = '  <info>\n';
    i += el('language', language, '    ');
    i += el('category', 'Security', '    ');
    i += el('event', event, '    ');
    i += el('responseType', 'Monitor', '    ');
    i += el('urgency', 'Expected', '    ');
    i += el('severity', alert.severity, '    ');
    i += el('certainty', alert.certainty, '    ');
    i += el('onset', capDateTime(alert.onset), '    ');
    if (opts.senderName) i += el('senderName', opts.senderName, '    ');
    i += el('headline', headline, '    ');
    i += el('description', description, '    ');
    i += '    <parameter>\n' + el('valueName', 'mizan:subject', '      ') + el('value', alert.subject, '      ') + '    </parameter>\n';
    i += '    <area>\n';
    i += el('areaDesc', areaDesc, '      ');
    if (area.polygon) i += el('polygon', area.polygon, '      ');
    if (area.circle) i += el('circle', area.circle, '      ');
    i += '    </area>\n';
    return i + '  </info>\n';
  };
  x += info('en-US', EVENT_NAMES[alert.rule], alert.headline, alert.description);
  const ids = alert.events.length ? alert.events.join(', ') : '—';
  for (const l of CAP_OTHER_LANGUAGES) x += info(l.code, l.events[alert.rule], l.headline(l.events[alert.rule], alert.subject, alert.events.length), l.description(ids));
  x += '</alert>\n';
  return x;
}

/** An Atom (RFC 4287) index of CAP alerts, the way CAP feeds are published, each entry linking its document. */
export function renderCapFeed(alerts: readonly WarningAlert[], opts: { readonly id: string; readonly selfUrl: string; readonly alertUrl: (id: string) => string; readonly updated: string; readonly sender: string }): string {
  const e = escapeXml;
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">\n';
  x += `  <id>${e(opts.id)}</id>\n  <title>Mizan early-warning alerts</title>\n  <updated>${e(new Date(opts.updated).toISOString())}</updated>\n`;
  x += `  <author><name>${e(opts.sender)}</name></author>\n  <link rel="self" href="${e(opts.selfUrl)}"/>\n`;
  for (const a of alerts) {
    x += `  <entry>\n    <id>urn:mizan:warning:${e(a.id)}</id>\n    <title>${e(a.headline)}</title>\n    <updated>${e(new Date(a.as_of).toISOString())}</updated>\n`;
    x += `    <link rel="alternate" type="application/cap+xml" href="${e(opts.alertUrl(a.id))}"/>\n    <summary>${e(a.description)}</summary>\n  </entry>\n`;
  }
  return x + '</feed>\n';
}
