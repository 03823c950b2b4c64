import { describe, expect, it } from 'vitest';
import { contest } from '../../src/domain/contest.js';

const isParty = (id: string) => id === 'PAK' || id === 'AFG';

describe('contest', () => {
  it('groups by author, compares fields and gives the fatality range', () => {
    const v = contest(
      'i1',
      [
        { id: 'c1', by: 'AFG', basis: 'alleged', asserts: { perpetrator: 'PAK-AF', target_category: 'civilians', civilian_fatalities: { best: 10 } } },
        { id: 'c2', by: 'PAK', basis: 'alleged', asserts: { denies: 'PAK-AF', target_category: 'militants', fatalities: { low: 20, high: 40 } } },
        { id: 'c3', by: 'SRC1', basis: 'reported', asserts: { civilian_fatalities: { low: 6, best: 8, high: 12 } } },
      ],
      isParty,
    );
    expect(v.groups.map((g) => [g.by, g.kind])).toEqual([
      ['AFG', 'party'],
      ['PAK', 'party'],
      ['SRC1', 'source'],
    ]);
    const field = (f: string) => v.fields.find((x) => x.field === f)!;
    expect(field('perpetrator').agreement).toBe('differ');
    expect(field('target_category').agreement).toBe('differ');
    expect(field('facilitation').agreement).toBe('silent');
    expect(field('civilian_fatalities').range).toEqual({ low: 6, best_min: 8, best_max: 10, high: 12 });
    expect(field('fatalities').agreement).toBe('agree');
  });

  it('compares only the latest claim of a chain of corrections', () => {
    const v = contest(
      'i1',
      [
        { id: 'c1', by: 'PAK', basis: 'alleged', asserts: { target_category: 'civilians' } },
        { id: 'c2', by: 'PAK', basis: 'alleged', asserts: { target_category: 'militants' }, supersedes: 'c1' },
        { id: 'c3', by: 'AFG', basis: 'alleged', asserts: { target_category: 'militants' } },
      ],
      isParty,
    );
    expect(v.superseded).toEqual(['c1']);
    expect(v.fields.find((x) => x.field === 'target_category')!.agreement).toBe('agree');
  });
});
