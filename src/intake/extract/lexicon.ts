// The words that mark an event, its target, how sure the text is, and how many died.
// ACLED Codebook (2023) event types and sub-event types: src/domain/taxonomy.ts.
import type { Hedging, TargetCategory } from './types.js';

export interface Trigger {
  readonly re: RegExp;
  readonly event_type: string;
  readonly sub_event_type: string;
}

/** Most specific first: a "suicide attack" is not coded as an "attack". */
export const TRIGGERS: readonly Trigger[] = [
  { re: /\bsuicide (?:attack|bomb(?:ing|er)?|blast|assault|car bomb(?:ing)?)s?\b/i, event_type: 'Explosions/Remote violence', sub_event_type: 'Suicide bomb' },
  { re: /\b(?:air ?strikes?|air raids?|drone (?:strikes?|attacks?)|aerial (?:strikes?|bombardment|attacks?)|bombed|bombing(?:s)? raids?|air-strikes?)\b/i, event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike' },
  { re: /\b(?:shelling|shelled|artillery (?:fire|shells?|exchanges?|strikes?)|mortars?(?: fire| shells?| rounds?)?|rocket (?:fire|attacks?)|missiles?(?: strikes?)?)\b/i, event_type: 'Explosions/Remote violence', sub_event_type: 'Shelling/artillery/missile attack' },
  { re: /\b(?:IEDs?|roadside bombs?|landmines?|improvised explosive devices?|bomb blasts?|explosions?|blasts?)\b/i, event_type: 'Explosions/Remote violence', sub_event_type: 'Remote explosive/landmine/IED' },
  { re: /\b(?:strikes?|struck)\b/i, event_type: 'Explosions/Remote violence', sub_event_type: 'Air/drone strike' },
  { re: /\b(?:clash(?:es|ed)?|fighting|fought|firefights?|gunfights?|gun battles?|exchanges? of fire|ground (?:attacks?|assaults?|offensive)|skirmish(?:es)?|battles?)\b/i, event_type: 'Battles', sub_event_type: 'Armed clash' },
  { re: /\b(?:kidnapp(?:ed|ing)|abduct(?:ed|ion|ing))\b/i, event_type: 'Violence against civilians', sub_event_type: 'Abduction/forced disappearance' },
  { re: /\b(?:attack(?:s|ed)?|assaults?|ambush(?:ed)?|raids?|killed|gunmen)\b/i, event_type: 'Battles', sub_event_type: 'Armed clash' },
];

export const AGREEMENT_RE =
  /\b(?:agreed|brokered|reached|signed|extended|announced|mediated)\b[^.;]{0,80}?\b(?:cease-?fire|truce|peace (?:deal|agreement)|accord)\b|\b(?:cease-?fire|truce)\b[^.;]{0,60}?\b(?:was|were|been|is) (?:agreed|extended|brokered|reached|signed)\b/i;

export const HYPOTHETICAL = /\b(?:will|would|could|might|may|should|must|if|unless|unlikely|hopes?|risk of|prevent|avoid|seeks?|plan to|set to|potential|any (?:effort|renewed|sustainable))\b/i;

const TARGET_WORDS: readonly (readonly [RegExp, TargetCategory])[] = [
  [/\b(?:civilians?|civilian homes|homes?|houses?|residential|residents|villagers|women|children|market|mosque|school|wedding|famil(?:y|ies)|worshippers|passengers)\b/i, 'civilians'],
  [/\b(?:soldiers|troops|military|security (?:forces|personnel|officials|posts?)|border (?:posts?|security|guards)|posts?|check-?posts?|checkpoints?|camp|police(?:men)?|army|servicemen|Frontier Corps)\b/i, 'security_forces'],
  [/\b(?:dam|bridge|power (?:plant|station|lines?)|grid|pipeline|airport|highway|infrastructure|crossing point|telecom(?:munications)? towers?)\b/i, 'critical_infrastructure'],
  [/\b(?:militants?|hideouts?|terrorists?|insurgents?|fighters|training camps?|leader|commanders?|Khawarij|safe havens?)\b/i, 'armed_group'],
];

/** The first target word after the trigger decides; failing that, the first anywhere in the sentence. */
export function targetCategory(s: string, triggerAt: number): TargetCategory {
  const first = (text: string): TargetCategory | null => {
    let best: { at: number; cat: TargetCategory } | null = null;
    for (const [re, cat] of TARGET_WORDS) {
      const m = re.exec(text);
      if (m && (best === null || m.index < best.at)) best = { at: m.index, cat };
    }
    return best?.cat ?? null;
  };
  return first(s.slice(triggerAt)) ?? first(s) ?? 'unknown';
}

const NEGATED_CLAIM = /\b(?:not|n't|never|no one|nobody|no group)\b[^.]{0,25}\bclaim/i;

/** Hedging of a statement, strongest first: a denial, a perpetrator's claim, an allegation, a plain report. */
export function hedgingOf(s: string): Hedging {
  if (/\b(?:denied|denies|deny|denying|rejected|refuted|dismissed)\b/i.test(s)) return 'denied';
  if (/\b(?:claimed responsibility|claims? responsibility|took responsibility|claimed the (?:attack|strike|bombing))\b/i.test(s) && !NEGATED_CLAIM.test(s)) return 'claimed';
  if (/\b(?:allegedly|alleged|alleges|reportedly|accused|accuses|accusing|purportedly|unconfirmed|said to have)\b/i.test(s)) return 'alleged';
  return 'reported';
}

const UNITS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18, nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90, hundred: 100, a: 1, an: 1, single: 1, dozen: 12,
};

/** Vague quantities as ranges (low, high); high null when the text sets no ceiling. */
const VAGUE: Readonly<Record<string, readonly [number, number | null]>> = {
  several: [3, 9], 'a few': [2, 5], few: [2, 5], many: [2, null], multiple: [2, null], numerous: [2, null], dozens: [24, null], scores: [40, null], hundreds: [200, null], tens: [20, null], 'a dozen': [12, 12],
};

export function numberValue(word: string): number | null {
  const w = word.toLowerCase().replace(/,/g, '');
  if (/^\d+$/.test(w)) return Number(w);
  const parts = w.split(/[\s-]+/);
  let total = 0;
  for (const p of parts) {
    const v = UNITS[p];
    if (v === undefined) return null;
    total = v === 100 ? Math.max(total, 1) * 100 : total + v;
  }
  return parts.length > 0 ? total : null;
}

const NUM_WORD = `\\d[\\d,]*|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?)|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen`;
const VAGUE_WORD = 'several|a few|many|multiple|numerous|dozens|scores|hundreds|tens';
const QUALIFIER = 'at least|more than|over|up to|nearly|almost|around|about|some|as many as|fewer than|less than|roughly|approximately|an estimated';
export const QUANTITY = new RegExp(
  `\\b(?:(between)\\s+(${NUM_WORD})\\s+and\\s+(${NUM_WORD})|(?:(${QUALIFIER})\\s+)?(${NUM_WORD}|${VAGUE_WORD})(?:\\s*(?:to|-|–|or)\\s*(${NUM_WORD}))?)\\b`,
  'gi',
);

export interface Quantity {
  readonly start: number;
  readonly end: number;
  readonly low: number | null;
  readonly high: number | null;
}

/** "at least 10" → 10–null; "more than 200" → 201–null; "seven" → 7–7; "dozens" → 24–null; "10 to 12" → 10–12. */
export function quantityOf(m: RegExpMatchArray): Quantity | null {
  const start = m.index ?? 0;
  const end = start + m[0].length;
  if (m[1] !== undefined) {
    const a = numberValue(m[2] ?? '');
    const b = numberValue(m[3] ?? '');
    return a === null || b === null ? null : { start, end, low: Math.min(a, b), high: Math.max(a, b) };
  }
  const qual = (m[4] ?? '').toLowerCase();
  const word = (m[5] ?? '').toLowerCase();
  const vague = VAGUE[word];
  if (vague) return { start, end, low: vague[0], high: vague[1] };
  const n = numberValue(word);
  if (n === null) return null;
  const upper = m[6] !== undefined ? numberValue(m[6]) : null;
  if (upper !== null) return { start, end, low: Math.min(n, upper), high: Math.max(n, upper) };
  switch (qual) {
    case 'at least':
    case 'as many as':
      return qual === 'at least' ? { start, end, low: n, high: null } : { start, end, low: null, high: n };
    case 'more than':
    case 'over':
      return { start, end, low: n + 1, high: null };
    case 'up to':
    case 'nearly':
    case 'almost':
    case 'fewer than':
    case 'less than':
      return { start, end, low: null, high: qual === 'fewer than' || qual === 'less than' ? n - 1 : n };
    default:
      return { start, end, low: n, high: n };
  }
}
