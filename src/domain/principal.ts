/**
 * Who is acting. Every use case receives one as an argument (no hidden request context), so the
 * policy module can decide what they may see and do.
 */
export const ROLES = ['admin', 'mediator', 'delegate', 'monitor', 'analyst'] as const;
export type Role = (typeof ROLES)[number];

export type Principal =
  | { readonly kind: 'anonymous' }
  | {
      readonly kind: 'user';
      readonly userId: string;
      readonly name: string;
      readonly role: Role;
      /** The party a delegate or mediator acts for; null for other roles. */
      readonly party: string | null;
    }
  /** The operator acting from the command line on its own data directory. */
  | { readonly kind: 'system' };

export const ANONYMOUS: Principal = { kind: 'anonymous' };
export const SYSTEM: Principal = { kind: 'system' };
