import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { z } from 'zod';
import { Id } from '../domain/common.js';
import { MizanError } from '../domain/errors.js';
import { authorize } from '../domain/policy.js';
import type { Principal, Role } from '../domain/principal.js';
import { ROLES } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import type { Db } from '../store/store.js';
import type { Mizan } from './mizan.js';

const scrypt = promisify(scryptCb) as (pw: string, salt: Buffer, len: number, opts: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** scrypt parameters (RFC 7914): N=2^15, r=8, p=1 — about 50 ms and 32 MiB per guess. */
const SCRYPT = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

export const SESSION_IDLE_MS = 2 * 60 * 60 * 1000;
export const SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password.normalize('NFC'), salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const got = await scrypt(password.normalize('NFC'), Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem });
  return timingSafeEqual(got, expected);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** A readable one-time password: 4 groups of 5 from an unambiguous alphabet (~100 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (let i = 0; i < 20; i++) {
    out += alphabet[bytes[i]! % alphabet.length];
    if (i % 5 === 4 && i < 19) out += '-';
  }
  return out;
}

export const NewUser = z
  .strictObject({
    name: z.string().regex(/^[a-z0-9][a-z0-9._-]{1,63}$/, 'must be 2–64 lower-case letters, digits, ".", "_" or "-"'),
    role: z.enum(ROLES),
    party: Id.optional(),
    password: z.string().min(12, 'must be at least 12 characters').max(200).optional(),
  })
  .superRefine((u, ctx) => {
    if ((u.role === 'delegate' || u.role === 'mediator') && !u.party) ctx.addIssue({ code: 'custom', path: ['party'], message: `a ${u.role} acts for a party: give --party` });
    if (u.role !== 'delegate' && u.role !== 'mediator' && u.party) ctx.addIssue({ code: 'custom', path: ['party'], message: `a ${u.role} is not bound to a party` });
  });

export interface PublicUser {
  id: string;
  name: string;
  role: Role;
  party: string | null;
  created_at: string;
  disabled: boolean;
}

function toPublic(u: { id: string; name: string; role: string; party: string | null; created_at: string; disabled_at: string | null }): PublicUser {
  return { id: u.id, name: u.name, role: u.role as Role, party: u.party, created_at: u.created_at, disabled: u.disabled_at !== null };
}

/** Create an account; returns the one-time password when none was given. */
export async function addUser(app: Mizan, actor: Principal, body: unknown): Promise<{ user: PublicUser; password: string | null }> {
  authorize(actor, 'user.manage');
  const input = parseOrThrow(NewUser, body, 'the user');
  if (input.party) {
    const party = await app.store.db.selectFrom('parties').select('kind').where('id', '=', input.party).executeTakeFirst();
    if (!party) throw new MizanError('DANGLING_REFERENCE', `no party ${input.party}`, [{ path: ['party'], code: 'dangling_reference', message: `no party with id ${JSON.stringify(input.party)}` }]);
    if (input.role === 'mediator' && party.kind !== 'mediator') throw new MizanError('VALIDATION_FAILED', `party ${input.party} is not a mediator`, [{ path: ['party'], code: 'not_a_mediator', message: 'a mediator account is bound to a mediator party' }]);
    if (input.role === 'delegate' && party.kind === 'mediator') throw new MizanError('VALIDATION_FAILED', `party ${input.party} is a mediator`, [{ path: ['party'], code: 'not_a_party', message: 'a delegate account is bound to a state or authority' }]);
  }
  const exists = await app.store.db.selectFrom('users').select('id').where('name', '=', input.name).executeTakeFirst();
  if (exists) throw new MizanError('DUPLICATE_ID', `a user named ${input.name} already exists`, [{ path: ['name'], code: 'duplicate_id', message: 'is taken' }]);
  const password = input.password ?? generatePassword();
  const now = app.clock().toISOString();
  const row = {
    id: `u_${randomBytes(8).toString('hex')}`,
    name: input.name,
    role: input.role,
    party: input.party ?? null,
    password_hash: await hashPassword(password),
    created_at: now,
    disabled_at: null,
    sessions_valid_after: now,
  };
  await app.store.db.insertInto('users').values(row).execute();
  return { user: toPublic(row), password: input.password ? null : password };
}

export async function listUsers(app: Mizan, actor: Principal): Promise<PublicUser[]> {
  authorize(actor, 'user.manage');
  const rows = await app.store.db.selectFrom('users').selectAll().orderBy('created_at').execute();
  return rows.map(toPublic);
}

export interface SessionGrant {
  readonly sessionToken: string;
  readonly csrfToken: string;
  readonly user: PublicUser;
}

export const LoginBody = z.strictObject({ name: z.string().min(1).max(64), password: z.string().min(1).max(200) });

/** Password login. A new session id every time (rotation); the old one, if any, is dropped. */
export async function login(app: Mizan, body: unknown, previousSession?: string): Promise<SessionGrant> {
  const { name, password } = parseOrThrow(LoginBody, body, 'the login');
  const user = await app.store.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
  // Hash even for an unknown name, so response time does not reveal which names exist.
  const ok = user?.password_hash ? await checkPassword(password, user.password_hash) : (await hashPassword(password), false);
  if (!user || !ok || user.disabled_at) throw new MizanError('UNAUTHENTICATED', 'wrong name or password');
  if (previousSession) await app.store.db.deleteFrom('sessions').where('id_hash', '=', sha256(previousSession)).execute();
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const now = app.clock().toISOString();
  await app.store.db.insertInto('sessions').values({ id_hash: sha256(token), user_id: user.id, csrf, created_at: now, last_seen_at: now }).execute();
  return { sessionToken: token, csrfToken: csrf, user: toPublic(user) };
}

export async function logout(app: Mizan, sessionToken: string): Promise<void> {
  await app.store.db.deleteFrom('sessions').where('id_hash', '=', sha256(sessionToken)).execute();
}

/** Ends every session of the user and makes older ones invalid even if a copy survives somewhere. */
/**
 * Ends every session of the account and revokes its API tokens. Someone who used a stolen session
 * could have made a token; signing out everywhere must lock them out, not only their browser.
 */
export async function logoutEverywhere(app: Mizan, p: Extract<Principal, { kind: 'user' }>): Promise<{ sessions_ended: number; tokens_revoked: number }> {
  const now = app.clock().toISOString();
  const result = await app.store.db.transaction().execute(async (tx) => {
    await tx.updateTable('users').set({ sessions_valid_after: now }).where('id', '=', p.userId).execute();
    const sessions = await tx.deleteFrom('sessions').where('user_id', '=', p.userId).executeTakeFirst();
    const tokens = await tx.updateTable('api_tokens').set({ revoked_at: now }).where('user_id', '=', p.userId).where('revoked_at', 'is', null).executeTakeFirst();
    return { sessions_ended: Number(sessions.numDeletedRows), tokens_revoked: Number(tokens.numUpdatedRows) };
  });
  await recordAudit(app, p, 'sign out everywhere', p.name);
  return result;
}

function principalOf(u: { id: string; name: string; role: string; party: string | null }): Principal {
  return { kind: 'user', userId: u.id, name: u.name, role: u.role as Role, party: u.party };
}

/** Resolve a session cookie: idle and absolute expiry, disabled users, logout-everywhere. */
export async function sessionPrincipal(app: Mizan, token: string): Promise<{ principal: Principal; csrf: string } | null> {
  const db: Db = app.store.db;
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['sessions.id_hash', 'sessions.csrf', 'sessions.created_at', 'sessions.last_seen_at', 'users.id', 'users.name', 'users.role', 'users.party', 'users.disabled_at', 'users.sessions_valid_after'])
    .where('sessions.id_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row) return null;
  const now = app.clock().getTime();
  const expired =
    row.disabled_at !== null ||
    now - Date.parse(row.last_seen_at) > SESSION_IDLE_MS ||
    now - Date.parse(row.created_at) > SESSION_ABSOLUTE_MS ||
    Date.parse(row.created_at) < Date.parse(row.sessions_valid_after);
  if (expired) {
    await db.deleteFrom('sessions').where('id_hash', '=', row.id_hash).execute();
    return null;
  }
  // Touch at most once a minute: a read should not become a write on every request.
  if (now - Date.parse(row.last_seen_at) > 60_000) await db.updateTable('sessions').set({ last_seen_at: new Date(now).toISOString() }).where('id_hash', '=', row.id_hash).execute();
  return { principal: principalOf(row), csrf: row.csrf };
}

const TOKEN_PREFIX = 'mzt_';

/** API tokens: shown once, stored as SHA-256, revocable. */
export async function createToken(app: Mizan, actor: Principal, userName: string, label?: string): Promise<{ id: string; token: string }> {
  const user = await app.store.db.selectFrom('users').select(['id', 'name']).where('name', '=', userName).executeTakeFirst();
  const self = actor.kind === 'user' && user && actor.userId === user.id;
  if (!self) authorize(actor, 'user.manage');
  if (!user) throw new MizanError('NOT_FOUND', `no user named ${userName}`);
  const id = `t_${randomBytes(6).toString('hex')}`;
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
  await app.store.db.insertInto('api_tokens').values({ id, token_hash: sha256(token), user_id: user.id, label: label ?? null, created_at: app.clock().toISOString(), revoked_at: null }).execute();
  return { id, token };
}

/** Revokes once: revoking again keeps the first time, so the record says when access really ended. */
export async function revokeToken(app: Mizan, actor: Principal, tokenId: string): Promise<{ revoked_at: string }> {
  const row = await app.store.db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at']).where('id', '=', tokenId).executeTakeFirst();
  const self = actor.kind === 'user' && row && actor.userId === row.user_id;
  if (!self) authorize(actor, 'user.manage');
  if (!row) throw new MizanError('NOT_FOUND', `no token ${tokenId}`);
  if (row.revoked_at) return { revoked_at: row.revoked_at };
  const at = app.clock().toISOString();
  await app.store.db.updateTable('api_tokens').set({ revoked_at: at }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
  return { revoked_at: at };
}

export interface TokenView {
  readonly id: string;
  readonly label: string | null;
  readonly created_at: string;
  readonly revoked_at: string | null;
}

/** An account's API tokens, newest first: ids and labels to revoke by, never the tokens or their hashes. */
export async function listTokens(app: Mizan, actor: Principal, userName: string): Promise<TokenView[]> {
  const user = await app.store.db.selectFrom('users').select(['id']).where('name', '=', userName).executeTakeFirst();
  const self = actor.kind === 'user' && user && actor.userId === user.id;
  if (!self) authorize(actor, 'user.manage');
  if (!user) throw new MizanError('NOT_FOUND', `no user named ${userName}`);
  return app.store.db
    .selectFrom('api_tokens')
    .select(['id', 'label', 'created_at', 'revoked_at'])
    .where('user_id', '=', user.id)
    .orderBy('created_at', 'desc')
    .orderBy('id')
    .execute();
}

export async function tokenPrincipal(app: Mizan, token: string): Promise<Principal | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const row = await app.store.db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(['users.id', 'users.name', 'users.role', 'users.party', 'users.disabled_at', 'api_tokens.revoked_at'])
    .where('api_tokens.token_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || row.disabled_at) return null;
  return principalOf(row);
}

/** Reads of mediator-only data are recorded: who, what, when. */
export async function recordAudit(app: Mizan, p: Principal, action: string, target: string): Promise<void> {
  await app.store.db.insertInto('audit').values({ at: app.clock().toISOString(), user_id: p.kind === 'user' ? p.userId : p.kind, action, target }).execute();
}

export async function listAudit(app: Mizan, p: Principal, limit: number): Promise<unknown[]> {
  authorize(p, 'audit.read');
  return app.store.db.selectFrom('audit').selectAll().orderBy('seq', 'desc').limit(limit).execute();
}
