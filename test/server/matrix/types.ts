import type { TestApp } from '../../support/app.js';

export type Who = 'anonymous' | 'admin1' | 'mediator1' | 'pak1' | 'afg1' | 'monitor1' | 'analyst1';
export const EVERYONE: Who[] = ['anonymous', 'admin1', 'mediator1', 'pak1', 'afg1', 'monitor1', 'analyst1'];
export const SIGNED_IN: Who[] = EVERYONE.filter((w) => w !== 'anonymous');
/** The party each caller acts for (delegates and the mediator; others get PAK for samples). */
export const partyOf: Record<Who, string> = { anonymous: 'PAK', admin1: 'PAK', mediator1: 'QAT', pak1: 'PAK', afg1: 'AFG', monitor1: 'PAK', analyst1: 'PAK' };

let n = 0;
export const uid = (p: string): string => `${p}-${++n}`;

/**
 * One row of the authorization matrix: a sample request for each caller, and who succeeds.
 * Callers not in `allowed` get 401 (anonymous) or 403; `refused` lists other statuses that are
 * acceptable for everyone (a sample refused for its content the same way for every caller).
 */
export interface MatrixCase {
  req: (who: Who) => { url: string; body?: unknown };
  allowed: Who[];
  refused?: number[];
}

/** Setup a module's rows need (records to act on), run once before the matrix. */
export type MatrixSetup = (t: TestApp, as: (who: Who, method: 'GET' | 'POST', url: string, body?: unknown) => Promise<{ statusCode: number; body: string }>) => Promise<void>;
