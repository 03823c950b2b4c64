// The joint view of designations. The server answers GET /api/v1/threat-matrix with
// src/domain/threat/matrix.ts; when that endpoint is unavailable the browser runs the same
// buildMatrix on the public designations (without reference lists and same-as links, which have
// no other public endpoint).
import { buildMatrix, designatingParties } from '../../../src/domain/threat/matrix.js';
import type { MatrixActor, StatedDesignation } from '../../../src/domain/threat/matrix.js';
import type { ActorRecord, DesignationRecord, PartyRecord, ThreatMatrix } from '../api/types.js';

export function matrixFromDesignations(designations: readonly DesignationRecord[], parties: readonly PartyRecord[], actors: readonly ActorRecord[]): ThreatMatrix {
  const stated: StatedDesignation[] = designations.map((d, i) => ({
    id: (d as { id?: string }).id ?? `${d.by}.${d.actor}.${i}`,
    actor: d.actor,
    by: d.by,
    position: d.position,
    collective_action: d.collective_action,
    basis: d.basis,
    at: d.at,
    recorded_at: d.recorded_at ?? '',
    log_index: d.log_index ?? i,
  }));
  const input = {
    parties: parties.map((p) => ({ id: p.id, kind: p.kind })),
    actors: actors.map((a): MatrixActor => ({ id: a.id, names: a.names, kind: a.kind, controlled_by: a.controlled_by })),
    designations: stated,
    references: [],
    links: [],
  };
  return { parties: designatingParties(input.parties), actors: buildMatrix(input) };
}
