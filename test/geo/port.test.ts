import { describe, expect, it } from 'vitest';
import type { PlacesPort } from '../../src/app/ports.js';
import { loadGeo } from '../../src/geo/index.js';

describe('the places module as the use cases see it', () => {
  it('satisfies PlacesPort (checked by the compiler) and answers through it', () => {
    const port: PlacesPort = loadGeo();
    expect(port.resolvePlace('Parachinar', 'PAK')).toMatchObject({ admin1: 'Khyber Pakhtunkhwa', admin2: 'Kurram', precision: 1 });
    expect(port.pointFacts(31.00575, 66.40001)).toMatchObject({ country: 'AFG', side: 'AFG', admin2: 'Spin Boldak' });
  });
});
