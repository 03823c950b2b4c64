import { readFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { Option } from 'commander';
import type { Allegation } from '../app/allegations.js';
import { AllegationQuery, fileAllegation, getAllegation, issueFinding, listAllegations, replyToAllegation } from '../app/allegations.js';
import { addEvidence } from '../app/evidence.js';
import type { Mizan } from '../app/mizan.js';
import { clearWebhook, DeliveryQuery, listDeliveries, setWebhook, showWebhook } from '../app/webhooks.js';
import { AllegationState, FindingOutcome, ReplyKind } from '../domain/allegation.js';
import { MizanError } from '../domain/errors.js';
import type { Principal, Role } from '../domain/principal.js';
import { SYSTEM } from '../domain/principal.js';
import { parseOrThrow } from '../domain/validation.js';
import { resolveDataDir } from '../store/data-dir.js';
import { openApp } from './open.js';

/**
 * `mizan allegation list|show|file|reply|finding`, `mizan evidence add`, `mizan party webhook
 * set|show|clear`: the same use cases as the API, run on the data directory. `--as USER` acts as
 * that account, with its role and party, under the same rules as the API; without it the command
 * acts as the operator, who may do anything (as every other operator command does).
 * Errors print their code and every bad field on stderr and exit with status 1.
 */

interface CommonOpts {
  data?: string;
  databaseUrl?: string;
  as?: string;
  json?: boolean;
}

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; SQLite in the data directory when unset)');
const asOption = () => new Option('--as <user>', 'act as this account (its role and party decide what is allowed); default: the operator');
const jsonOption = () => new Option('--json', 'print the result as JSON');
const inputOption = () => new Option('--input <file>', 'read the body as JSON from this file ("-" for standard input); flags given as well override its fields');

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

async function principalFor(app: Mizan, name: string | undefined): Promise<Principal> {
  if (name === undefined) return SYSTEM;
  const u = await app.store.db.selectFrom('users').select(['id', 'name', 'role', 'party', 'disabled_at']).where('name', '=', name).executeTakeFirst();
  if (!u) throw new MizanError('NOT_FOUND', `--as: no account named ${JSON.stringify(name)} (see \`mizan user list\`)`);
  if (u.disabled_at) throw new MizanError('FORBIDDEN', `--as: the account ${name} is disabled`);
  return { kind: 'user', userId: u.id, name: u.name, role: u.role as Role, party: u.party };
}

async function withActor<T>(opts: CommonOpts, fn: (app: Mizan, p: Principal) => Promise<T>, places = false): Promise<T> {
  const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places });
  try {
    return await fn(app, await principalFor(app, opts.as));
  } finally {
    // Closing lets this command's own first delivery attempts finish; retries are left to the server.
    await app.close();
  }
}

function readInput(file: string | undefined): Record<string, unknown> {
  if (file === undefined) return {};
  let text: string;
  try {
    text = readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new MizanError('VALIDATION_FAILED', `${file} must hold one JSON object`);
  return parsed as Record<string, unknown>;
}

/** Flags that were given, under their body names; absent flags leave the file's fields alone. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && !(Array.isArray(v) && v.length === 0)));
}

const MEDIA_TYPES: Record<string, string> = {
  '.pdf': 'application/pdf',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.mp4': 'video/mp4',
  '.mp3': 'audio/mpeg',
  '.m4a': 'audio/mp4',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.geojson': 'application/geo+json',
  '.kml': 'application/vnd.google-earth.kml+xml',
  '.zip': 'application/zip',
};

/** Upload files given with --attach and return their citations, in order. */
async function attach(app: Mizan, p: Principal, files: string[], mediaType?: string): Promise<string[]> {
  const refs: string[] = [];
  for (const f of files) refs.push((await upload(app, p, f, mediaType)).ref);
  return refs;
}

/** One file from disk as evidence, its media type from the extension unless given. */
async function upload(app: Mizan, p: Principal, f: string, mediaType?: string) {
  let bytes: Buffer;
  try {
    bytes = readFileSync(f);
  } catch (e) {
    throw new MizanError('VALIDATION_FAILED', `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return addEvidence(app, p, bytes, { filename: basename(f), mediaType: mediaType ?? MEDIA_TYPES[extname(f).toLowerCase()] });
}

function print(opts: { json?: boolean }, value: unknown, human: () => string): void {
  process.stdout.write((opts.json ? JSON.stringify(value, null, 2) : human()) + '\n');
}

function summaryLine(a: Allegation): string {
  return `${a.id}\t${a.state}\t${a.by} → ${a.against}\t${a.agreement}\treply due ${a.reply_deadline}`;
}

function describeAllegation(a: Allegation): string {
  const lines = [
    `${a.id}: ${a.by} against ${a.against} under ${a.agreement} — ${a.state}`,
    `  filed ${a.filed_at}; reply due ${a.reply_deadline}`,
    `  incidents: ${a.incidents.join(', ')}`,
    ...(a.claims?.length ? [`  claims: ${a.claims.join(', ')}`] : []),
    ...(a.evidence?.length ? [`  evidence: ${a.evidence.join(', ')}`] : []),
    `  ${a.text}`,
  ];
  if (a.reply) lines.push(`  reply (${a.reply.kind}, ${a.reply.at}): ${a.reply.text}`);
  for (const t of a.tasks) lines.push(`  task ${t.id} ${t.kind} due ${t.due}${t.outcome ? `: ${t.outcome.outcome}` : ' (open)'}`);
  if (a.finding) lines.push(`  finding (${a.finding.at}): ${a.finding.outcome} — ${a.finding.reasoning}`);
  for (const o of a.opinions) lines.push(`  opinion of ${o.party}: ${o.position}${o.text ? ` — ${o.text}` : ''}`);
  lines.push('  history:');
  for (const h of a.history) lines.push(`    ${h.at} ${h.event} by ${h.by} (log entry ${h.log_index})`);
  return lines.join('\n');
}

export function registerAllegationCommands(program: Command): void {
  const allegation = program
    .command('allegation')
    .description('allegations: file against another party, reply, and (mediators) issue the finding; see docs/allegations.md')
    .addHelpText('after', '\nExit status: 0 on success, 1 when the input is invalid or the action is refused (the error code and each bad field go to stderr).');

  allegation
    .command('list')
    .description('list allegations (overdue replies are marked first)')
    .addOption(new Option('--state <state>', 'only this state').choices(AllegationState.options))
    .option('--party <id>', 'only allegations by or against this party')
    .option('--agreement <id>', 'only under this agreement')
    .option('--limit <n>', 'at most this many (1–500)', '50')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (o: CommonOpts & { state?: string; party?: string; agreement?: string; limit: string }) => {
      const page = await withActor(o, (app, p) => listAllegations(app, p, parseOrThrow(AllegationQuery, defined({ state: o.state, party: o.party, agreement: o.agreement, limit: o.limit }), 'the options')));
      print(o, page, () => (page.items.length === 0 ? 'no allegations' : (page.items as Allegation[]).map(summaryLine).join('\n')));
    });

  allegation
    .command('show <id>')
    .description('one allegation with its reply, tasks, finding, opinions, remedies and history')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (id: string, o: CommonOpts) => {
      const a = (await withActor(o, (app, p) => getAllegation(app, p, id))) as unknown as Allegation;
      print(o, a, () => describeAllegation(a));
    });

  allegation
    .command('file')
    .description('file an allegation against another party under an agreement (a delegate, for its own party)')
    .addOption(inputOption())
    .option('--id <id>', 'allegation id, e.g. ALG-2025-001')
    .option('--agreement <id>', 'the agreement, e.g. AGR-DOHA-2025')
    .option('--by <party>', 'the accusing party (default: the --as account\'s party)')
    .option('--against <party>', 'the accused party')
    .option('--incident <id>', 'a cited incident (repeat for more)', collect, [])
    .option('--claim <id>', 'a cited claim (repeat)', collect, [])
    .option('--obligation <id>', 'a cited obligation of the agreement (repeat)', collect, [])
    .option('--text <text>', 'what is alleged')
    .option('--evidence <item>', 'evidence: sha256:<hex> of an uploaded file, or a description/URL (repeat)', collect, [])
    .option('--attach <file>', 'upload this file as evidence first and cite it (repeat)', collect, [])
    .addOption(new Option('--visibility <level>', 'who may read it').choices(['public', 'parties', 'mediators']))
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (o: CommonOpts & { input?: string; id?: string; agreement?: string; by?: string; against?: string; incident: string[]; claim: string[]; obligation: string[]; text?: string; evidence: string[]; attach: string[]; visibility?: string }) => {
      const a = await withActor(o, async (app, p) => {
        const base = readInput(o.input);
        const attached = await attach(app, p, o.attach);
        const evidence = [...((base.evidence as string[] | undefined) ?? []), ...o.evidence, ...attached];
        const body: Record<string, unknown> = {
          ...base,
          ...defined({ id: o.id, agreement: o.agreement, by: o.by, against: o.against, incidents: o.incident, claims: o.claim, obligations: o.obligation, text: o.text, visibility: o.visibility }),
          ...(evidence.length ? { evidence } : {}),
        };
        if (body.by === undefined && p.kind === 'user' && p.party) body.by = p.party;
        return fileAllegation(app, p, body);
      });
      print(o, a, () => `filed ${a.id} (${a.by} against ${a.against}); reply due ${a.reply_deadline}; log entry ${a.log_index}`);
    });

  allegation
    .command('reply <id>')
    .description("the accused party's reply, before the deadline (a delegate of that party)")
    .addOption(inputOption())
    .addOption(new Option('--kind <kind>', 'the reply').choices(ReplyKind.options))
    .option('--text <text>', 'the reply text')
    .option('--evidence <item>', 'evidence: sha256:<hex> of an uploaded file, or a description/URL (repeat)', collect, [])
    .option('--attach <file>', 'upload this file as evidence first and cite it (repeat)', collect, [])
    .option('--counter-allegation <id>', 'with --kind counter_allegation: the allegation filed in return')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (id: string, o: CommonOpts & { input?: string; kind?: string; text?: string; evidence: string[]; attach: string[]; counterAllegation?: string }) => {
      const a = await withActor(o, async (app, p) => {
        const base = readInput(o.input);
        const evidence = [...((base.evidence as string[] | undefined) ?? []), ...o.evidence, ...(await attach(app, p, o.attach))];
        return replyToAllegation(app, p, id, { ...base, ...defined({ kind: o.kind, text: o.text, counter_allegation: o.counterAllegation }), ...(evidence.length ? { evidence } : {}) });
      });
      print(o, a, () => `replied to ${a.id} (${a.reply?.kind}); state ${a.state}; log entry ${a.reply?.log_index}`);
    });

  allegation
    .command('finding <id>')
    .description("issue the finding on an allegation (a mediator of the agreement; once, after the reply or the deadline)")
    .addOption(inputOption())
    .addOption(new Option('--outcome <outcome>', 'the finding').choices(FindingOutcome.options))
    .option('--reasoning <text>', 'why')
    .option('--verified-claim <id>', 'a claim the mediator verified (repeat)', collect, [])
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (id: string, o: CommonOpts & { input?: string; outcome?: string; reasoning?: string; verifiedClaim: string[] }) => {
      const a = await withActor(o, (app, p) => issueFinding(app, p, id, { ...readInput(o.input), ...defined({ outcome: o.outcome, reasoning: o.reasoning, verified_claims: o.verifiedClaim }) }));
      print(o, a, () => `finding on ${a.id}: ${a.finding?.outcome}; log entry ${a.finding?.log_index}`);
    });

  program
    .command('evidence')
    .description('evidence files: stored unmodified under their SHA-256, cited as sha256:<hex>')
    .command('add <file>')
    .description('upload a file as evidence and print its citation sha256:<hex> (the same bytes twice give the same citation; --json: the whole record)')
    .option('--media-type <type>', 'its media type (default: from the file extension, else application/octet-stream)')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (file: string, o: CommonOpts & { mediaType?: string }) => {
      const r = await withActor(o, (app, p) => upload(app, p, file, o.mediaType));
      print(o, r, () => r.ref);
    });

  const party = program.commands.find((c) => c.name() === 'party') ?? program.command('party').description('parties of the data directory');
  const webhook = party.command('webhook').description("a party's webhook: notifications POSTed as JSON, signed with HMAC-SHA256 (docs/allegations.md)");
  webhook
    .command('set <party>')
    .description('set or replace the webhook; prints the signing secret (shown only now)')
    .requiredOption('--url <url>', 'https:// URL (plain http:// only to localhost)')
    .option('--secret <secret>', 'signing secret, at least 32 characters (default: a random one)')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (partyId: string, o: CommonOpts & { url: string; secret?: string }) => {
      const r = await withActor(o, (app, p) => setWebhook(app, p, partyId, defined({ url: o.url, secret: o.secret })));
      print(o, r, () => `webhook of ${r.party}: ${r.url}\nsecret: ${r.secret}\n(keep the secret; it is not shown again)`);
    });
  webhook
    .command('show <party>')
    .description('the webhook (never its secret) and its recent deliveries')
    .option('--limit <n>', 'deliveries to show (1–500)', '20')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (partyId: string, o: CommonOpts & { limit: string }) => {
      const r = await withActor(o, async (app, p) => ({ ...(await showWebhook(app, p, partyId)), recent: await listDeliveries(app, p, partyId, parseOrThrow(DeliveryQuery, { limit: o.limit }, 'the options')) }));
      print(o, r, () =>
        [
          `webhook of ${r.party}: ${r.url} (set by ${r.set_by} at ${r.set_at})`,
          `deliveries: ${Object.entries(r.deliveries).map(([k, n]) => `${n} ${k}`).join(', ') || 'none yet'}`,
          ...r.recent.map((d) => `  ${d.created_at} ${d.notification_id} ${d.status} after ${d.attempts} attempt(s)${d.last_error ? `: ${d.last_error}` : ''}`),
        ].join('\n'),
      );
    });
  webhook
    .command('clear <party>')
    .description('remove the webhook')
    .addOption(asOption())
    .addOption(jsonOption())
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (partyId: string, o: CommonOpts) => {
      const r = await withActor(o, (app, p) => clearWebhook(app, p, partyId));
      print(o, r, () => (r.cleared ? `removed the webhook of ${r.party}` : `${r.party} had no webhook`));
    });
}
