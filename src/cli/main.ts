import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { addUser, createToken, listTokens, revokeToken } from '../app/accounts.js';
import type { Mizan } from '../app/mizan.js';
import { loadScenario } from '../app/records.js';
import { describeIssues, MizanError } from '../domain/errors.js';
import { SYSTEM } from '../domain/principal.js';
import { scenarioJsonSchema } from '../domain/scenario.js';
import { defaultOrigin, isEmptyDir, resolveDataDir } from '../store/data-dir.js';
import { openApp, initDataDir } from './open.js';
import { builtinScenarioPath } from './paths.js';
import { registerExchangeCommands } from './exchange.js';
import { registerExtractCommands } from './extract.js';
import { registerGeoCommands } from './geo.js';
import { registerMonitorsCommands } from './monitors.js';
import { registerThreatCommands } from './threat.js';
import { registerWarningCommands } from './warning.js';
import { registerAllegationCommands } from './allegation.js';
import { startDeadlineTimer } from '../app/allegations.js';
import { describeResult, httpLogSource, storeLogSource, verifyLog } from './verify.js';
import { createDemoAccounts, createDemoWitnesses, DEMO_WITNESS_PARTIES, readWitnessKey, witnessKeyPath } from './demo.js';
import { existsSync } from 'node:fs';

/** Errors go to stderr with a non-zero exit; MizanErrors print every bad path on its own line. */
export class CliError extends Error {}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}

function scenarioFile(spec: string): string | null {
  if (spec === 'empty') return null;
  if (spec === 'builtin') return builtinScenarioPath();
  return spec;
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('must be a port number 0–65535');
  return n;
}

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');

/** The server's settings that come from the environment, shown under `start --help` and `serve --help`. */
const SERVER_ENVIRONMENT = `
Environment:
  DATABASE_URL                   PostgreSQL instead of the embedded SQLite store (same as --database-url)
  MIZAN_EVIDENCE_QUOTA_MIB       evidence one account may upload in 24 hours, in MiB (default 1024; 0: no limit)
  MIZAN_IMPORT_MAX_BYTES         largest CSV accepted over HTTP, in bytes (default 256 MiB; bigger: mizan import)
  MIZAN_WEBHOOK_ALLOW_PRIVATE=1  let party webhooks reach private and loopback addresses
  MIZAN_LOG_LEVEL                pino level of the webhook delivery log (default info)`;
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL; SQLite in the data directory when unset)');

/** --data and --database-url, as commander parses them. */
interface DataOpts {
  data?: string;
  databaseUrl?: string;
}

async function withApp<T>(opts: DataOpts, fn: (app: Mizan) => Promise<T>, places = true): Promise<T> {
  const app = await openApp({ dataDir: resolveDataDir(opts.data), databaseUrl: opts.databaseUrl, places });
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

function summary(counts: Record<string, number>): string {
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ') || 'nothing';
}

interface ServeOpts extends DataOpts {
  port: number;
  host: string;
  witnesses?: boolean;
}

async function runServer(opts: ServeOpts, banner: string[] = []): Promise<void> {
  const dataDir = resolveDataDir(opts.data);
  const app = await openApp({ dataDir, databaseUrl: opts.databaseUrl });
  // Loaded here, not at the top: the HTTP stack is most of the CLI's start-up time, and only
  // start and serve need it.
  const { serve } = await import('../server/main.js');
  const server = await serve(app, { port: opts.port, host: opts.host });
  await app.log.signCheckpoint();
  // --port 0 asks the OS for a free port; the banner names the one actually bound.
  const boundPort = (server.server.address() as AddressInfo).port;
  const url = `http://${opts.host === '0.0.0.0' ? 'localhost' : opts.host}:${boundPort}`;
  const timers: NodeJS.Timeout[] = [];
  const stopDeadlines = startDeadlineTimer(app, 60_000, (e) => process.stderr.write(`allegation deadlines: ${String(e)}\n`));
  if (opts.witnesses) {
    const { Witness } = await import('./witness.js');
    const { nodeCrypto } = await import('../ledger/node-crypto.js');
    for (const party of DEMO_WITNESS_PARTIES) {
      const file = witnessKeyPath(dataDir, party);
      if (!existsSync(file)) continue;
      const w = new Witness({ logUrl: `http://127.0.0.1:${boundPort}`, logKey: app.log.verifierKey, key: readWitnessKey(file), crypto: nodeCrypto, stateFile: `${file}.state.json` });
      const tick = () => w.step().then((o) => (o.kind === 'refused' ? process.stderr.write(`witness ${party} REFUSED: ${o.reason}\n`) : undefined), (e: unknown) => process.stderr.write(`witness ${party}: ${String(e)}\n`));
      // tick reports its own failures, so the timer may drop its promise.
      timers.push(setInterval(() => void tick(), 2000));
      void tick();
    }
    banner.push(`  Witnesses:  ${DEMO_WITNESS_PARTIES.join(', ')} cosign every new checkpoint`);
  }
  process.stdout.write(
    [
      `Mizan is serving ${url}`,
      `  API:        ${url}/api/v1/incidents   (OpenAPI: ${url}/api/v1/openapi.json)`,
      `  Log:        ${url}/log/checkpoint`,
      `  Log origin: ${app.log.origin}`,
      `  Log key:    ${app.log.verifierKey}`,
      ...banner,
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    timers.forEach(clearInterval);
    await stopDeadlines();
    await server.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

export function buildCli(): Command {
  const program = new Command('mizan')
    .description('Mizan — the shared, verifiable record of a ceasefire')
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('start')
    .description('first run: create the data directory with the built-in October 2025 scenario and demo accounts; then serve')
    .addOption(dataOption())
    .addOption(dbOption())
    .option('--port <port>', 'port to listen on (0: any free port, named in the banner)', port, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--origin <origin>', 'log origin for a new data directory (default: mizan.local/<random>)')
    .option('--witnesses', "also run the built-in witnesses (Pakistan's, Afghanistan's and Qatar's) in this process")
    .addHelpText('after', SERVER_ENVIRONMENT)
    .action(async (opts: ServeOpts & { origin?: string }) => {
      const dataDir = resolveDataDir(opts.data);
      const banner: string[] = [];
      if (isEmptyDir(dataDir)) {
        process.stdout.write(`Creating ${dataDir} with the built-in scenario…\n`);
        await initDataDir({ dataDir, databaseUrl: opts.databaseUrl, origin: opts.origin ?? defaultOrigin() });
        const accounts = await withApp(opts, async (app) => {
          const counts = await loadScenario(app, SYSTEM, readJsonFile(builtinScenarioPath()));
          process.stdout.write(`Loaded ${summary(counts)}.\n`);
          await createDemoWitnesses(app, dataDir);
          return createDemoAccounts(app);
        });
        banner.push('', 'Demo accounts (passwords are shown only this once):', ...accounts.map((a) => `  ${a.role.padEnd(9)} ${a.name.padEnd(14)} ${a.password}${a.party ? `   (${a.party})` : ''}`), '');
      }
      await runServer(opts, banner);
    });

  program
    .command('serve')
    .description('serve an existing data directory over HTTP')
    .addOption(dataOption())
    .addOption(dbOption())
    .option('--port <port>', 'port to listen on (0: any free port, named in the banner)', port, 8080)
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--witnesses', 'also run the built-in witnesses whose keys are in the data directory')
    .addHelpText('after', SERVER_ENVIRONMENT)
    .action(async (opts: ServeOpts) => runServer(opts));

  program
    .command('init')
    .description('create a new data directory (refuses a non-empty one) and load a scenario into it')
    .addOption(dataOption())
    .addOption(dbOption())
    .option('--scenario <file|builtin|empty>', 'scenario to load: a JSON file, "builtin" (October 2025) or "empty"', 'builtin')
    .option('--origin <origin>', 'log origin (default: mizan.local/<random>); fixed for the life of the log')
    .action(async (opts: DataOpts & { scenario: string; origin?: string }) => {
      const dataDir = resolveDataDir(opts.data);
      const file = scenarioFile(opts.scenario);
      // Validate the whole file before creating anything, so a bad file leaves no directory behind.
      const doc = file ? readJsonFile(file) : null;
      if (doc !== null) {
        const { validateScenario } = await import('../domain/scenario.js');
        validateScenario(doc);
      }
      await initDataDir({ dataDir, databaseUrl: opts.databaseUrl, origin: opts.origin ?? defaultOrigin() });
      await withApp(opts, async (app) => {
        const counts = doc === null ? {} : await loadScenario(app, SYSTEM, doc);
        process.stdout.write(`Created ${dataDir}: ${summary(counts)}.\nLog key: ${app.log.verifierKey}\n`);
      });
    });

  program
    .command('load')
    .description('append a scenario file to an existing store (validated completely first; one transaction)')
    .argument('<file>', 'scenario JSON file')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (file: string, opts: DataOpts) => {
      const doc = readJsonFile(file);
      await withApp(opts, async (app) => {
        const counts = await loadScenario(app, SYSTEM, doc);
        await app.log.signCheckpoint();
        process.stdout.write(`Loaded ${summary(counts)}.\n`);
      });
    });

  program
    .command('schema')
    .description('print a JSON Schema')
    .argument('<name>', 'which schema: scenario')
    .action((name: string) => {
      if (name !== 'scenario') throw new CliError(`unknown schema ${JSON.stringify(name)}; available: scenario`);
      process.stdout.write(JSON.stringify(scenarioJsonSchema(), null, 2) + '\n');
    });

  const user = program.command('user').description('manage accounts');
  user
    .command('add')
    .description('create an account and print its one-time password')
    .requiredOption('--name <name>', 'login name')
    .requiredOption('--role <role>', 'admin | mediator | delegate | monitor | analyst')
    .option('--party <party>', 'party id (required for delegate and mediator)')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { name: string; role: string; party?: string }) =>
      withApp(
        opts,
        async (app) => {
          const { user: u, password } = await addUser(app, SYSTEM, { name: opts.name, role: opts.role, ...(opts.party ? { party: opts.party } : {}) });
          process.stdout.write(`Created ${u.role} ${u.name}${u.party ? ` (${u.party})` : ''}. One-time password: ${password}\n`);
        },
        false,
      ),
    );

  const tokens = program.command('token').description('API tokens');
  tokens
    .command('list')
    .description("list a user's API tokens (id, label, created, revoked), newest first; never the tokens themselves")
    .requiredOption('--user <name>', 'the account')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { user: string }) =>
      withApp(
        opts,
        async (app) => {
          const items = await listTokens(app, SYSTEM, opts.user);
          if (items.length === 0) process.stdout.write(`${opts.user} has no API tokens.\n`);
          for (const t of items) process.stdout.write(`${t.id}  created ${t.created_at}  ${t.revoked_at ? `revoked ${t.revoked_at}` : 'active'}${t.label ? `  ${t.label}` : ''}\n`);
        },
        false,
      ),
    );
  tokens
    .command('revoke')
    .description('revoke an API token by its id (revoking again keeps the first revocation time)')
    .argument('<id>', 'the token id, as printed by token create or token list')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (id: string, opts: DataOpts) =>
      withApp(
        opts,
        async (app) => {
          const { revoked_at } = await revokeToken(app, SYSTEM, id);
          process.stdout.write(`Token ${id} revoked at ${revoked_at}.\n`);
        },
        false,
      ),
    );
  tokens
    .command('create')
    .description('create an API token for a user and print it once')
    .requiredOption('--user <name>', 'the account the token acts as')
    .option('--label <label>', 'what the token is for')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { user: string; label?: string }) =>
      withApp(
        opts,
        async (app) => {
          const { id, token } = await createToken(app, SYSTEM, opts.user, opts.label);
          process.stdout.write(`Token ${id} for ${opts.user} (shown once; send as "Authorization: Bearer <token>"):\n${token}\n`);
        },
        false,
      ),
    );

  program
    .command('verify')
    .description('verify a log: checkpoint signature and origin, consistency with the last run, every tile, entry and entry signature')
    .option('--url <url>', 'server to verify (its root URL or its /log prefix)')
    .option('--key <vkey>', 'the log verifier key to trust (name+hash+base64); required with --url')
    .option('--state <file>', 'remember the last verified checkpoint here and require consistency with it')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { url?: string; key?: string; state?: string }) => {
      const progress = process.stderr.isTTY ? (d: number, t: number) => process.stderr.write(`\r  checked ${d}/${t} entries`) : undefined;
      let result;
      if (opts.url) {
        if (!opts.key) throw new CliError('--url needs --key: the verifier key must come from you, not from the server being checked');
        result = await verifyLog(httpLogSource(opts.url), opts.key, opts.state, progress);
      } else {
        result = await withApp(opts, (app) => verifyLog(storeLogSource(app), opts.key ?? app.log.verifierKey, opts.state, progress), false);
      }
      if (progress) process.stderr.write('\n');
      if (!result.ok) throw new CliError(describeResult(result));
      process.stdout.write(describeResult(result) + '\n');
    });

  const log = program.command('log').description('the verifiable log of a data directory');
  log
    .command('key')
    .description("print the log's verifier key (give it to anyone who should check the log)")
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts) => withApp(opts, async (app) => void process.stdout.write(app.log.verifierKey + '\n'), false));
  log
    .command('checkpoint')
    .description('sign (if the log grew) and print the latest checkpoint')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts) =>
      withApp(
        opts,
        async (app) => {
          await app.log.signCheckpoint();
          process.stdout.write((await app.log.latestCheckpoint()).note);
        },
        false,
      ),
    );
  log
    .command('proof')
    .description('print an inclusion proof (--index, --size) or a consistency proof (--old, --new) as JSON')
    .option('--index <n>', 'entry index', Number)
    .option('--size <n>', 'tree size (default: the current size)', Number)
    .option('--old <n>', 'older tree size', Number)
    .option('--new <n>', 'newer tree size', Number)
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { index?: number; size?: number; old?: number; new?: number }) =>
      withApp(
        opts,
        async (app) => {
          const { base64Encode } = await import('../ledger/index.js');
          if (opts.old !== undefined) {
            const newer = opts.new ?? (await app.log.size());
            const proof = await app.log.consistencyProof(opts.old, newer);
            process.stdout.write(JSON.stringify({ old: opts.old, new: newer, proof: proof.map(base64Encode) }, null, 2) + '\n');
            return;
          }
          if (opts.index === undefined) throw new CliError('give --index (inclusion) or --old (consistency)');
          const size = opts.size ?? (await app.log.size());
          const { leafHash, proof } = await app.log.inclusionProof(opts.index, size);
          process.stdout.write(JSON.stringify({ index: opts.index, size, leaf_hash: base64Encode(leafHash), proof: proof.map(base64Encode) }, null, 2) + '\n');
        },
        false,
      ),
    );

  program
    .command('keys')
    .description('key pairs for party delegations and witnesses')
    .command('generate')
    .description('write a new Ed25519 key pair (private key file mode 0600) and print its verifier key')
    .requiredOption('--name <name>', 'key name, e.g. pak.mofa (no spaces or "+")')
    .requiredOption('--out <file>', 'where to write the private key')
    .option('--witness', 'a witness cosigning key (C2SP tlog-cosignature, type 0x04) instead of a signing key')
    .action(async (opts: { name: string; out: string; witness?: boolean }) => {
      const { randomBytes } = await import('node:crypto');
      const { formatSignerKey, formatVerifierKey, SIGNATURE_TYPE_COSIGNATURE_V1, SIGNATURE_TYPE_ED25519, isValidKeyName } = await import('../ledger/index.js');
      const { nodeCrypto } = await import('../ledger/node-crypto.js');
      const { writeSecret } = await import('../store/data-dir.js');
      if (!isValidKeyName(opts.name)) throw new CliError(`--name ${JSON.stringify(opts.name)} is not a valid key name (no spaces or "+")`);
      if (existsSync(opts.out)) throw new CliError(`${opts.out} exists; refusing to overwrite a key`);
      const type = opts.witness ? SIGNATURE_TYPE_COSIGNATURE_V1 : SIGNATURE_TYPE_ED25519;
      const seed = randomBytes(32);
      writeSecret(opts.out, formatSignerKey(nodeCrypto, opts.name, seed, type) + '\n');
      process.stdout.write(formatVerifierKey(nodeCrypto, opts.name, nodeCrypto.ed25519PublicKey(seed), type) + '\n');
    });

  program
    .command('party')
    .description('parties of the data directory')
    .command('add-key')
    .description("register a party's verifier key (a logged statement)")
    .requiredOption('--party <id>', 'party id, e.g. PAK')
    .requiredOption('--vkey <vkey>', 'verifier key printed by `mizan keys generate`')
    .option('--witness', 'register it as the party witness key')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { party: string; vkey: string; witness?: boolean }) =>
      withApp(
        opts,
        async (app) => {
          const { registerKey } = await import('../app/keys.js');
          const k = await registerKey(app, SYSTEM, opts.party, { vkey: opts.vkey, purpose: opts.witness ? 'witness' : 'signing' });
          process.stdout.write(`Registered ${k.purpose} key ${k.key} for ${k.party} (log entry ${k.log_index}).\n`);
        },
        false,
      ),
    );

  program
    .command('assess')
    .description('assess every incident against every obligation of every agreement in force')
    .option('--scenario <file>', 'assess a scenario file on its own (no data directory, nothing written)')
    .option('--json', 'print the rows as one JSON array (sorted by incident, agreement, obligation)')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { scenario?: string; json?: boolean }) => {
      const { assess, assessmentInputFromScenario } = await import('../domain/assessment/index.js');
      const { validateScenario } = await import('../domain/scenario.js');
      const rows = opts.scenario
        ? assess(assessmentInputFromScenario(validateScenario(readJsonFile(opts.scenario))))
        : await withApp(opts, async (app) => {
            const { assessmentInput } = await import('../app/assessment.js');
            return assess(await assessmentInput(app, SYSTEM));
          }, false);
      if (opts.json) {
        process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
        return;
      }
      for (const r of rows.filter((x) => x.status !== 'not_in_force')) {
        process.stdout.write(`${r.incident.padEnd(32)} ${r.obligation.padEnd(22)} ${r.status}${r.open_questions.length ? `  (open: ${r.open_questions.join(', ')})` : ''}\n`);
      }
    });

  program
    .command('backup')
    .description('write a consistent one-file backup of the data directory and its store (online: SQLite backup API or pg_dump; includes the keys and evidence files — keep it private)')
    .requiredOption('--to <file>', 'backup file to create')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (opts: DataOpts & { to: string }) => {
      const { backupDataDir } = await import('./backup.js');
      const r = await backupDataDir(resolveDataDir(opts.data), opts.to, opts.databaseUrl ?? process.env.DATABASE_URL);
      process.stdout.write(`Backed up the ${r.store === 'postgres' ? 'PostgreSQL' : 'SQLite'} store to ${opts.to} (${r.bytes} bytes, ${r.files} key and config files).\n`);
    });

  program
    .command('restore')
    .description('restore a backup into an empty data directory (and, for a PostgreSQL backup, the empty database of --database-url), then verify its log')
    .argument('<file>', 'backup file from `mizan backup`')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (file: string, opts: DataOpts) => {
      const { restoreDataDir } = await import('./backup.js');
      const dataDir = resolveDataDir(opts.data);
      const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL;
      await restoreDataDir(file, dataDir, databaseUrl);
      const result = await withApp({ data: dataDir, databaseUrl }, (app) => verifyLog(storeLogSource(app), app.log.verifierKey), false);
      if (!result.ok) throw new CliError(`restored, but ${describeResult(result)}`);
      process.stdout.write(`Restored into ${dataDir}. ${describeResult(result)}\n`);
    });

  program
    .command('submit')
    .description("sign a statement with your delegation's key and submit it; it enters the log as you signed it")
    .argument('<file>', 'JSON {"kind": "incident"|"claim"|"designation", "body": {...}}')
    .requiredOption('--key <file>', 'your signing key (from `mizan keys generate`, registered with `mizan party add-key`)')
    .requiredOption('--party <id>', 'the party you sign for')
    .requiredOption('--url <url>', 'the Mizan server')
    .requiredOption('--token <token>', 'your API token (from `mizan token create`)')
    .action(async (file: string, opts: { key: string; party: string; url: string; token: string }) => {
      const { createEntry, keyReference, noteSigner, parseSignerKey } = await import('../ledger/index.js');
      const { nodeCrypto } = await import('../ledger/node-crypto.js');
      const { readSecret } = await import('../store/data-dir.js');
      const doc = readJsonFile(file) as { kind?: unknown; body?: unknown };
      if (typeof doc.kind !== 'string' || typeof doc.body !== 'object' || doc.body === null) throw new CliError(`${file} must be {"kind": ..., "body": {...}}`);
      const key = parseSignerKey(nodeCrypto, readSecret(opts.key));
      const statement = { v: 1 as const, kind: doc.kind, author: { party: opts.party, key: keyReference(key) }, at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), body: doc.body as Record<string, never> };
      const entry = createEntry(statement, [noteSigner(nodeCrypto, key)]);
      const r = await fetch(`${opts.url.replace(/\/+$/, '')}/api/v1/submissions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.token}` }, body: JSON.stringify({ entry }) });
      const text = await r.text();
      if (!r.ok) throw new CliError(`the server refused the submission (HTTP ${r.status}): ${text}`);
      const rec = JSON.parse(text) as { id?: string; log_index?: number };
      process.stdout.write(`Accepted ${doc.kind} ${rec.id ?? ''} as log entry ${rec.log_index ?? '?'}, signed by ${keyReference(key)}.\n`);
    });

  program
    .command('witness')
    .description('run a witness: cosign each new checkpoint only if it is consistent with the last one cosigned; refuse forks')
    .requiredOption('--log <url>', 'the log server')
    .requiredOption('--log-key <vkey>', "the log's verifier key")
    .requiredOption('--key <file>', 'witness private key file (from `mizan keys generate --witness`)')
    .option('--state <file>', 'remember the last cosigned checkpoint here (default: <key file>.state.json)')
    .option('--interval <seconds>', 'poll interval', Number, 5)
    .option('--once', 'check and cosign once, then exit (non-zero if refused)')
    .action(async (opts: { log: string; logKey: string; key: string; state?: string; interval: number; once?: boolean }) => {
      const { Witness } = await import('./witness.js');
      const { nodeCrypto } = await import('../ledger/node-crypto.js');
      const w = new Witness({ logUrl: opts.log, logKey: opts.logKey, key: readWitnessKey(opts.key), crypto: nodeCrypto, stateFile: opts.state ?? `${opts.key}.state.json` });
      const once = async () => {
        const o = await w.step();
        const line = o.kind === 'cosigned' ? `cosigned size ${o.size}` : `${o.kind}: ${o.reason}`;
        (o.kind === 'refused' ? process.stderr : process.stdout).write(`${new Date().toISOString()} ${line}\n`);
        return o;
      };
      if (opts.once) {
        if ((await once()).kind === 'refused') process.exitCode = 2;
        return;
      }
      for (;;) {
        await once().catch((e: unknown) => process.stderr.write(`${String(e)}\n`));
        await new Promise((r) => setTimeout(r, opts.interval * 1000));
      }
    });

  registerThreatCommands(program);
  registerMonitorsCommands(program);
  registerWarningCommands(program);
  registerExtractCommands(program);
  registerExchangeCommands(program);
  registerGeoCommands(program);
  registerAllegationCommands(program);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof MizanError) process.stderr.write(`mizan: ${e.code}: ${describeIssues(e)}\n`);
    else if (e instanceof CliError) process.stderr.write(`mizan: ${e.message}\n`);
    else process.stderr.write(`mizan: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  }
}
