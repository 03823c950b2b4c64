import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freshPostgresDatabase, postgresAvailable, REPO_ROOT } from '../support/env.js';

/**
 * `mizan start` on an empty data directory prints one-time credentials for one demo account per
 * role. Every one of them must sign in, and each must get its own role's scope — no more, no less.
 * Runs the compiled CLI (bin/mizan.js → dist/), as a user would.
 */
const MIZAN = join(REPO_ROOT, 'bin', 'mizan.js');
const stores: ('sqlite' | 'postgres')[] = ['sqlite'];
if (await postgresAvailable()) stores.push('postgres');

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

interface Printed {
  readonly role: string;
  readonly name: string;
  readonly password: string;
  readonly party: string | null;
}

/** The banner's account lines: "  <role> <name> <password>   (<party>)". */
function printedAccounts(out: string): Printed[] {
  const section = out.split('Demo accounts (passwords are shown only this once):')[1]?.split('\n\n')[0] ?? '';
  return [...section.matchAll(/^ {2}(\S+) +(\S+) +(\S+)(?: +\((\S+)\))?$/gm)].map((m) => ({ role: m[1]!, name: m[2]!, password: m[3]!, party: m[4] ?? null }));
}

// What each role may do, told apart by one request each (the row lists the demo accounts allowed).
// Writes carry the session's CSRF token, as the web UI sends it.
type Probe = { method: 'GET' | 'POST'; url: string; body?: (party: string | null) => unknown; allowed: string[] };
const PROBES: Record<string, Probe> = {
  'list accounts (user.manage)': { method: 'GET', url: '/api/v1/users', allowed: ['admin'] },
  'read the audit trail': { method: 'GET', url: '/api/v1/audit', allowed: ['admin', 'mediator-qat'] },
  'read monitors’ identities': { method: 'GET', url: '/api/v1/monitors', allowed: ['mediator-qat'] },
  'read monitor reports': { method: 'GET', url: '/api/v1/reports', allowed: ['admin', 'mediator-qat', 'delegate-pak', 'delegate-afg', 'monitor'] },
  'run claim extraction': { method: 'POST', url: '/api/v1/extract', body: () => ({ text: 'An air strike hit Kabul on 9 October.', published: '2025-10-22' }), allowed: ['admin', 'mediator-qat', 'analyst'] },
  'designate an actor for one’s own party': {
    method: 'POST',
    url: '/api/v1/designations',
    body: (party) => ({ actor: 'ISKP', by: party ?? 'PAK', position: 'terrorist', collective_action: 'support' }),
    allowed: ['delegate-pak', 'delegate-afg'],
  },
  'designate an actor for the other party': {
    method: 'POST',
    url: '/api/v1/designations',
    body: (party) => ({ actor: 'ISKP', by: party === 'AFG' ? 'PAK' : 'AFG', position: 'terrorist', collective_action: 'support' }),
    allowed: [],
  },
  // The demo monitor account is registered as a monitor at first start; a mediator registers more.
  'register a monitor': {
    method: 'POST',
    url: '/api/v1/monitors',
    body: () => ({ id: 'MON-NEW', pseudonym: 'Elder', districts: ['Chaman'], languages: ['ur'], zone: 'Asia/Karachi', identity: { name: 'Another Monitor', phone: '+92 300 1234567' } }),
    allowed: ['mediator-qat'],
  },
  'submit a monitor report': {
    method: 'POST',
    url: '/api/v1/reports',
    body: () => ({ idempotency_key: `demo-${Math.random().toString(36).slice(2)}`, place: 'Barmal', occurred_local: '2025-10-17T20:30', what: 'AIR', killed: 3, visibility: 'mediators', publish_request: false }),
    allowed: ['monitor'],
  },
};

const EXPECTED = [
  { role: 'admin', name: 'admin', party: null },
  { role: 'mediator', name: 'mediator-qat', party: 'QAT' },
  { role: 'delegate', name: 'delegate-pak', party: 'PAK' },
  { role: 'delegate', name: 'delegate-afg', party: 'AFG' },
  { role: 'monitor', name: 'monitor', party: null },
  { role: 'analyst', name: 'analyst', party: null },
];

describe.each(stores)('demo accounts from mizan start on %s', (kind) => {
  it('prints a password for every role; each signs in and gets exactly its role’s scope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mizan-demo-'));
    dirs.push(dir);
    const db = kind === 'postgres' ? await freshPostgresDatabase() : undefined;
    const child = spawn(process.execPath, [MIZAN, 'start', '--data', join(dir, 'data'), '--port', '0', ...(db ? ['--database-url', db.url] : [])], { env: { ...process.env, DATABASE_URL: '' } });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    try {
      const deadline = Date.now() + 90_000;
      while (!out.includes('Press Ctrl+C') && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 100));
      const base = `http://127.0.0.1:${/Mizan is serving http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1]}`;
      expect(out).toContain('Press Ctrl+C');

      const accounts = printedAccounts(out);
      expect(accounts.map(({ role, name, party }) => ({ role, name, party })), out).toEqual(EXPECTED);
      const passwords = accounts.map((a) => a.password);
      expect(new Set(passwords).size).toBe(passwords.length);
      for (const p of passwords) expect(p).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);

      const outcomes: Record<string, string[]> = Object.fromEntries(Object.keys(PROBES).map((k) => [k, []]));
      for (const a of accounts) {
        const login = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: a.name, password: a.password }) });
        expect(login.status, a.name).toBe(200);
        const grant = (await login.json()) as { user: { name: string; role: string; party: string | null }; csrf_token: string };
        expect(grant.user, a.name).toMatchObject({ name: a.name, role: a.role, party: a.party });
        const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
        // A wrong password for the same account is refused: the printed one is the one that works.
        const wrong = await fetch(`${base}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: a.name, password: `${a.password}x` }) });
        expect(wrong.status).toBe(401);

        for (const [label, p] of Object.entries(PROBES)) {
          const headers: Record<string, string> = { cookie, 'x-csrf-token': grant.csrf_token };
          const body = p.body ? JSON.stringify(p.body(a.party)) : undefined;
          if (body) headers['content-type'] = 'application/json';
          const r = await fetch(`${base}${p.url}`, { method: p.method, headers, ...(body ? { body } : {}) });
          const text = await r.text();
          if (r.status < 300) outcomes[label]!.push(a.name);
          else expect(r.status, `${a.name}: ${label}: ${text}`).toBe(403);
        }
      }
      expect(outcomes).toEqual(Object.fromEntries(Object.entries(PROBES).map(([k, p]) => [k, p.allowed])));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      await db?.drop();
    }
  });
});
