// The monitor's web report: the shared schema, the idempotency key a report gets when it is
// queued (the queue itself: queue.ts and idb.ts), and the digits phones type.
import { WHAT_CODES } from '../../../src/domain/monitors/vocabulary.js';
import type { WhatCode } from '../../../src/domain/monitors/vocabulary.js';

export { WHAT_CODES };
export type { WhatCode };

export { WebReport } from '../../../src/domain/monitors/web-report.js';

/** A fresh key per report: a re-send after a lost answer is then stored once. */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}`;
}

/** Western digits from Eastern Arabic ones (۰–۹, ٠–٩): phones in Kabul or Peshawar type either. */
export function latinDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9]/g, (d) => String(d.charCodeAt(0) - 0x06f0)).replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660));
}
