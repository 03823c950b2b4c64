// Actors named in a sentence, through the alias table (every name of every actor and party, in
// every script) plus a small lexicon of how news text names state forces ("Pakistani soldiers").
import type { ActorEntry, NamedRef } from './types.js';

export interface ActorHit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly ref: NamedRef;
  /** The party behind the actor (for a party or its forces), else null. */
  readonly party: string | null;
  readonly kind: string;
}

interface Alias {
  readonly id: string;
  readonly party: string | null;
  readonly kind: string;
}

export interface ActorMatcher {
  readonly re: RegExp | null;
  readonly aliases: ReadonlyMap<string, Alias>;
}

// How wire copy names each side's forces and spokesmen, keyed by party country.
const GENERIC: Readonly<Record<string, readonly string[]>> = {
  PAK: ['Pakistani soldiers', 'Pakistani troops', 'Pakistani security forces', 'Pakistani forces', 'Pakistani military', 'Pakistani army', 'Pakistan army', 'Pakistan military', 'Pakistani jets', 'Pakistani aircraft', 'Pakistani drones', 'Pakistani border guards', 'Pakistani security officials', 'Pakistani security personnel', 'the military', 'ISPR', 'Inter-Services Public Relations', 'Islamabad', 'Pakistan', 'Frontier Corps'],
  AFG: ['Afghan forces', 'Afghan troops', 'Afghan border forces', 'Afghan Taliban', 'Taliban forces', 'Taliban fighters', 'Taliban officials', 'Taliban government', 'Taliban authorities', 'the Taliban', 'Taliban', 'Zabihullah Mujahid', 'Kabul', 'Afghanistan', 'Islamic Emirate'],
};

const norm = (s: string): string => s.toLowerCase().replace(/[’`]/g, "'").replace(/[\s-]+/g, ' ');
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\?[ -]/g, '[\\s-]+');

export function buildActorMatcher(actors: readonly ActorEntry[]): ActorMatcher {
  const aliases = new Map<string, Alias>();
  const forcesOf = (party: string): ActorEntry | undefined => actors.find((a) => a.kind === 'state_forces' && a.party === party && !/air/i.test(a.names[0] ?? ''));
  for (const a of actors) {
    const isParty = a.party === a.id;
    for (const n of a.names) {
      const key = norm(n.trim());
      if (key.length < 2 || aliases.has(key)) continue;
      aliases.set(key, { id: isParty ? (forcesOf(a.id)?.id ?? a.id) : a.id, party: a.party, kind: isParty ? 'party' : a.kind });
    }
  }
  for (const [country, names] of Object.entries(GENERIC)) {
    const party = actors.find((a) => a.party === a.id && a.country === country);
    if (!party) continue;
    const forces = forcesOf(party.id);
    for (const n of names) {
      const key = norm(n);
      if (aliases.has(key)) continue;
      const spokes = /officials|ISPR|Inter-Services|Mujahid|^the military$/i.test(n);
      aliases.set(key, { id: spokes ? party.id : (forces?.id ?? party.id), party: party.id, kind: spokes ? 'party' : forces ? 'state_forces' : 'party' });
    }
  }
  if (aliases.size === 0) return { re: null, aliases };
  // Longest first, so "Afghan Taliban" wins over "Taliban" and "Pakistani Taliban" over both.
  const names = [...aliases.keys()].sort((a, b) => b.length - a.length).map(escape);
  // The names are data from the store, escaped above; lookarounds keep them to whole words.
  const re = new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])(?:${names.join('|')})(?![\\p{L}\\p{M}\\p{N}])`, 'giu');
  return { re, aliases };
}

const LOCATIVE_BEFORE = /\b(?:in|at|near|into|across|inside|from|over|to)\s+$/i;

export function findActors(s: string, m: ActorMatcher): ActorHit[] {
  if (!m.re) return [];
  const out: ActorHit[] = [];
  for (const hit of s.matchAll(m.re)) {
    const text = hit[0];
    const a = m.aliases.get(norm(text));
    if (!a) continue;
    // "in Kabul", "from Afghanistan": a place, not an actor.
    if (a.kind === 'party' || a.kind === 'state_forces') {
      if (/^(?:Kabul|Islamabad|Afghanistan|Pakistan)$/i.test(text) && LOCATIVE_BEFORE.test(s.slice(Math.max(0, hit.index - 12), hit.index))) continue;
    }
    out.push({ start: hit.index, end: hit.index + text.length, text, ref: { id: a.id, name: text }, party: a.party, kind: a.kind });
  }
  return out;
}
