// Turn stored (or scenario) records into the extractor's reference data. The records are
// plain JSON from a store or a file, so every field is checked before use.
import type { ActorEntry, AgreementEntry, PlaceEntry } from './types.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function namesOf(rec: Record<string, unknown>): string[] {
  const out: string[] = [];
  const name = str(rec.name);
  if (name) out.push(name);
  if (Array.isArray(rec.names)) {
    for (const n of rec.names) {
      const s = typeof n === 'string' ? n : isObj(n) ? str(n.name) : null;
      if (s && !out.includes(s)) out.push(s);
    }
  }
  const id = str(rec.id);
  if (id && /^[A-Z]{2,6}$/.test(id) && !out.includes(id)) out.push(id);
  return out;
}

/** Parties (kind as stated: state, de_facto_authority, mediator, observer) and actors, with every name. */
export function actorEntries(parties: readonly unknown[], actors: readonly unknown[]): ActorEntry[] {
  const out: ActorEntry[] = [];
  const countryOf = new Map<string, string | null>();
  for (const p of parties) {
    if (!isObj(p)) continue;
    const id = str(p.id);
    if (!id) continue;
    const country = str(p.country);
    countryOf.set(id, country);
    out.push({ id, names: namesOf(p), kind: str(p.kind) ?? 'state', party: id, country });
  }
  for (const a of actors) {
    if (!isObj(a)) continue;
    const id = str(a.id);
    if (!id) continue;
    const party = str(a.controlled_by);
    out.push({ id, names: namesOf(a), kind: str(a.kind) ?? 'other', party, country: party ? (countryOf.get(party) ?? null) : null });
  }
  return out;
}

export function agreementEntries(agreements: readonly unknown[]): AgreementEntry[] {
  const out: AgreementEntry[] = [];
  for (const a of agreements) {
    if (!isObj(a)) continue;
    const id = str(a.id);
    if (!id) continue;
    const windows = Array.isArray(a.windows)
      ? a.windows.filter(isObj).flatMap((w) => {
          const from = str(w.from);
          return from ? [{ from, to: str(w.to) }] : [];
        })
      : [];
    out.push({ id, title: str(a.title) ?? '', windows });
  }
  return out;
}

/** Gazetteer places (src/geo Place) as the extractor's place entries. */
export function placeEntries(places: readonly { id: string; name: string; names: readonly string[]; country: string | null; admin1: string | null; admin2: string | null; lat: number; lon: number; population: number; kind: string }[]): PlaceEntry[] {
  return places.map((p) => ({ id: p.id, name: p.name, names: p.names, country: p.country, admin1: p.admin1, admin2: p.admin2, lat: p.lat, lon: p.lon, population: p.population, kind: p.kind }));
}
