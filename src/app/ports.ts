/** What the use cases need from the places module; the composition root passes the real one. */
export interface PlacesPort {
  pointFacts(lat: number, lon: number): {
    country: string | null;
    admin1: string | null;
    admin2: string | null;
    side: 'AFG' | 'PAK' | null;
    distance_to_border_km: number | null;
  };
  /** Best single match for a place name, or null when none or ambiguous. */
  resolvePlace(name: string, country?: string): { lat: number; lon: number; admin1: string | null; admin2: string | null; precision: 1 | 2 | 3 } | null;
}

export type Clock = () => Date;
