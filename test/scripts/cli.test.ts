/** The CLI against a local app: imports, export, a broadcast followed to the end, status, exit codes. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../scripts/cli';
import type { CliIo } from '../../scripts/lib/cli-io';
import { ADMIN, OTHER_PACK, PACK, VIEWER, createAdminStack, type AdminStack } from '../http/admin/support/admin-stack';
import { createFakeBroadcasts } from '../http/admin/support/fake-broadcasts';

function captureIo(env: Record<string, string>, answer = false): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    env, stdout, stderr,
    out: (line) => stdout.push(line), err: (line) => stderr.push(line), write: (text) => stdout.push(text),
    confirm: async () => answer, progressStream: new PassThrough(),
  };
}

describe('kiungo CLI', () => {
  let stack: AdminStack;
  let server: Server;
  let env: Record<string, string>;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-cli-'));
  const ONLY_2016 = 'only-2016-token-0123456789';
  beforeAll(async () => {
    stack = await createAdminStack({
      tokens: [{ role: 'admin', token: ADMIN }, { role: 'viewer', token: VIEWER }, { role: 'admin', token: ONLY_2016, packs: [OTHER_PACK] }],
    }, createFakeBroadcasts({ audienceAll: 6, recipientsPerSecond: 50 }));
    server = await new Promise<Server>((resolve) => { const s = stack.app.listen(0, '127.0.0.1', () => resolve(s)); });
    env = { KIUNGO_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, KIUNGO_TOKEN: ADMIN, KIUNGO_POLL_MS: '50' };
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    await stack.close();
  });

  it('imports delegates, reporting bad rows, and exports them', async () => {
    const file = path.join(dir, 'delegates.csv');
    writeFileSync(file, 'phone,name,institution,institutionType,cohort,language\n0712345678,Asha Mushi,eGA,agency,1,sw\nxx,Bad,eGA,agency,1,sw\n');
    const io = captureIo(env);
    await expect(main(['import-delegates', file], io)).resolves.toBe(0);
    expect(io.stdout.join('\n')).toMatch(/2 rows: 1 new.*1 errors[\s\S]*line 3: phone/);
    const out = path.join(dir, 'out.csv');
    await expect(main(['export-delegates', '--out', out], captureIo(env))).resolves.toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('Asha Mushi');
  });

  it('imports the invitation list from CSV and JSON, reporting bad rows', async () => {
    const csv = path.join(dir, 'invitees.csv');
    writeFileSync(csv, 'phone,name,institution,institutionType,cohort\n0712345601,Dkt. Asha Mushi,"Ofisi ya Rais, Tawala za Mikoa na Serikali za Mitaa (TAMISEMI)",ministry,1\n0712345602,Jo,eGA,agency,1\n');
    const io = captureIo(env);
    await expect(main(['import-invitees', csv], io)).resolves.toBe(0);
    expect(io.stdout.join('\n')).toMatch(/2 rows: 1 invited, 0 updated, 0 duplicates, 1 errors\.\n {2}line 3: name: /);
    const json = path.join(dir, 'invitees.json');
    writeFileSync(json, JSON.stringify([{ phone: '0712345603', name: 'Bw. Tan Kim Leng', institution: 'eGA', institutionType: 'agency', cohort: '2' }]));
    const io2 = captureIo(env);
    await expect(main(['import-invitees', json], io2)).resolves.toBe(0);
    expect(io2.stdout).toEqual(['1 rows: 1 invited, 0 updated, 0 duplicates, 0 errors.']);
  });

  it('imports agenda sessions from CSV and the event from YAML', async () => {
    const csv = path.join(dir, 'agenda.csv');
    writeFileSync(csv, 'code,day,start,end,title_sw,title_en,short_sw,short_en,speaker,room,theme\nS1,2015-08-17,09:00,10:00,Ufunguzi,Opening,Ufunguzi,Opening,,Simba,\n');
    const io = captureIo(env);
    await expect(main(['import-agenda', csv], io)).resolves.toBe(0);
    expect(io.stdout).toEqual(['Agenda stored: 1 sessions.']);
    const yamlFile = path.join(dir, 'event.yaml');
    writeFileSync(yamlFile, readFileSync(path.resolve(__dirname, '../../flows/egov2015/event.yaml'), 'utf8'));
    await expect(main(['import-agenda', yamlFile], captureIo(env))).resolves.toBe(0);
    expect((await stack.deps.agenda.get(PACK)).sessions.length).toBeGreaterThan(1);
  });

  it('broadcasts after the preview, follows progress to the end and prints the report', async () => {
    const phones = path.join(dir, 'phones.txt');
    writeFileSync(phones, '0712000001\n0712000002\n');
    const io = captureIo(env);
    await expect(main(['broadcast', '--audience', 'all', '--audience', `phones:${phones}`, '--sw', 'Habari {name}', '--en', 'Hello {name}', '--yes'], io)).resolves.toBe(0);
    const text = io.stdout.join('\n');
    expect(text).toMatch(/Audience: 8 recipients/);
    expect(text).toMatch(/Created broadcast b1/);
    expect(text).toMatch(/Broadcast b1 "Broadcast": completed, 100 % of 8/);
    expect(stack.broadcasts.drafts[0]?.audience).toEqual({ all: true, phones: ['0712000001', '0712000002'] });
    const status = captureIo(env);
    await expect(main(['status', 'b1'], status)).resolves.toBe(0);
    expect(status.stdout[0]).toMatch(/completed/);
  });

  it('asks before sending and sends nothing on no', async () => {
    const io = captureIo(env, false);
    await expect(main(['broadcast', '--audience', 'cohort:1', '--sw', 'Habari'], io)).resolves.toBe(0);
    expect(io.stdout.at(-1)).toBe('Not sent.');
    expect(stack.broadcasts.drafts).toHaveLength(1);
  });

  it('lists the packs the token may see', async () => {
    const io = captureIo(env);
    await expect(main(['packs'], io)).resolves.toBe(0);
    expect(io.stdout).toEqual([
      'egov2015  e-Government Conference 2015 (sample data)  USSD *384*2015#  SMS 15001 keyword EGOV2015',
      'egov2016  e-Government Conference 2016 (sample data)  USSD *384*2016#  SMS 15001 keyword EGOV2016',
      "Name one with --pack ID (or KIUNGO_PACK); without it, commands work on the gateway's default pack.",
    ]);
    const limited = captureIo({ ...env, KIUNGO_TOKEN: ONLY_2016 });
    await expect(main(['packs'], limited)).resolves.toBe(0);
    expect(limited.stdout.map((line) => line.split(' ')[0])).toEqual(['egov2016', 'Commands']);
    await expect(main(['packs', '--pack', PACK], captureIo(env))).resolves.toBe(2);
    const help = captureIo(env);
    await expect(main(['--help'], help)).resolves.toBe(0);
    expect(help.stdout[0]).toMatch(/\[--pack ID\] COMMAND\n {2}packs {2,}the packs[\s\S]*--pack ID \(default KIUNGO_PACK\)/);
  });

  it('works on the pack named by --pack or KIUNGO_PACK, and refuses one the token may not use', async () => {
    const file = path.join(dir, 'delegates-2016.csv');
    writeFileSync(file, 'phone,name,institution,institutionType,cohort,language\n0712345016,Neema Said,eGA,agency,3,sw\n');
    await expect(main(['--pack', OTHER_PACK, 'import-delegates', file], captureIo(env))).resolves.toBe(0);
    expect(await stack.delegates.get(OTHER_PACK, '+255712345016')).toMatchObject({ name: 'Neema Said' });
    expect(await stack.delegates.get(PACK, '+255712345016')).toBeNull();
    const exported = captureIo({ ...env, KIUNGO_PACK: OTHER_PACK });
    await expect(main(['export-delegates'], exported)).resolves.toBe(0);
    expect(exported.stdout.join('')).toContain('Neema Said');
    expect(exported.stdout.join('')).not.toContain('Asha Mushi');
    const plain = captureIo(env);
    await expect(main(['export-delegates'], plain)).resolves.toBe(0);
    expect(plain.stdout.join('')).not.toContain('Neema Said');

    const yamlFile = path.join(dir, 'event-2016.yaml');
    writeFileSync(yamlFile, readFileSync(path.resolve(__dirname, '../../flows/egov2016/event.yaml'), 'utf8'));
    await expect(main(['import-agenda', yamlFile, '--pack', OTHER_PACK], captureIo(env))).resolves.toBe(0);
    expect(stack.agendaChanges.at(-1)?.pack).toBe(OTHER_PACK);

    const before = stack.broadcastPacks.length;
    await expect(main(['broadcast', '--pack', OTHER_PACK, '--audience', 'all', '--sw', 'Habari', '--yes'], captureIo(env))).resolves.toBe(0);
    expect(new Set(stack.broadcastPacks.slice(before))).toEqual(new Set([OTHER_PACK]));
    await expect(main(['status', 'b2', '--pack', OTHER_PACK], captureIo(env))).resolves.toBe(0);
    expect(stack.broadcastPacks.at(-1)).toBe(OTHER_PACK);

    const refused = captureIo({ ...env, KIUNGO_TOKEN: ONLY_2016 });
    await expect(main(['--pack', PACK, 'export-delegates'], refused)).resolves.toBe(1);
    expect(refused.stderr[0]).toMatch(/may not use pack 'egov2015'.*AUTH.FORBIDDEN/);
    const unknown = captureIo(env);
    await expect(main(['--pack', 'egov2099', 'status', 'b1'], unknown)).resolves.toBe(1);
    expect(unknown.stderr[0]).toMatch(/No pack 'egov2099'.*PACK.NOT_FOUND/);
    await expect(main(['--pack', '', 'status', 'b1'], captureIo(env))).resolves.toBe(2);
  });

  it('exits 1 with the API message, 2 on usage errors', async () => {
    const viewer = captureIo({ ...env, KIUNGO_TOKEN: VIEWER });
    await expect(main(['import-delegates', path.join(dir, 'delegates.csv')], viewer)).resolves.toBe(1);
    expect(viewer.stderr[0]).toMatch(/read-only.*AUTH.FORBIDDEN/);
    await expect(main(['status', 'nope'], captureIo(env))).resolves.toBe(1);
    await expect(main(['broadcast', '--audience', 'planet:mars', '--sw', 'x'], captureIo(env))).resolves.toBe(2);
    await expect(main(['frobnicate'], captureIo(env))).resolves.toBe(2);
    await expect(main(['status'], captureIo({}))).resolves.toBe(2);
    await expect(main(['--bogus'], captureIo(env))).resolves.toBe(2);
  });

  it('runs as a script: usage error exits 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.resolve(__dirname, '../../scripts/cli.ts'), 'frobnicate'], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 15_000 });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown command 'frobnicate'/);
  });
});
