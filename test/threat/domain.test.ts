import { describe, expect, it } from 'vitest';
import type { StoredProposal, StoredResponse } from '../../src/domain/threat/index.js';
import { buildMatrix, deriveProposal, deriveStatus, findNameCandidates, matrixHistory, nameSimilarity, normaliseActorName, OPINION_OF, stixId, uuidv5 } from '../../src/domain/threat/index.js';

describe('actor name normalisation', () => {
  it.each([
    ['Tehrik-i-Taliban Pakistan', 'Tehreek-e-Taliban Pakistan'],
    ['Tehrik-e-Taliban Pakistan', 'TEHRIK E TALEBAN PAKISTAN'],
    ['Islamic State Khorasan Province', 'Islamic State Khurasan Province'],
    ['Al-Qaeda', 'al Qaida'],
    ['Tehrik-e-Nifaz-e-Shariat-e-Muhammadi', 'Tehreek-e-Nafaz-e-Shariat-e-Mohammadi'],
    ['Türkiye', 'Turkiye'],
    // Arabic-script variants: Arabic yeh/kaf vs Persian/Urdu forms, heh goal vs heh.
    ['تحریک طالبان پاکستان', 'تحريك طالبان پاكستان'],
    ['فتنہ الخوارج', 'فتنه الخوارج'],
  ])('%s ≡ %s', (a, b) => {
    expect(normaliseActorName(a)).toBe(normaliseActorName(b));
    expect(nameSimilarity(a, b)).toBe(1);
  });

  it('scores near misses below 1 and unrelated names low', () => {
    expect(nameSimilarity('Tehrik-i-Taliban', 'Tehrik-i-Taliban Pakistan')).toBeGreaterThan(0.5);
    expect(nameSimilarity('Tehrik-i-Taliban', 'Tehrik-i-Taliban Pakistan')).toBeLessThan(1);
    expect(nameSimilarity('Baloch Liberation Army', 'Islamic State Khorasan Province')).toBeLessThan(0.35);
  });

  it('returns candidates with scores and never folds two actors into one', () => {
    const actors = [
      { id: 'TTP', names: ['Tehrik-i-Taliban Pakistan', { name: 'Fitna al-Khawarij', used_by: ['PAK'] }] },
      { id: 'TTP-2', names: ['Tehreek-e-Taliban Pakistan'] },
      { id: 'BLA', names: ['Baloch Liberation Army'] },
    ];
    const c = findNameCandidates('Tehreek-i-Taleban Pakistan', actors);
    expect(c.map((x) => x.actor).sort()).toEqual(['TTP', 'TTP-2']);
    expect(c.every((x) => x.score === 1)).toBe(true);
    const k = findNameCandidates('fitna al khawarij', actors);
    expect(k[0]).toMatchObject({ actor: 'TTP', score: 1, matched: 'Fitna al-Khawarij', used_by: ['PAK'] });
  });
});

describe('threat status (first rule that applies)', () => {
  const P = ['PAK', 'AFG'];
  const t = (position: 'terrorist' | 'not_terrorist' | 'under_review', collective_action: 'support' | 'oppose' | 'undecided') => ({ position, collective_action });
  it.each([
    ['contested on position', { PAK: t('terrorist', 'support'), AFG: t('not_terrorist', 'support') }, 'contested'],
    ['contested on stance only', { PAK: t('terrorist', 'support'), AFG: t('terrorist', 'oppose') }, 'contested'],
    ['contested beats unknown', { PAK: t('terrorist', 'support'), AFG: t('not_terrorist', 'oppose') }, 'contested'],
    ['unknown when a party is silent', { PAK: t('terrorist', 'support') }, 'unknown'],
    ['unknown when nobody spoke', {}, 'unknown'],
    ['agreed collective action', { PAK: t('terrorist', 'support'), AFG: t('terrorist', 'support') }, 'agreed_collective_action'],
    ['agreed threat, no joint action', { PAK: t('terrorist', 'undecided'), AFG: t('terrorist', 'undecided') }, 'agreed_threat_no_joint_action'],
    ['agreed not a threat', { PAK: t('not_terrorist', 'oppose'), AFG: t('not_terrorist', 'oppose') }, 'agreed_not_threat'],
    ['under review', { PAK: t('under_review', 'undecided'), AFG: t('under_review', 'undecided') }, 'under_review'],
  ] as const)('%s', (_name, positions, status) => {
    expect(deriveStatus(positions, P).status).toBe(status);
  });

  it('says on what the parties differ', () => {
    const { differences } = deriveStatus({ PAK: t('terrorist', 'support'), AFG: t('not_terrorist', 'oppose') }, P);
    expect(differences).toEqual([
      { on: 'position', by: { PAK: 'terrorist', AFG: 'not_terrorist' } },
      { on: 'collective_action', by: { PAK: 'support', AFG: 'oppose' } },
    ]);
  });
});

describe('matrix', () => {
  const parties = [
    { id: 'PAK', kind: 'state' as const },
    { id: 'AFG', kind: 'de_facto_authority' as const },
    { id: 'QAT', kind: 'mediator' as const },
  ];
  const actors = [
    { id: 'X', names: ['Group X'] },
    { id: 'X2', names: ['Group Ex'] },
    { id: 'F', names: ['Forces'], kind: 'state_forces' },
  ];
  const d = (id: string, actor: string, by: string, position: 'terrorist' | 'not_terrorist', collective_action: 'support' | 'oppose', log_index: number) => ({ id, actor, by, position, collective_action, recorded_at: '2025-10-20T00:00:00.000Z', log_index });

  it('counts only states and de facto authorities; a later statement supersedes; history shows each change', () => {
    const designations = [d('1', 'X', 'PAK', 'terrorist', 'support', 1), d('2', 'X', 'AFG', 'not_terrorist', 'oppose', 2), d('3', 'X', 'QAT', 'terrorist', 'support', 3), d('4', 'X', 'AFG', 'terrorist', 'support', 4)];
    const rows = buildMatrix({ parties, actors, designations, references: [], links: [] });
    expect(rows.map((r) => r.actor)).toEqual(['X', 'X2']);
    expect(rows[0]!.status).toBe('agreed_collective_action');
    expect(Object.keys(rows[0]!.positions).sort()).toEqual(['AFG', 'PAK']);
    expect(rows[0]!.positions.AFG!.designation).toBe('4');
    const h = matrixHistory({ parties, actors, designations, references: [], links: [] });
    expect(h.map((c) => [c.actor, c.from, c.to])).toEqual([
      ['X', 'unknown', 'contested'],
      ['X', 'contested', 'agreed_collective_action'],
    ]);
  });

  it('reads statements through an active same-as link, and not through an undone one', () => {
    const designations = [d('1', 'X', 'PAK', 'terrorist', 'support', 1), d('2', 'X2', 'AFG', 'terrorist', 'support', 2)];
    const link = { id: 'L', a: 'X', b: 'X2', reason: 'same', decided_by: 'm', active: true };
    const on = buildMatrix({ parties, actors, designations, references: [], links: [link] });
    expect(on[0]).toMatchObject({ status: 'agreed_collective_action', same_as: ['X2'] });
    expect(on[0]!.positions.AFG!.via).toBe('X2');
    const off = buildMatrix({ parties, actors, designations, references: [], links: [{ ...link, active: false }] });
    expect(off[0]!.status).toBe('unknown');
  });
});

describe('proposal state', () => {
  const p: StoredProposal = { id: 'P', title: 't', criteria: 'c', actors: ['A', 'B'], parties: ['PAK', 'AFG'], proposed_by: 'QAT', recorded_at: 'x', log_index: 1 };
  const r = (id: string, by: string, items: [string, 'accept' | 'reject'][], log_index: number): StoredResponse => ({ id, proposal: 'P', by, items: items.map(([actor, decision]) => ({ actor, decision, reason: 'r' })), recorded_at: 'x', log_index });
  it('open → under consideration → partially accepted → adopted', () => {
    expect(deriveProposal(p, []).state).toBe('open');
    expect(deriveProposal(p, [r('1', 'PAK', [['A', 'accept'], ['B', 'accept']], 2)]).state).toBe('under_consideration');
    const decided = deriveProposal(p, [r('1', 'PAK', [['A', 'accept'], ['B', 'accept']], 2), r('2', 'AFG', [['A', 'accept'], ['B', 'reject']], 3)]);
    expect(decided.state).toBe('partially_accepted');
    expect(decided.agreed_list).toEqual(['A']);
    expect(decided.items[1]!.status).toBe('rejected');
    const changed = deriveProposal(p, [r('1', 'PAK', [['A', 'accept'], ['B', 'accept']], 2), r('2', 'AFG', [['A', 'accept'], ['B', 'reject']], 3), r('3', 'AFG', [['B', 'accept']], 4)]);
    expect(changed.state).toBe('accepted');
    expect(deriveProposal(p, [], [{ id: 'an', proposal: 'P', agreement: 'G', actors: ['A'], recorded_at: 'x', log_index: 5 }]).state).toBe('adopted');
  });
  it('all rejected is rejected', () => {
    expect(deriveProposal(p, [r('1', 'PAK', [['A', 'reject'], ['B', 'reject']], 2), r('2', 'AFG', [['A', 'accept'], ['B', 'accept']], 3)]).state).toBe('rejected');
  });
});

describe('STIX ids', () => {
  it('implements UUIDv5 (RFC 9562 Appendix A.4 vector: DNS namespace, www.example.com)', () => {
    expect(uuidv5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
  });
  it('is stable across exports', () => {
    expect(stixId('intrusion-set', 'TTP')).toBe(stixId('intrusion-set', 'TTP'));
    expect(stixId('intrusion-set', 'TTP')).not.toBe(stixId('intrusion-set', 'ISKP'));
    expect(stixId('intrusion-set', 'TTP')).toMatch(/^intrusion-set--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
  it('maps positions to the opinion scale', () => {
    expect(OPINION_OF).toEqual({ terrorist: 'strongly-agree', not_terrorist: 'strongly-disagree', under_review: 'neutral' });
  });
});
