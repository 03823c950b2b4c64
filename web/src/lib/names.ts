// Neutral wording (DESIGN.md): every party and actor keeps the names each side uses. The
// interface shows a neutral default — a name no party claims for itself, in the reader's language
// when one exists — and, when the reader asks for one side's usage, that side's names. The other
// names are always available beside it.
import type { NameEntry } from '../../../src/domain/common.js';

export interface NamedRecord {
  readonly id: string;
  /** Parties have a display name; actors only `names`. */
  readonly name?: string;
  readonly names?: readonly NameEntry[];
}

export interface NameChoice {
  readonly name: string;
  readonly lang?: string | undefined;
  readonly usedBy?: readonly string[] | undefined;
}

/** 'neutral', or a party id: show names as that party uses them. */
export type NamingView = string;

function entries(r: NamedRecord): NameChoice[] {
  return (r.names ?? []).map((n) => (typeof n === 'string' ? { name: n } : { name: n.name, lang: n.lang, usedBy: n.used_by }));
}

const langMatches = (entryLang: string | undefined, uiLang: string) => {
  if (!entryLang) return false;
  const base = uiLang.split('-')[0]!;
  return entryLang === uiLang || entryLang === base || entryLang.split('-')[0] === base;
};

/** The name to show for a record in the interface language and naming view. */
export function displayName(r: NamedRecord | undefined, uiLang: string, view: NamingView = 'neutral', fallbackId = ''): string {
  if (!r) return fallbackId;
  const all = entries(r);
  if (view !== 'neutral') {
    const theirs = all.filter((n) => n.usedBy?.includes(view));
    const inLang = theirs.find((n) => langMatches(n.lang, uiLang));
    const chosen = inLang ?? theirs.find((n) => !n.lang || n.lang === 'en') ?? theirs[0];
    if (chosen) return chosen.name;
  }
  // Neutral: a name in the reader's language that no party claims, else the record's default.
  if (uiLang !== 'en') {
    const local = all.find((n) => langMatches(n.lang, uiLang) && !(n.usedBy && n.usedBy.length > 0));
    if (local) return local.name;
  }
  if (r.name) return r.name;
  const first = all.find((n) => !(n.usedBy && n.usedBy.length > 0));
  return first?.name ?? all[0]?.name ?? r.id;
}

/** The other names, with who uses them, for "also called" lists. */
export function otherNames(r: NamedRecord | undefined, shown: string): NameChoice[] {
  if (!r) return [];
  const seen = new Set([shown]);
  const out: NameChoice[] = [];
  if (r.name && !seen.has(r.name)) {
    seen.add(r.name);
    out.push({ name: r.name });
  }
  // The names one side uses for it come first: they are the ones a reader most needs to recognise.
  const all = entries(r).sort((a, b) => Number((b.usedBy?.length ?? 0) > 0) - Number((a.usedBy?.length ?? 0) > 0));
  for (const n of all) {
    if (seen.has(n.name)) continue;
    seen.add(n.name);
    out.push(n);
  }
  return out;
}
