import { parse } from 'csv-parse/sync';

/** One UCDP GED event, reduced to what the backtest uses. */
export interface UcdpEvent {
  readonly id: string;
  /** date_start, UTC midnight, ms since the epoch. */
  readonly at: number;
  /** UCDP's dyad_name (side_a – side_b): undirected, since UCDP does not say who attacked. */
  readonly dyad: string;
  readonly admin1: string;
  readonly best: number;
}

export interface UcdpParse {
  readonly events: UcdpEvent[];
  /** Rows dropped, with why (bad date, missing dyad): counted, never silently. */
  readonly skipped: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})/;

/**
 * UCDP GED CSV (the 50-column layout, https://ucdp.uu.se/downloads/ged/ged221.pdf). The HDX copy
 * has an HXL hashtag row under the header; any row whose cells start with "#" is skipped. The file
 * is external input: a malformed row is skipped and counted, a malformed file throws.
 */
export function parseUcdpCsv(text: string): UcdpParse {
  const rows = parse<Record<string, string | undefined>>(text, { columns: true, skip_empty_lines: true, relax_column_count: true, bom: true });
  const events: UcdpEvent[] = [];
  let skipped = 0;
  for (const r of rows) {
    if ((r['date_start'] ?? '').startsWith('#') || (r['year'] ?? '').startsWith('#')) continue;
    const m = DATE.exec(r['date_start'] ?? '');
    const dyad = (r['dyad_name'] ?? '').trim();
    const at = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
    if (!m || !Number.isFinite(at) || !dyad) {
      skipped++;
      continue;
    }
    const best = Number(r['best']);
    events.push({ id: r['id'] ?? '', at, dyad, admin1: (r['adm_1'] ?? '').trim() || '(unknown)', best: Number.isFinite(best) && best >= 0 ? best : 0 });
  }
  return { events: events.sort((a, b) => a.at - b.at), skipped };
}
