/**
 * Nothing acknowledged is lost, against the compiled gateway: with Redis stopped, the API process
 * answers 200 to incoming SMS, a delivery report and an opt-out only once they are in its spool;
 * it is then killed with SIGKILL. Redis comes back, a new API process starts on the same spool
 * folder, takes the dead process's file over and replays it: every message gets its one reply,
 * the report moves its message to delivered, the opt-out holds. With the spool unusable as well,
 * the same callbacks answer 503 (AT retries).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, startPrivateRedis, type PrivateRedis } from '../../../src/infra/redis/private-redis';
import { form, smsBody } from '../../support/at-bodies';
import { buildDist, CompiledProcess } from './compiled-gateway';

const ADMIN_TOKEN = 'spool-kill-admin-token';
const WEBHOOK_KEY = 'spool-kill-webhook-key-7f3a9c41';
const INBOUND = 20;

interface OutboxItem { id: string; to: string; text: string }

describe('callbacks spooled while Redis is down survive kill -9 of the API process', () => {
  let dir: string;
  let redis: PrivateRedis;
  let port: number;
  let base = '';
  let env: Record<string, string>;
  const processes: CompiledProcess[] = [];

  beforeAll(async () => {
    await buildDist();
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-spool-kill-'));
    redis = await startPrivateRedis({ dir: path.join(dir, 'redis'), appendOnly: true, label: 'spool-kill' });
    port = await freePort();
    base = `http://127.0.0.1:${port}`;
    env = {
      NODE_ENV: 'test', REDIS_URL: redis.url, REDIS_PREFIX: 'spoolkill', PORT: String(port), SMS_PROVIDER: 'outbox',
      ADMIN_TOKENS: `admin:${ADMIN_TOKEN}`, WEBHOOK_KEY, QUIET_HOURS: 'off', DIGEST_TIME: 'off', LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '5000',
      // No simulated report: the one delivery report is the one this test posts.
      SMS_OUTBOX_DLR_DELAY_MS: '0', SPOOL_DIR: path.join(dir, 'spool'), REDIS_COMMAND_TIMEOUT_MS: '500',
    };
  }, 300_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  function start(label: string, extra: Record<string, string> = {}): CompiledProcess {
    const started = new CompiledProcess(label, { ...env, ...extra });
    processes.push(started);
    return started;
  }
  const webhook = (route: string, body: string): Promise<Response> =>
    fetch(`${base}/webhooks/africastalking/${route}?key=${WEBHOOK_KEY}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  const admin = async <T>(route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${base}/api/v1${route}`, {
      method: body ? 'POST' : 'GET',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json', 'idempotency-key': `k-${JSON.stringify(body).length}-${Math.random()}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (response.status >= 300) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  };
  async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${processes.map((p) => `${p.label}:\n${p.log}`).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  const outbox = (phone: string) => admin<{ items: OutboxItem[] }>(`/outbox?phone=${encodeURIComponent(phone)}`).then((r) => r.items);
  const phone = (n: number) => `+2557541${String(n).padStart(5, '0')}`;

  it('loses nothing that was answered 200, and answers 503 when the spool cannot take it either', async () => {
    let api = start('api', { SERVICE_MODE: 'api' });
    const worker = start('worker', { SERVICE_MODE: 'worker' });
    await Promise.all([api.started(), worker.started()]);

    // A sent message whose delivery report will arrive while Redis is down.
    const delivered = phone(90_001);
    const first = await admin<{ id: string }>('/broadcasts', { name: 'Before the outage', audience: { phones: [delivered] }, messages: { sw: 'Kabla ya hitilafu', en: 'Before the outage' }, urgent: true });
    const sent = await until('the first message in the outbox', async () => (await outbox(delivered))[0]);

    await redis.stop(5000);
    const answers: number[] = [];
    for (let n = 0; n < INBOUND; n += 1) {
      const response = await webhook('sms', smsBody({ from: phone(n), text: 'MSAADA', id: `ATXid_spool_kill_${n}`, to: '15001' }));
      answers.push(response.status);
      expect(await response.json()).toEqual({ status: 'spooled' });
    }
    answers.push((await webhook('delivery-reports', form({ id: sent.id, status: 'Success', phoneNumber: delivered }))).status);
    const optedOut = phone(90_002);
    answers.push((await webhook('opt-outs', form({ phoneNumber: optedOut }))).status);
    expect(answers.every((status) => status === 200)).toBe(true);
    const spoolFiles = readdirSync(env.SPOOL_DIR as string);
    const spooledLines = spoolFiles.reduce((sum, name) => sum + readFileSync(path.join(env.SPOOL_DIR as string, name), 'utf8').trim().split('\n').length, 0);
    expect(spooledLines).toBe(INBOUND + 2);

    await api.kill();
    redis = await startPrivateRedis({ dir: redis.dir, port: redis.port, appendOnly: true, label: 'spool-kill' });
    api = start('api-again', { SERVICE_MODE: 'api' });
    await api.started();

    const replies = await until('one reply per acknowledged SMS', async () => {
      const counts = await Promise.all(Array.from({ length: INBOUND }, async (_, n) => (await outbox(phone(n))).length));
      return counts.every((count) => count >= 1) ? counts : undefined;
    }, 60_000);
    await until('the delivery report applied', async () => {
      const status = await admin<{ counts: Record<string, number> }>(`/broadcasts/${first.id}`);
      return status.counts.delivered === 1 ? status : undefined;
    });
    const after = await admin<{ id: string }>('/broadcasts', { name: 'After the outage', audience: { phones: [optedOut] }, messages: { sw: 'Baada ya hitilafu', en: 'After the outage' }, urgent: true });
    const afterStatus = await until('the broadcast after the outage completed', async () => {
      const status = await admin<{ state: string; total: number; counts: Record<string, number> }>(`/broadcasts/${after.id}`);
      return status.state === 'completed' ? status : undefined;
    });
    // The opted-out phone is left out (skipped, or not even a recipient) and gets nothing.
    expect(afterStatus.counts.skipped).toBe(afterStatus.total);
    expect(await outbox(optedOut)).toEqual([]);
    expect(readdirSync(env.SPOOL_DIR as string)).toEqual([]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    const replayed = /kiungo_callback_replayed_total\{kind="sms"\} (\d+)/.exec(metrics)?.[1];
    // Replies stay one per message (a second would mean an SMS handled twice).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const finalCounts = await Promise.all(Array.from({ length: INBOUND }, async (_, n) => (await outbox(phone(n))).length));
    console.log(`[spool kill -9] acknowledged ${answers.length} callbacks with Redis down (${INBOUND} SMS, 1 report, 1 opt-out); after kill -9 and restart: replayed sms=${replayed ?? '?'}, replies ${finalCounts.reduce((a, b) => a + b, 0)}/${INBOUND}, report applied, opt-out held (recipients ${afterStatus.total}, sent 0), lost 0`);
    expect(finalCounts).toEqual(replies.map(() => 1));
    expect(replayed).toBe(String(INBOUND));

    // Neither Redis nor the spool: 503 for each kind.
    await api.stop();
    await redis.stop(5000);
    api = start('api-no-spool', { SERVICE_MODE: 'api', SPOOL_DIR: '/dev/null/kiungo-spool' });
    await api.started();
    const refused = [
      await webhook('sms', smsBody({ from: phone(50), text: 'MSAADA', id: 'ATXid_spool_kill_refused', to: '15001' })),
      await webhook('delivery-reports', form({ id: sent.id, status: 'Success' })),
      await webhook('opt-outs', form({ phoneNumber: phone(51) })),
    ];
    expect(refused.map((r) => r.status)).toEqual([503, 503, 503]);
    expect(refused.every((r) => r.headers.get('retry-after') === '30')).toBe(true);
    redis = await startPrivateRedis({ dir: redis.dir, port: redis.port, appendOnly: true, label: 'spool-kill' });
  }, 180_000);
});
