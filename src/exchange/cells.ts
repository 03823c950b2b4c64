import { FORMULA_START } from '../intake/index.js';

/**
 * CSV injection (OWASP "CSV Injection"): a text cell that begins with = + - @ (or a tab or
 * carriage return) runs as a formula when the file is opened in a spreadsheet. Such a cell is
 * written behind an apostrophe, which spreadsheets show as text; Mizan's importer removes it again.
 */
export function guard(v: string): string {
  return FORMULA_START.test(v) ? `'${v}` : v;
}
