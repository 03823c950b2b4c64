// Short texts in the style of news wires, one feature each (issue 9 §1).
import { describe, expect, it } from 'vitest';
import { parsePublished, weekdayOnOrBefore } from '../../src/intake/extract/index.js';
import { extractor } from './support.js';

const one = (text: string, published = '2025-10-22') => {
  const r = extractor().extract(text, published);
  expect(r.incidents.length, JSON.stringify(r.incidents)).toBeGreaterThanOrEqual(1);
  return r.incidents[0]!;
};

describe('dates resolve against the publication date', () => {
  it('a bare weekday is the most recent one on or before publication, not the next one', () => {
    expect(weekdayOnOrBefore(parsePublished('2025-10-22')!, 5)).toEqual({ y: 2025, m: 10, d: 17 });
    expect(weekdayOnOrBefore(parsePublished('2025-10-17')!, 5)).toEqual({ y: 2025, m: 10, d: 17 });
  });

  it('"Friday evening" in an article of Wednesday 22 October 2025 is 18:00–24:00 Kabul time on 17 October', () => {
    const i = one('Pakistani jets bombed homes in Barmal district of Paktika on Friday evening, Taliban officials said.');
    expect(i.occurred).toMatchObject({ from: '2025-10-17T13:30:00.000Z', to: '2025-10-17T19:30:00.000Z' });
    expect(i.location).toMatchObject({ name: 'Barmal', country: 'AFG', admin1: 'Paktika', admin2: 'Barmal' });
  });

  it('"on October 9" and "9 October" are that day, in the zone of the country it happened in', () => {
    const a = one('An air strike hit a compound in Kabul on October 9, officials said.');
    const b = one('An air strike hit a compound in Kabul on 9 October, officials said.');
    expect(a.occurred.from).toBe('2025-10-08T19:30:00.000Z');
    expect(a.occurred.to).toBe('2025-10-09T19:30:00.000Z');
    expect(b.occurred).toMatchObject({ from: a.occurred.from, to: a.occurred.to });
  });

  it('a day after publication in the same year falls back to the year before', () => {
    const i = one('A drone strike hit a house in Urgun on 30 December.', '2026-01-05');
    expect(i.occurred.from).toBe('2025-12-29T19:30:00.000Z');
  });

  it('"late Thursday" narrows to the evening; Pakistan days are read in Asia/Karachi', () => {
    const i = one('Militants attacked a check post in Mir Ali late Thursday, the military said.');
    expect(i.occurred).toMatchObject({ from: '2025-10-16T13:00:00.000Z', to: '2025-10-16T19:00:00.000Z' });
    expect(i.location).toMatchObject({ country: 'PAK', admin2: 'North Waziristan' });
  });

  it('"early on October 18" is the first hours of the day; "early hours of Saturday" before dawn', () => {
    const a = one('Shelling hit villages in Spin Boldak early on October 18, residents said.');
    expect(a.occurred).toMatchObject({ from: '2025-10-17T19:30:00.000Z', to: '2025-10-18T04:30:00.000Z' });
    const b = one('Shelling hit villages in Spin Boldak in the early hours of Saturday, residents said.');
    expect(b.occurred).toMatchObject({ from: '2025-10-17T19:30:00.000Z', to: '2025-10-18T01:30:00.000Z' });
  });

  it('"overnight" runs from the evening into the next morning', () => {
    const i = one('Clashes broke out overnight on Tuesday near Chaman, police said.');
    expect(i.occurred).toMatchObject({ from: '2025-10-21T15:00:00.000Z', to: '2025-10-22T01:00:00.000Z' });
  });

  it('"last week" is the calendar week before publication', () => {
    const i = one('Last week, an air strike hit a madrassa in Khost province.');
    // Monday 13 October 00:00 to Monday 20 October 00:00, Kabul time
    expect(i.occurred).toMatchObject({ from: '2025-10-12T19:30:00.000Z', to: '2025-10-19T19:30:00.000Z' });
  });

  it('"during the initial 48-hour truce" resolves through the agreement windows', () => {
    const i = one('During the initial 48-hour truce, four soldiers were killed in an IED blast in Bajaur.');
    expect(i.occurred).toMatchObject({ from: '2025-10-15T13:00:00.000Z', to: '2025-10-17T13:00:00.000Z' });
    expect(i.sub_event_type).toBe('Remote explosive/landmine/IED');
  });
});

describe('fatalities, who states them, hedging', () => {
  it('number words, "at least", "more than", ranges and "dozens"', () => {
    expect(one('Seven soldiers were killed in a suicide attack in Mir Ali on Friday.').fatalities[0]).toMatchObject({ low: 7, high: 7 });
    expect(one('A car bomb killed at least 10 people in Peshawar on Monday.').fatalities[0]).toMatchObject({ low: 10, high: null });
    expect(one('Officials said more than 200 militants were killed in air strikes in Paktika on Friday.').fatalities[0]).toMatchObject({ low: 201, high: null });
    expect(one('Between 12 and 15 civilians were killed when shelling hit Chaman on Sunday.').fatalities[0]).toMatchObject({ low: 12, high: 15 });
    expect(one('Dozens of fighters were killed in clashes in Kurram on Saturday.').fatalities[0]).toMatchObject({ low: 24, high: null });
  });

  it('contested figures keep each with the one who states it', () => {
    const i = one('Air strikes in Barmal killed 10 civilians on Friday evening, Taliban officials said, while ISPR said 30 militants were killed.');
    expect(i.fatalities).toHaveLength(2);
    expect(i.fatalities[0]).toMatchObject({ low: 10, high: 10, who: { id: 'AFG' } });
    expect(i.fatalities[1]).toMatchObject({ low: 30, high: 30, who: { id: 'PAK' } });
  });

  it('"according to the military" names who states the figure', () => {
    const i = one('Five soldiers were killed in an attack on a post in Khyber on Sunday, according to the military.');
    expect(i.fatalities[0]?.who.name).toBe('the military');
  });

  it('claimed → claimed, allegedly → alleged, denied → denied, plain → reported', () => {
    expect(one('The TTP claimed responsibility for a suicide attack in Bannu on Friday.').hedging).toBe('claimed');
    expect(one('Pakistan allegedly bombed homes in Paktika on Friday.').hedging).toBe('alleged');
    expect(one('Pakistan denied carrying out air strikes in Khost on Friday.').hedging).toBe('denied');
    expect(one('An air strike hit Khost on Friday.').hedging).toBe('reported');
  });

  it('actors through the alias table, in other spellings and scripts', () => {
    const i = one('Fighters of Fitna al-Khawarij attacked a police station in Bannu on Monday, killing three policemen.');
    expect(i.actors.perpetrator).toMatchObject({ id: 'TTP' });
    expect(i.target_category).toBe('security_forces');
    const j = one('تحریک طالبان پاکستان fighters ambushed a convoy in Kurram on Monday.');
    expect(j.actors.perpetrator).toMatchObject({ id: 'TTP' });
  });
});

describe('places', () => {
  it('Arabic-script place names resolve through the gazetteer', () => {
    const i = one('A drone strike hit a house in برمل on Friday night, killing two children, residents said.');
    expect(i.location).toMatchObject({ name: 'Barmal', admin1: 'Paktika', country: 'AFG' });
    expect(i.target_category).toBe('civilians');
    const j = one('Mortar shells landed in ارگون on Thursday.');
    expect(j.location).toMatchObject({ name: 'Urgun', admin1: 'Paktika' });
  });

  it('other spellings: Bermal is Barmal', () => {
    expect(one('Air strikes hit Bermal district on Friday evening.').location).toMatchObject({ name: 'Barmal', admin2: 'Barmal' });
  });

  it('a sentence with no event, or a tally by year, gives no candidate', () => {
    expect(extractor().extract('The delegation arrived in Kabul on Monday for talks.', '2025-10-22').incidents).toEqual([]);
    expect(extractor().extract('In 2025 alone, the group carried out 600 attacks in Khyber Pakhtunkhwa.', '2025-10-22').incidents).toEqual([]);
    expect(extractor().extract('Any attack in Kabul would be a violation.', '2025-10-22').incidents).toEqual([]);
  });
});

describe('agreements', () => {
  it('a ceasefire brokered by a mediator, with its terms', () => {
    const r = extractor().extract('Qatar brokered a ceasefire between the two countries on 19 October in Doha. Under this agreement, both sides agreed to refrain from targeting civilians, and the Taliban said it would not support attacks on Pakistan.', '2025-10-22');
    expect(r.agreements).toHaveLength(1);
    const a = r.agreements[0]!;
    expect(a.mediators.map((m) => m.id)).toEqual(['QAT']);
    expect(a.parties.map((p) => p.id).sort()).toEqual(['AFG', 'PAK']);
    expect(a.occurred.from).toBe('2025-10-18T21:00:00.000Z');
    expect(a.terms.length).toBe(2);
  });
});
