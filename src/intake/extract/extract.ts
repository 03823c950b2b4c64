// Issue 9 §1: candidate incidents and agreements from plain text or Markdown.
// Pure: the caller passes the text, the publication date and the reference data (actors with
// all their names, agreements with their windows, gazetteer places); nothing here reads a file,
// a store or the network. Candidates are for a person to review — never records.
import { buildActorMatcher, findActors, type ActorHit, type ActorMatcher } from './actors.js';
import { findDateMentions, mentionRank, parsePublished, resolveMention, zoneForCountry, type DateMention } from './dates.js';
import { AGREEMENT_RE, hedgingOf, HYPOTHETICAL, QUANTITY, quantityOf, targetCategory, TRIGGERS, type Trigger } from './lexicon.js';
import { buildPlaceIndex, countryCue, findPlaces, locationOf, type PlaceHit, type PlaceIndex } from './places.js';
import { cleanText, splitSentences, toInputSpan, type CleanText, type Sentence } from './text.js';
import type {
  ActorEntry,
  AgreementCandidate,
  AgreementEntry,
  CandidateLocation,
  CandidateTime,
  ExtractOptions,
  Extraction,
  FatalityFigure,
  IncidentCandidate,
  NamedRef,
  TextSpan,
} from './types.js';

/** Reference data indexed once, reusable across many texts. */
export interface Extractor {
  extract(text: string, published: string): Extraction;
}

const UNATTRIBUTED: NamedRef = { id: null, name: 'unattributed' };
const NO_PLACE: CandidateLocation = { name: null, country: null, admin1: null, admin2: null, lat: null, lon: null };
const NO_TIME: CandidateTime = { from: null, to: null, stated: null };
/** Texts longer than this are cut: the extractor answers in bounded time whatever it is fed. */
export const MAX_TEXT = 5_000_000;

export function createExtractor(data: Omit<ExtractOptions, 'published'>): Extractor {
  const matcher = buildActorMatcher(data.actors);
  const places = buildPlaceIndex(data.places);
  const agreements = data.agreements ?? [];
  return { extract: (text, published) => run(text, published, matcher, places, agreements, data.actors) };
}

/** One-shot form of `createExtractor(...).extract(...)`. */
export function extractCandidates(text: string, options: ExtractOptions): Extraction {
  return createExtractor(options).extract(text, options.published);
}

interface Attribution {
  readonly at: number;
  readonly who: NamedRef;
}

// "Taliban officials said", "according to the military", "ISPR said", "X told reporters".
const SAID = /\b(said|says|say|told|claimed|stated|added|confirmed|reported|announced|accused|alleged)\b/gi;
const ACCORDING = /\baccording to\s+((?:the\s+)?[^,.;]{2,60}?)(?=[,.;]|$)/gi;

function attributions(s: string, actors: readonly ActorHit[]): Attribution[] {
  const out: Attribution[] = [];
  const refOf = (text: string, at: number, end: number): NamedRef => {
    const hit = actors.find((a) => a.start >= at && a.end <= end);
    const id = hit ? (hit.party ?? hit.ref.id) : null;
    return { id, name: text.trim() };
  };
  for (const m of s.matchAll(ACCORDING)) {
    const name = m[1] ?? '';
    const at = m.index + m[0].length - name.length;
    out.push({ at: m.index, who: refOf(name, at, at + name.length) });
  }
  for (const m of s.matchAll(SAID)) {
    // The speaker is the noun phrase just before the verb: at most five words, no clause break.
    const before = s.slice(Math.max(0, m.index - 60), m.index);
    const np = /((?:[\p{L}\p{M}'’-]+\s+){0,4}[\p{L}\p{M}'’-]+)\s+(?:have\s+|has\s+|had\s+)?$/u.exec(before);
    if (!np?.[1]) continue;
    const text = np[1].replace(/^(?:and|but|while|as|which|who|that)\s+/i, '');
    const from = m.index - (before.length - before.lastIndexOf(np[1]));
    const speaker = actors.find((a) => a.start >= from - 1 && a.end <= m.index);
    if (!speaker && !/\b(?:officials?|spokes(?:man|woman|person)|ministry|military|police|army|sources?|residents|witnesses|authorities|government|ISPR|governor|commander)\b/i.test(text)) continue;
    out.push({ at: m.index, who: speaker ? { id: speaker.party ?? speaker.ref.id, name: text } : { id: null, name: text } });
  }
  return out;
}

// Every figure fatalitiesOf accepts has one of these words next to it; without one, skip the scan.
const FIGURE_CUE = /\b(?:killed|killing|kills|dead|died|martyred|slain|lost their lives|death toll|claimed the lives|left)\b/i;

function fatalitiesOf(s: string, atts: readonly Attribution[]): FatalityFigure[] {
  const out: FatalityFigure[] = [];
  const whoNear = (at: number): NamedRef => {
    let best: Attribution | null = null;
    for (const a of atts) if (best === null || Math.abs(a.at - at) < Math.abs(best.at - at)) best = a;
    return best?.who ?? UNATTRIBUTED;
  };
  for (const m of FIGURE_CUE.test(s) ? s.matchAll(QUANTITY) : []) {
    const q = quantityOf(m);
    if (!q) continue;
    const after = s.slice(q.end, q.end + 70);
    const before = s.slice(Math.max(0, q.start - 40), q.start);
    // Not a casualty figure: durations, percentages, years, ordinals, counts of attacks.
    if (/^\s*(?:-?\s*hours?|days?|weeks?|months?|years?|%|per ?cent|km|kilomet|miles?|mile|attacks?|times|rounds? of|th\b|st\b|nd\b|rd\b)/i.test(after)) continue;
    if (/^(?:19|20)\d\d$/.test(m[0].trim())) continue;
    const deathAfter = /^(?:\s+[\p{L}\p{M}'’-]+){0,5}?\s+(?:were|was|have been|had been|are|been)?\s*(?:killed|dead|died|martyred|slain|lost their lives)\b/iu.test(after);
    const deathBefore = /\b(?:killed|killing|kills|death toll (?:rose to|of|stood at|reached)|claimed the lives of|left)\s+(?:at least\s+|some\s+)?$/i.test(before) || /\bkilling and (?:injuring|wounding)\s+$/i.test(before);
    if (!deathAfter && !deathBefore) continue;
    out.push({ low: q.low, high: q.high, who: whoNear(q.start) });
  }
  if (out.length === 0) {
    // e.g. "…leaving soldiers and militants dead": plural deaths, no figure.
    const m = /\b(?:deaths|fatalities|casualties were killed)\s+(?:of|among)\b/i.exec(s);
    if (m) out.push({ low: 2, high: null, who: whoNear(m.index) });
  }
  return out;
}

// "after several days of fighting", "following the airstrike": background, not the event told.
const BACKGROUND = /\b(?:after|following|amid|despite|since|in response to|in retaliation for)\s+(?:(?:several|days|weeks|months|of|the|a|an|this|that|these|recent|latest)\s+){0,4}$/i;

const GLOBAL_TRIGGERS = TRIGGERS.map((t) => ({ t, re: new RegExp(t.re.source, 'gi') }));
// Most sentences hold no event word: one scan with the union answers that, instead of one per trigger.
const ANY_TRIGGER = new RegExp(TRIGGERS.map((t) => `(?:${t.re.source})`).join('|'), 'i');

function triggersIn(s: string): { trigger: Trigger; at: number; text: string }[] {
  const out: { trigger: Trigger; at: number; text: string }[] = [];
  if (!ANY_TRIGGER.test(s)) return out;
  for (const { t, re } of GLOBAL_TRIGGERS) {
    for (const m of s.matchAll(re)) {
      if (BACKGROUND.test(s.slice(Math.max(0, m.index - 40), m.index))) continue;
      out.push({ trigger: t, at: m.index, text: m[0] });
    }
  }
  return out;
}

/** The most specific event word of the sentence (TRIGGERS order), at its first occurrence. */
function firstTrigger(all: readonly { trigger: Trigger; at: number; text: string }[]): { trigger: Trigger; at: number; text: string } | null {
  let best: { trigger: Trigger; at: number; text: string } | null = null;
  for (const t of all) {
    if (best === null || TRIGGERS.indexOf(t.trigger) < TRIGGERS.indexOf(best.trigger) || (t.trigger === best.trigger && t.at < best.at)) best = t;
  }
  return best;
}

const BY = /\b(?:by|linked to|claimed by|carried out by)\s+$/i;
const AGAINST = /\b(?:against|on|at|targeting|targeted|into|of|hit|struck|bombed)\s+(?:(?:the|a|an|several|two|three|some)\s+)?$/i;

function roles(s: string, triggerAt: number, actors: readonly ActorHit[]): { perpetrator: ActorHit | null; target: ActorHit | null; accuser: ActorHit | null } {
  const candidates = actors.filter((a) => !/said|told/.test(s.slice(a.end, a.end + 8)) || a.kind !== 'party');
  let perpetrator: ActorHit | null = null;
  let target: ActorHit | null = null;
  let accuser: ActorHit | null = null;
  for (const a of candidates) {
    const before = s.slice(Math.max(0, a.start - 30), a.start);
    if (/\bnot\s+by\s+(?:the\s+)?$/i.test(before)) continue;
    if (BY.test(before) && perpetrator === null) perpetrator = a;
  }
  const acc = /\baccus(?:ed|es|ing)\b/i.exec(s);
  if (perpetrator === null && acc) {
    accuser = [...candidates].reverse().find((a) => a.end <= acc.index) ?? null;
    perpetrator = candidates.find((a) => a.start > acc.index && a !== accuser) ?? null;
  }
  for (const a of candidates) {
    if (a === perpetrator || a === accuser) continue;
    const before = s.slice(Math.max(0, a.start - 40), a.start);
    const after = s.slice(a.end, a.end + 30);
    const passive = /^\s+(?:were|was|have been|had been)\s+(?:killed|injured|wounded|targeted|hit|attacked)/i.test(after);
    if (target === null && ((a.start > triggerAt && AGAINST.test(before)) || passive)) {
      target = a;
      continue;
    }
    if (perpetrator === null && a.end <= triggerAt + 2 && !passive && !/\b(?:against|targeting|on)\s+(?:the\s+)?$/i.test(before)) {
      perpetrator = a;
    }
  }
  // Nearest actor before the trigger wins the perpetrator role over an earlier one.
  if (perpetrator && perpetrator.end <= triggerAt && !BY.test(s.slice(Math.max(0, perpetrator.start - 30), perpetrator.start))) {
    const nearer = [...candidates].reverse().find((a) => a.end <= triggerAt && a !== target && a !== accuser && !/^\s+(?:were|was|have been)\s+(?:killed|injured)/i.test(s.slice(a.end, a.end + 30)));
    if (nearer && !/\b(?:against|targeting|on)\s+(?:the\s+)?$/i.test(s.slice(Math.max(0, nearer.start - 20), nearer.start))) perpetrator = nearer;
  }
  if (target && perpetrator && target.ref.id === perpetrator.ref.id) target = null;
  return { perpetrator, target, accuser };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

interface Chosen {
  readonly time: CandidateTime;
  readonly rank: number;
}

function chooseTime(mentions: readonly DateMention[], triggerAt: number, zone: string, previous: IncidentCandidate | null): Chosen {
  const usable = mentions.filter((m) => m.kind !== 'year');
  if (usable.length === 0) return { time: NO_TIME, rank: 9 };
  const dist = (m: DateMention): number => (m.end <= triggerAt ? triggerAt - m.end : Math.max(0, m.start - triggerAt));
  const best = [...usable].sort((a, b) => Math.min(mentionRank(a), 2) - Math.min(mentionRank(b), 2) || dist(a) - dist(b))[0];
  if (!best) return { time: NO_TIME, rank: 9 };
  if (best.kind === 'after_previous') {
    const from = previous?.occurred.from ? Date.parse(previous.occurred.from) : NaN;
    if (!Number.isFinite(from)) return { time: NO_TIME, rank: 9 };
    return { time: { from: iso(from), to: iso(from + 7 * 86_400_000), stated: best.text }, rank: 3 };
  }
  let r = resolveMention(best, zone);
  if (!r) return { time: NO_TIME, rank: 9 };
  const stated = [best.text];
  // Narrow with every other range that overlaps ("last week … hours after the extension").
  for (const m of usable) {
    if (m === best || mentionRank(m) < 2) continue;
    const o = resolveMention(m, zone);
    if (!o) continue;
    const from = Math.max(r.from, o.from);
    const to = Math.min(r.to, o.to);
    if (from < to && to - from < r.to - r.from) {
      r = { from, to };
      stated.push(m.text);
    }
  }
  return { time: { from: iso(r.from), to: iso(r.to), stated: stated.join('; ') }, rank: mentionRank(best) };
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}

const COREF = /^\W*(?:This|The|That|Their|Its) (?:attack|strike|airstrike|air strike|bombing|assault|blast|suicide attack)\b/;

function run(input: string, published: string, matcher: ActorMatcher, placeIndex: PlaceIndex, agreements: readonly AgreementEntry[], actors: readonly ActorEntry[]): Extraction {
  const pub = parsePublished(published);
  if (pub === null || typeof input !== 'string') return { incidents: [], agreements: [] };
  const text = input.length > MAX_TEXT ? input.slice(0, MAX_TEXT) : input;
  const ct = cleanText(text);
  const incidents: IncidentCandidate[] = [];
  const agreementsOut: AgreementCandidate[] = [];
  let lastIncidentSentence = -10;
  let lastAgreementSentence = -10;
  let termsTarget = 0;
  const sentences = splitSentences(ct.clean);
  sentences.forEach((sent, si) => {
    const s = sent.text;
    if (s.length > 5000) return; // not prose: a table or a dump
    const allTriggers = triggersIn(s);
    const trig = firstTrigger(allTriggers);
    const isAgreement = AGREEMENT_RE.test(s);
    const isTerms = si - lastAgreementSentence <= 2 && /^\W*(?:Under (?:this|the) (?:agreement|deal|ceasefire)|As part of the (?:ceasefire )?(?:agreement|deal)|The (?:agreement|deal) (?:commits|requires|provides))/i.test(s);
    if (!trig && !isAgreement && !isTerms) return;
    const mentions = findDateMentions(s, pub, agreements);
    const historical = mentions.some((m) => m.kind === 'year' && m.year < pub.y - 1);
    const actorHits = findActors(s, matcher);
    if (isTerms && agreementsOut.length > 0) {
      const last = agreementsOut[termsTarget];
      if (last) agreementsOut[termsTarget] = { ...last, terms: [...last.terms, ...termsOf(s).filter((t) => !last.terms.includes(t))] };
      lastAgreementSentence = si;
      return;
    }
    if (isAgreement && !historical && !/\b(?:unlikely|hope|if|would|could|will|should|must|may)\b/i.test(s.slice(0, s.search(AGREEMENT_RE) + 1))) {
      const a = agreementOf(s, sent, ct, text, mentions, actorHits, actors, agreements);
      if (a) {
        // The same agreement told twice (a restatement, another zone's day): one candidate, terms pooled.
        const same = agreementsOut.findIndex((x) => x.occurred.from !== null && a.occurred.from !== null && Math.abs(Date.parse(x.occurred.from) - Date.parse(a.occurred.from)) < 12 * 3_600_000);
        if (same < 0) {
          agreementsOut.push(a);
          termsTarget = agreementsOut.length - 1;
        } else {
          const x = agreementsOut[same];
          if (x) agreementsOut[same] = { ...x, terms: [...x.terms, ...a.terms.filter((t) => !x.terms.includes(t))], mediators: x.mediators.length > 0 ? x.mediators : a.mediators };
          termsTarget = same;
        }
        lastAgreementSentence = si;
      }
      if (!trig || /\b(?:ceasefire|truce)\b/i.test(s.slice(Math.max(0, trig.at - 30), trig.at + 30))) return;
    }
    if (!trig) return;
    const prev = incidents.length > 0 && si - lastIncidentSentence <= 2 ? (incidents[incidents.length - 1] ?? null) : null;
    if (COREF.test(s) && prev) {
      // e.g. "The attack was the work of a TTP-linked cell": the previous incident's perpetrator.
      const r = roles(s, trig.at, actorHits);
      if (r.perpetrator && prev.actors.perpetrator === null) {
        incidents[incidents.length - 1] = { ...prev, actors: { ...prev.actors, perpetrator: r.perpetrator.ref }, confidence: round2(Math.min(0.95, prev.confidence + 0.1)) };
      }
      return;
    }
    if (historical) return;
    const hasYearOnly = mentions.some((m) => m.kind === 'year');
    const hasSpecificDate = mentions.some((m) => m.kind === 'day' || m.kind === 'window' || m.kind === 'after_previous' || m.kind === 'week');
    if (hasYearOnly && !hasSpecificDate) return; // "In 2025 alone, TTP carried out 600 attacks": a tally, not an event
    if (HYPOTHETICAL.test(s) && !hasSpecificDate) return;
    if (/\b(?:did not|didn't|has not|have not|no)\s+(?:\w+\s+){0,2}$/i.test(s.slice(Math.max(0, trig.at - 25), trig.at)) && !/has not ceased/i.test(s)) return;
    // A place counts when it is told with the event, not elsewhere in a long sentence.
    const placeHits = findPlaces(s, placeIndex).filter((p) => allTriggers.some((t) => Math.abs(p.start - t.at) <= 60));
    if (!hasSpecificDate && placeHits.length === 0) return;
    const r = roles(s, trig.at, actorHits);
    const atts = attributions(s, actorHits);
    if (r.accuser && !atts.some((a) => a.who.id === (r.accuser?.party ?? null))) atts.push({ at: r.accuser.start, who: { id: r.accuser.party ?? r.accuser.ref.id, name: r.accuser.text } });
    const fatalities = fatalitiesOf(s, atts);
    const hedging = hedgingOf(s);
    const cat = targetCategory(s, trig.at);
    const targetCat = cat !== 'unknown' ? cat : r.target?.kind === 'armed_group' ? 'armed_group' : r.target?.kind === 'state_forces' ? 'security_forces' : 'unknown';
    // One candidate per place in "strikes in Kabul and Paktika"; one without a place otherwise.
    const distinct: PlaceHit[] = [];
    // "Barmal district of Paktika": the province only locates the district, it is not a second place.
    const finer = (p: PlaceHit): boolean => p.place.kind === 'province' && placeHits.some((q) => q.place.kind !== 'province' && q.place.admin1 === p.place.admin1);
    for (const p of placeHits) if (!finer(p) && !distinct.some((d) => d.place.id === p.place.id)) distinct.push(p);
    const locs: { loc: CandidateLocation; hit: PlaceHit | null }[] =
      distinct.length > 0 ? distinct.map((h) => ({ loc: locationOf(h.place), hit: h })) : [{ loc: { ...NO_PLACE, country: countryCue(s) }, hit: null }];
    const span = spanOf(ct, text, sent);
    for (const { loc, hit } of locs) {
      const chosen = chooseTime(mentions, trig.at, zoneForCountry(loc.country), prev);
      let confidence = 0.3;
      confidence += chosen.rank <= 1 ? 0.2 : chosen.rank <= 4 ? 0.1 : 0;
      confidence += hit ? 0.2 : loc.country ? 0.05 : 0;
      confidence += r.perpetrator ? 0.1 : 0;
      confidence += fatalities.length > 0 || r.target ? 0.1 : 0;
      confidence -= hedging === 'alleged' ? 0.05 : hedging === 'denied' ? 0.1 : 0;
      incidents.push({
        kind: 'incident',
        text_span: span,
        occurred: chosen.time,
        location: loc,
        event_type: targetCat === 'civilians' && trig.trigger.event_type === 'Battles' ? 'Violence against civilians' : trig.trigger.event_type,
        sub_event_type: targetCat === 'civilians' && trig.trigger.event_type === 'Battles' ? 'Attack' : trig.trigger.sub_event_type,
        actors: { perpetrator: r.perpetrator?.ref ?? null, target: r.target?.ref ?? null },
        target_category: targetCat,
        fatalities,
        hedging,
        confidence: round2(Math.max(0.05, Math.min(0.95, confidence))),
      });
    }
    lastIncidentSentence = si;
  });
  return { incidents, agreements: agreementsOut };
}

function spanOf(ct: CleanText, input: string, sent: Sentence): TextSpan {
  const { start, end } = toInputSpan(ct, sent.start, sent.end);
  return { start, end, text: input.slice(start, end) };
}

function termsOf(s: string): string[] {
  const body = s.replace(/^\W*(?:Under (?:this|the) (?:agreement|deal|ceasefire)|As part of the (?:ceasefire )?(?:agreement|deal)|The (?:agreement|deal))[,:]?\s*/i, '').replace(/[.\s]+$/, '');
  return body
    .split(/,\s+and\s+(?=(?:both|the|each|all|neither|[A-Z]))|;\s+/)
    .map((t) => t.trim())
    .filter((t) => t.length > 0);
}

function agreementOf(
  s: string,
  sent: Sentence,
  ct: CleanText,
  input: string,
  mentions: readonly DateMention[],
  hits: readonly ActorHit[],
  actors: readonly ActorEntry[],
  agreements: readonly AgreementEntry[],
): AgreementCandidate | null {
  const at = s.search(AGREEMENT_RE);
  const isParty = (id: string | null): ActorEntry | undefined => actors.find((a) => a.id === id && a.party === a.id);
  const mediatorKinds = new Set(['mediator', 'observer']);
  const parties: NamedRef[] = [];
  const mediators: NamedRef[] = [];
  for (const h of hits) {
    const p = isParty(h.party);
    if (!p) continue;
    const ref = { id: p.id, name: h.text };
    const list = mediatorKinds.has(p.kind) ? mediators : parties;
    if (!list.some((x) => x.id === ref.id)) list.push(ref);
  }
  if (/\b(?:the two countries|both (?:sides|countries|parties)|the countries|the two (?:sides|parties|governments))\b/i.test(s)) {
    for (const p of actors) if (p.party === p.id && !mediatorKinds.has(p.kind) && !parties.some((x) => x.id === p.id)) parties.push({ id: p.id, name: p.names[0] ?? p.id });
  }
  // The agreement's moment: a day named near the verb, or the window of a known truce.
  let time: CandidateTime = NO_TIME;
  const days = mentions.filter((m) => m.kind === 'day');
  const digits = (m: DateMention): number => (/\d/.test(m.text) ? 0 : 1);
  const near = [...days].sort((a, b) => digits(a) - digits(b) || Math.abs(a.start - at) - Math.abs(b.start - at))[0];
  const zone = /\bDoha\b/.test(s) ? 'Asia/Qatar' : /\b(?:Istanbul|Ankara)\b/.test(s) ? 'Europe/Istanbul' : zoneForCountry(parties[0] ? (actors.find((a) => a.id === parties[0]?.id)?.country ?? null) : null);
  if (near) {
    const r = resolveMention(near, zone);
    if (r) time = { from: iso(r.from), to: iso(r.to), stated: near.text };
  } else {
    const hours = /(\d{1,3})[- ]hours?\b/.exec(s)?.[1];
    const a = hours !== undefined ? agreements.find((x) => x.title.includes(`${hours}-hour`)) : undefined;
    const w = a?.windows;
    const extended = /\bextended|extension\b/i.test(s);
    const win = w ? (extended ? w[w.length - 1] : w[0]) : undefined;
    if (win) {
      const from = Date.parse(win.from);
      const to = win.to ? Date.parse(win.to) : from + 86_400_000;
      if (Number.isFinite(from) && Number.isFinite(to)) time = { from: iso(from), to: iso(to), stated: `${hours ?? ''}-hour ${extended ? 'extension' : 'truce'}` };
    }
  }
  if (time.from === null) return null;
  const terms = /\bagreed to (?!an?\s+(?:immediate\s+|temporary\s+)?(?:cease-?fire|truce))([^.;]+)/i.exec(s)?.[1];
  return { kind: 'agreement', text_span: spanOf(ct, input, sent), occurred: time, parties, mediators, terms: terms ? [terms.trim()] : [] };
}
