import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import express from 'express';
import { renderScreen, countScreen } from '../../scripts/lib/screen-box';
import { parseTranscript } from '../../scripts/lib/transcript';
import { parseUssdAnswer, UssdClientError, UssdSession, webhookUrl } from '../../scripts/lib/ussd-client';

type Form = Record<string, string>;

const MENU: Record<string, string> = {
  '': 'CON Karibu\n1. Ratiba\n2. Msaada',
  '1': 'CON Siku:\n1. Jumatatu\n0. Rudi',
  '1*1': 'END Asante!',
  '2': 'not a ussd answer',
  '9': 'BOOM',
};

/** A tiny gateway: the menu above, a key check, and a record of every hop and notification. */
async function startGateway(key?: string) {
  const hops: Form[] = [];
  const events: Form[] = [];
  const app = express();
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => (key && req.query.key !== key ? res.status(401).send('bad key') : next()));
  app.post('/webhooks/africastalking/ussd', (req, res) => {
    const body = req.body as Form;
    hops.push(body);
    const answer = MENU[body.text ?? ''] ?? 'END Chaguo batili';
    if (answer === 'BOOM') res.status(500).send('boom');
    else res.type('text/plain').send(answer);
  });
  app.post('/webhooks/africastalking/ussd-events', (req, res) => {
    events.push(req.body as Form);
    res.send('OK');
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, hops, events, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('USSD client', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeEach(async () => { gateway = await startGateway('s3cret-key-0123456'); });
  afterEach(async () => { await gateway.close(); });

  const options = () => ({ baseUrl: gateway.url, phoneNumber: '+255712345678', serviceCode: '*384*2015#', key: 's3cret-key-0123456' });

  it('keeps one session id, accumulates text with * and closes on END', async () => {
    const session = new UssdSession(options());
    await expect(session.start()).resolves.toEqual({ kind: 'CON', text: 'Karibu\n1. Ratiba\n2. Msaada', raw: 'CON Karibu\n1. Ratiba\n2. Msaada' });
    await expect(session.answer('1')).resolves.toMatchObject({ kind: 'CON', text: 'Siku:\n1. Jumatatu\n0. Rudi' });
    await expect(session.answer('1')).resolves.toMatchObject({ kind: 'END', text: 'Asante!' });
    expect(gateway.hops.map((hop) => hop.text)).toEqual(['', '1', '1*1']);
    expect(new Set(gateway.hops.map((hop) => hop.sessionId))).toEqual(new Set([session.sessionId]));
    expect(session.sessionId).toMatch(/^ATUid_[0-9a-f]{32}$/);
    expect(gateway.hops[0]).toEqual({ sessionId: session.sessionId, serviceCode: '*384*2015#', phoneNumber: '+255712345678', networkCode: '99999', text: '' });
    expect(session.closed).toBe(true);
    await expect(session.answer('1')).rejects.toMatchObject({ code: 'SIM.SESSION_CLOSED' });
    expect(gateway.events).toEqual([expect.objectContaining({ sessionId: session.sessionId, status: 'Success', input: '1*1', hopsCount: '3', lastAppResponse: 'END Asante!' })]);
  });

  it('gives each dial a new session id', () => {
    expect(new UssdSession(options()).sessionId).not.toBe(new UssdSession(options()).sessionId);
  });

  it('posts Incomplete when hung up on an open session, and nothing when already closed', async () => {
    const session = new UssdSession(options());
    await session.start();
    await expect(session.hangUp()).resolves.toBe(200);
    await expect(session.hangUp()).resolves.toBeUndefined();
    expect(gateway.events).toEqual([expect.objectContaining({ status: 'Incomplete', input: '', hopsCount: '1', date: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) })]);
  });

  it('fails with a code on a non-USSD answer, an HTTP error, a bad key or no gateway', async () => {
    const notUssd = new UssdSession(options());
    await notUssd.start();
    await expect(notUssd.answer('2')).rejects.toMatchObject({ code: 'SIM.NOT_USSD', status: 200 });
    expect(gateway.events.at(-1)).toMatchObject({ status: 'Failed', input: '2' });
    const boom = new UssdSession(options());
    await boom.start();
    await expect(boom.answer('9')).rejects.toMatchObject({ code: 'SIM.HTTP_STATUS', status: 500 });
    await expect(new UssdSession({ ...options(), key: 'wrong' }).start()).rejects.toMatchObject({ code: 'SIM.HTTP_STATUS', status: 401 });
    const unreachable = new UssdSession({ ...options(), baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
    await expect(unreachable.start()).rejects.toBeInstanceOf(UssdClientError);
  });
});

describe('USSD answers, screens and transcripts', () => {
  it('parses CON/END answers the way AT does', () => {
    expect(parseUssdAnswer('END ')).toEqual({ kind: 'END', text: '', raw: 'END ' });
    expect(parseUssdAnswer('CON a\nb')).toMatchObject({ kind: 'CON', text: 'a\nb' });
    expect(parseUssdAnswer(' CON a')).toBeUndefined();
    expect(parseUssdAnswer('CONa')).toBeUndefined();
    expect(parseUssdAnswer('')).toBeUndefined();
    expect(webhookUrl('http://h:1/base', 'ussd', 'k y')).toBe('http://h:1/base/webhooks/africastalking/ussd?key=k+y');
  });

  it('counts GSM-7 against the budget and UCS-2 against 70', () => {
    expect(countScreen('Karibu\n1. Ratiba', 160)).toEqual({ encoding: 'GSM-7', units: 16, budget: 160, over: false });
    expect(countScreen('€'.repeat(81), 160)).toEqual({ encoding: 'GSM-7', units: 162, budget: 160, over: true });
    expect(countScreen('Karibu 😀', 160)).toEqual({ encoding: 'UCS-2', units: 9, budget: 70, over: false });
    const box = renderScreen({ kind: 'CON', text: 'Karibu\n1. Ratiba', raw: '' }, 160);
    expect(box.split('\n')).toHaveLength(4);
    expect(box).toContain('│ Karibu ');
    expect(box).toMatch(/16\/160 GSM-7 ┘$/);
    expect(new Set(box.split('\n').map((line) => Array.from(line).length)).size).toBe(1);
  });

  it('reads YAML transcripts with inputs kept as written, and plain text one input per line', () => {
    expect(parseTranscript('phone: "+255754000001"\ninputs: [1, 00, 98, "0"]\n', 'a.yaml')).toEqual({ phone: '+255754000001', code: undefined, inputs: ['1', '00', '98', '0'] });
    expect(parseTranscript('# dial and go\n1\n\n00\n:new\n2\n', 'a.txt')).toEqual({ inputs: ['1', '00', ':new', '2'] });
    expect(() => parseTranscript('inputs: 1', 'b.yml')).toThrow(/b\.yml.*inputs/);
  });
});

describe('npm run sim --script', () => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => { gateway = await startGateway(); });
  afterAll(async () => { await gateway.close(); });

  function sim(inputs: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const dir = mkdtempSync(path.join(tmpdir(), 'kiungo-sim-'));
    const file = path.join(dir, 'script.txt');
    writeFileSync(file, inputs);
    const root = path.resolve(__dirname, '../..');
    return new Promise((resolve) => {
      execFile(process.execPath, ['--import', 'tsx', 'scripts/sim.ts', '--url', gateway.url, '--script', file], { cwd: root, timeout: 15000 }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  it('plays a transcript, prints boxed screens and exits 0', async () => {
    const result = await sim('1\n1\n:new\n');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('┌─ END');
    expect(result.stdout).toContain('│ Asante!');
    expect(result.stdout.match(/┌─ CON/g)).toHaveLength(3);
  });

  it('exits 1 when the gateway errors or the session ends before the transcript does', async () => {
    const failed = await sim('9\n');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/SIM\.HTTP_STATUS.*500/);
    const early = await sim('2x\n1\n');
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/ended before input 2/);
  });
});
