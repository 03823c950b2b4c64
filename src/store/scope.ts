import type { Visibility } from '../domain/common.js';
import type { Principal } from '../domain/principal.js';

/**
 * Which visibility levels a caller may read. Admins see `parties` but never `mediators` data:
 * monitor identities are a reprisal risk, and running the server must not expose them.
 */
export function visibleLevels(p: Principal): Visibility[] {
  switch (p.kind) {
    case 'anonymous':
      return ['public'];
    case 'system':
      return ['public', 'parties', 'mediators'];
    case 'user':
      switch (p.role) {
        case 'mediator':
          return ['public', 'parties', 'mediators'];
        case 'delegate':
        case 'admin':
          return ['public', 'parties'];
        case 'analyst':
        case 'monitor':
          return ['public'];
        default: {
          const never: never = p.role;
          return never;
        }
      }
    default: {
      const never: never = p;
      return never;
    }
  }
}
