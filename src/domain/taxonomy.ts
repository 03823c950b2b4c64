/** ACLED's event taxonomy (ACLED Codebook, 2023/2024 edition): event type → sub-event types. */
export const ACLED_EVENT_TYPES = {
  Battles: ['Armed clash', 'Government regains territory', 'Non-state actor overtakes territory'],
  'Explosions/Remote violence': [
    'Chemical weapon',
    'Air/drone strike',
    'Suicide bomb',
    'Shelling/artillery/missile attack',
    'Remote explosive/landmine/IED',
    'Grenade',
  ],
  'Violence against civilians': ['Sexual violence', 'Attack', 'Abduction/forced disappearance'],
  Protests: ['Peaceful protest', 'Protest with intervention', 'Excessive force against protesters'],
  Riots: ['Violent demonstration', 'Mob violence'],
  'Strategic developments': [
    'Agreement',
    'Arrests',
    'Change to group/activity',
    'Disrupted weapons use',
    'Headquarters or base established',
    'Looting/property destruction',
    'Non-violent transfer of territory',
    'Other',
  ],
} as const satisfies Record<string, readonly string[]>;

export type EventType = keyof typeof ACLED_EVENT_TYPES;
export const EVENT_TYPES = Object.keys(ACLED_EVENT_TYPES) as EventType[];

export function isSubEventOf(eventType: string, subEventType: string): boolean {
  const subs = (ACLED_EVENT_TYPES as Record<string, readonly string[]>)[eventType];
  return subs !== undefined && subs.includes(subEventType);
}
