/**
 * kiungo CLI: organiser jobs over the admin API (list the packs, import the agenda and delegates,
 * export delegates, broadcast with a live progress bar, show a broadcast's status), each on one
 * pack (service) of the gateway.
 *
 *   tsx scripts/cli.ts [--url URL] [--token TOKEN] [--pack ID] COMMAND ...
 *   (or KIUNGO_URL / KIUNGO_TOKEN / KIUNGO_PACK; without them, the gateway started here and its
 *   token: PUBLIC_URL or http://localhost:PORT, ADMIN_TOKENS or ./data/admin-token)
 *
 * Exit codes: 0 done, 1 the API refused or failed (its message is printed), 2 usage error.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import type { BroadcastReport } from '../src/broadcasts/broadcast-types';
import { ApiCallError, createApiClient, type ApiClient } from './lib/cli-api';
import { printReport, runBroadcast, UsageError } from './lib/cli-broadcast';
import { processIo, type CliIo } from './lib/cli-io';
import { listPacks, scopedToPack } from './lib/cli-packs';
import { RELEASE_COMMANDS, RELEASE_USAGE, runRelease } from './lib/cli-releases';
import { localAdminToken, localGatewayUrl, unreachableHint } from './lib/local-gateway';

const USAGE = `usage: cli.ts [--url URL] [--token TOKEN] [--pack ID] COMMAND
  packs                           the packs (services) this token may see
  import-agenda FILE              YAML/JSON event (replaces it) or CSV sessions
  import-delegates FILE.csv       columns phone,name,institution,institutionType,cohort,language
  export-delegates [--out FILE]   CSV to FILE or stdout
  import-invitees FILE            invitation list: CSV (phone,name,institution,institutionType,cohort) or JSON rows
  broadcast --audience all|cohort:1|type:ministry|session:S101|not-checked-in|phones:FILE --sw TEXT --en TEXT [--at ISO] [--urgent] [--yes]
  status ID
${RELEASE_USAGE}
Every command but packs works on one pack: --pack ID (default KIUNGO_PACK), else the token's
only pack, else the gateway's default pack.
URL and token default to KIUNGO_URL and KIUNGO_TOKEN, else to the gateway started here: PUBLIC_URL
or http://localhost:PORT (environment or ./.env), and ADMIN_TOKENS or ./data/admin-token.`;

const OPTIONS = {
  url: { type: 'string' }, token: { type: 'string' }, pack: { type: 'string' }, out: { type: 'string' }, audience: { type: 'string', multiple: true },
  sw: { type: 'string' }, en: { type: 'string' }, at: { type: 'string' }, urgent: { type: 'boolean', default: false },
  stage: { type: 'string' },
  yes: { type: 'boolean', short: 'y', default: false }, help: { type: 'boolean', short: 'h', default: false },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

async function importAgenda(api: ApiClient, io: CliIo, file: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  const result = extname(file).toLowerCase() === '.csv'
    ? await api.call<{ event: { sessions: unknown[] } }>('POST', '/agenda/import', { csv: text })
    : await api.call<{ event: { sessions: unknown[] } }>('PUT', '/agenda', { json: parseYaml(text) });
  io.out(`Agenda stored: ${result.event.sessions.length} sessions.`);
}

async function importDelegates(api: ApiClient, io: CliIo, file: string): Promise<void> {
  const report = await api.call<{ rows: number; created: number; existing: unknown[]; duplicates: Array<{ line: number; firstLine: number }>; errors: Array<{ line: number; field: string; message: string }> }>(
    'POST', '/delegates/import', { csv: readFileSync(file, 'utf8') });
  io.out(`${report.rows} rows: ${report.created} new, ${report.existing.length} already registered, ${report.duplicates.length} duplicates, ${report.errors.length} errors.`);
  for (const d of report.duplicates) io.out(`  line ${d.line}: same phone as line ${d.firstLine}`);
  for (const e of report.errors) io.out(`  line ${e.line}: ${e.field}: ${e.message}`);
}

async function importInvitees(api: ApiClient, io: CliIo, file: string): Promise<void> {
  const text = readFileSync(file, 'utf8');
  type Report = { rows: number; added: number; updated: number; duplicates: Array<{ row: number; firstRow: number }>; errors: Array<{ row: number; field: string; message: string }> };
  const csv = extname(file).toLowerCase() === '.csv';
  const report = csv
    ? await api.call<Report>('POST', '/invitees/import', { csv: text })
    : await api.call<Report>('POST', '/invitees', { json: { invitees: JSON.parse(text) as unknown } });
  const where = csv ? 'line' : 'row';
  io.out(`${report.rows} rows: ${report.added} invited, ${report.updated} updated, ${report.duplicates.length} duplicates, ${report.errors.length} errors.`);
  for (const d of report.duplicates) io.out(`  ${where} ${d.row}: same phone as ${where} ${d.firstRow}`);
  for (const e of report.errors) io.out(`  ${where} ${e.row}: ${e.field}: ${e.message}`);
}

async function run(command: string, args: string[], values: Values, gateway: ApiClient, io: CliIo): Promise<void> {
  const one = (what: string): string => {
    if (args.length !== 1 || !args[0]) throw new UsageError(`${command} needs exactly one ${what}`);
    return args[0];
  };
  if (command === 'packs') {
    if (values.pack !== undefined) throw new UsageError('packs lists every pack the token may see: leave out --pack');
    if (args.length > 0) throw new UsageError('packs takes no arguments');
    return listPacks(gateway, io);
  }
  const pack = values.pack ?? io.env.KIUNGO_PACK;
  if (pack !== undefined && pack.trim() === '') throw new UsageError('--pack needs a pack id (see the packs command)');
  const api = scopedToPack(gateway, pack);
  if (RELEASE_COMMANDS.has(command)) {
    try {
      return await runRelease(api, io, command, args, values.stage);
    } catch (error) {
      if (error instanceof Error && !(error instanceof ApiCallError) && !(error as { code?: string }).code) throw new UsageError(error.message);
      throw error;
    }
  }
  switch (command) {
    case 'import-agenda': return importAgenda(api, io, one('FILE'));
    case 'import-delegates': return importDelegates(api, io, one('FILE.csv'));
    case 'import-invitees': return importInvitees(api, io, one('FILE'));
    case 'export-delegates': {
      const csv = await api.call<string>('GET', '/delegates.csv');
      if (values.out) { writeFileSync(values.out, csv); io.out(`Wrote ${values.out}.`); } else io.write(csv);
      return;
    }
    case 'broadcast':
      return runBroadcast(api, io, {
        audience: values.audience ?? [], sw: values.sw, en: values.en, at: values.at, urgent: values.urgent, yes: values.yes,
        pollMs: Number(io.env.KIUNGO_POLL_MS ?? 1000),
      });
    case 'status': {
      const id = one('broadcast ID');
      return printReport(io, await api.call<BroadcastReport>('GET', `/broadcasts/${encodeURIComponent(id)}/report`));
    }
    default: throw new UsageError(`unknown command '${command}'`);
  }
}

/** Runs the CLI with `argv` (without node and script); resolves the exit code, never exits itself. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  let url = '';
  try {
    const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, ...args] = positionals;
    if (values.help || !command) { io.out(USAGE); return values.help ? 0 : 2; }
    const cwd = io.cwd ?? process.cwd();
    url = values.url ?? io.env.KIUNGO_URL ?? localGatewayUrl(io.env, cwd);
    const token = values.token ?? io.env.KIUNGO_TOKEN ?? localAdminToken(io.env, cwd);
    if (!token) throw new UsageError(`no admin token: give --token or KIUNGO_TOKEN (npm start prints its "Console token" and keeps it in ./data/admin-token)`);
    await run(command, args, values, createApiClient(url, token), io);
    return 0;
  } catch (error) {
    if (error instanceof ApiCallError && error.code === 'NETWORK') {
      io.err(`error: ${unreachableHint(url)}`);
      return 1;
    }
    if (error instanceof ApiCallError) {
      io.err(`error: ${error.message} (${error.code})`);
      if (Array.isArray(error.details)) for (const d of error.details.slice(0, 30)) io.err(`  ${JSON.stringify(d)}`);
      return 1;
    }
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`error: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if ((error as { code?: string }).code === 'ENOENT') { io.err(`error: ${(error as Error).message}`); return 2; }
    io.err(`error: ${(error as Error).message}`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
}
