import type { Command } from 'commander';
import { Option } from 'commander';
import { configureMonitors, gatewaySecret, listMonitors, registerMonitor, revokeMonitor } from '../app/monitors.js';
import type { Mizan } from '../app/mizan.js';
import { describeIssues, MizanError } from '../domain/errors.js';
import { LANGS, MONITOR_ZONES, parseSms } from '../domain/monitors/index.js';
import { SYSTEM } from '../domain/principal.js';
import { resolveDataDir } from '../store/data-dir.js';
import { openApp } from './open.js';

interface DataOpts {
  data?: string;
  databaseUrl?: string;
}

async function withMonitors<T>(opts: DataOpts, fn: (app: Mizan) => Promise<T>, places = false): Promise<T> {
  const dataDir = resolveDataDir(opts.data);
  const app = await openApp({ dataDir, databaseUrl: opts.databaseUrl, places });
  try {
    configureMonitors(app, dataDir);
    return await fn(app);
  } finally {
    await app.close();
  }
}

const dataOption = () => new Option('--data <dir>', 'data directory (default: $MIZAN_DATA or ./mizan-data)');
const dbOption = () => new Option('--database-url <url>', 'PostgreSQL URL (default: $DATABASE_URL)');

function fail(e: unknown): never {
  const msg = e instanceof MizanError ? describeIssues(e) : (e as Error).message;
  process.stderr.write(`error: ${msg}\n`);
  process.exit(1);
}

/** `mizan monitor add|list|revoke`, `mizan sms parse|gateway-secret`. The CLI acts as the operator (SYSTEM). */
export function registerMonitorsCommands(program: Command): void {
  const monitor = program.command('monitor').description('local monitors (identities are mediator-only; the CLI acts as the operator)');
  monitor
    .command('add')
    .description('register a monitor')
    .requiredOption('--id <id>', 'monitor id (pseudonymous)')
    .requiredOption('--pseudonym <name>', 'name shown to parties')
    .requiredOption('--name <name>', 'real name (encrypted; mediators only)')
    .requiredOption('--phone <phone>', 'phone number (HMAC for lookup, encrypted original)')
    .option('--district <d...>', 'districts', [])
    .addOption(new Option('--lang <l...>', 'languages, first is the reply language').choices([...LANGS]).default(['en']))
    .addOption(new Option('--zone <zone>', 'time zone').choices([...MONITOR_ZONES]).default('Asia/Kabul'))
    .option('--account <user>', 'monitor-role account for the web form')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (o: DataOpts & { id: string; pseudonym: string; name: string; phone: string; district: string[]; lang: string[]; zone: string; account?: string }) => {
      try {
        const r = await withMonitors(o, (app) =>
          registerMonitor(app, SYSTEM, { id: o.id, pseudonym: o.pseudonym, districts: o.district, languages: o.lang, zone: o.zone, ...(o.account ? { account: o.account } : {}), identity: { name: o.name, phone: o.phone } }),
        );
        process.stdout.write(`registered monitor ${r.id} (${r.pseudonym}); log entry ${r.log_index}\n`);
      } catch (e) {
        fail(e);
      }
    });
  monitor
    .command('list')
    .description('list monitors with identities')
    .option('--json', 'print JSON')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (o: DataOpts & { json?: boolean }) => {
      try {
        const r = await withMonitors(o, (app) => listMonitors(app, SYSTEM));
        if (o.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else for (const m of r.items) process.stdout.write(`${m.id}\t${m.pseudonym}\t${m.status}\t${m.identity ? `${m.identity.name} ${m.identity.phone}` : '(erased)'}\n`);
      } catch (e) {
        fail(e);
      }
    });
  monitor
    .command('revoke <id>')
    .description('revoke a monitor')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (id: string, o: DataOpts) => {
      try {
        await withMonitors(o, (app) => revokeMonitor(app, SYSTEM, id));
        process.stdout.write(`revoked monitor ${id}\n`);
      } catch (e) {
        fail(e);
      }
    });

  const sms = program.command('sms').description('the SMS report grammar (docs/sms.md)');
  sms
    .command('parse <text>')
    .description('parse one message; exit code 1 when it does not parse')
    .addOption(new Option('--zone <zone>', "the monitor's time zone").choices([...MONITOR_ZONES]).default('Asia/Kabul'))
    .addOption(new Option('--lang <lang>', 'language of the reply (informational)').choices([...LANGS]))
    .option('--received <iso>', 'when the message was received (default: now)')
    .option('--json', 'print JSON')
    .option('--no-places', 'do not look the place up in the gazetteer')
    .action(async (text: string, o: { zone: string; lang?: string; received?: string; json?: boolean; places: boolean }) => {
      const r = parseSms(text, { zone: o.zone, receivedAt: o.received ?? new Date().toISOString() });
      let out: unknown;
      if (!r.ok) out = { ok: false, error: r.error };
      else {
        let cmd = r.command;
        if (o.places && (cmd.type === 'report' || cmd.type === 'correction')) {
          const { loadGeo } = await import('../geo/index.js');
          const geo = loadGeo();
          const candidates = geo.lookup(cmd.report.place.query, { limit: 3 }).items.map((i) => ({ id: i.id, name: i.name, country: i.country, admin1: i.admin1, admin2: i.admin2, lat: i.lat, lon: i.lon, score: i.score }));
          cmd = { ...cmd, report: { ...cmd.report, place: { query: cmd.report.place.query, candidates } } };
        }
        out = cmd.type === 'report' ? { ok: true, report: cmd.report, publish: cmd.publish } : { ok: true, command: cmd };
      }
      process.stdout.write(o.json ? JSON.stringify(out) + '\n' : JSON.stringify(out, null, 2) + '\n');
      if (!r.ok) process.exitCode = 1;
    });
  sms
    .command('gateway-secret')
    .description('print the shared secret an SMS gateway signs webhooks with (X-Mizan-Signature)')
    .addOption(dataOption())
    .addOption(dbOption())
    .action(async (o: DataOpts) => {
      try {
        process.stdout.write((await withMonitors(o, async (app) => gatewaySecret(app))) + '\n');
      } catch (e) {
        fail(e);
      }
    });
}

