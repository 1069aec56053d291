/**
 * AT's SMS callbacks are acknowledged only once stored: with Redis failing they go to the spool and
 * answer 200; with the spool full (or unwritable) too, every one answers 503 with Retry-After, so
 * that AT sends it again. What was spooled is applied once Redis answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { createApp } from '../../../src/http/app';
import { createInboundSmsRouter } from '../../../src/http/webhooks/inbound-sms';
import { smsCallbackRouters } from '../../../src/compose/http';
import { createLogger } from '../../../src/kernel/logger';
import { createMetrics, type Metrics } from '../../../src/kernel/metrics';
import { createCallbackIntake, type CallbackIntake } from '../../../src/sms/callback-intake';
import { form, smsBody } from '../../support/at-bodies';

const logger = createLogger('silent');
const HOOKS = '/webhooks/africastalking';

describe('SMS callbacks while Redis is down', () => {
  let dir: string;
  let redisUp: boolean;
  let applied: Array<[string, unknown]>;
  let intake: CallbackIntake;
  let metrics: Metrics;
  let app: Express;

  function build(maxBytes: number, spoolDir = dir): void {
    metrics = createMetrics({ defaultMetrics: false });
    const fail = (): never => { throw new Error('Connection is closed.'); };
    intake = createCallbackIntake({
      dir: spoolDir, maxBytes, logger, metrics, retryIntervalMs: 60_000,
      appliers: {
        inboundSms: async (sms) => { if (!redisUp) fail(); applied.push(['sms', sms.id]); return true; },
        deliveryReport: async (report) => { if (!redisUp) fail(); applied.push(['dlr', report.id]); return 'applied'; },
        optOut: async (optOut) => { if (!redisUp) fail(); applied.push(['opt_out', optOut.phoneNumber]); return true; },
      },
    });
    const hooks = smsCallbackRouters(intake);
    app = createApp({
      logger, metrics, ready: async () => redisUp, trustProxy: false,
      mounts: [
        { path: HOOKS, router: createInboundSmsRouter({ intake, webhookKey: undefined, ipAllowList: [] }) },
        { path: `${HOOKS}/delivery-reports`, router: hooks.deliveryReports },
        { path: `${HOOKS}/opt-outs`, router: hooks.optOuts },
      ],
    });
  }

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'kiungo-durability-'));
    redisUp = false;
    applied = [];
  });
  afterEach(async () => {
    await intake.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (route: string, body: string) => request(app).post(`${HOOKS}/${route}`).type('form').send(body);
  const sms = (n: number) => smsBody({ from: '+255754000010', text: `MSAADA ${n}`, id: `ATXid_durable_${n}`, to: '15001' });

  it('answers 200 once spooled, and applies each callback once Redis is back', async () => {
    build(1_000_000);
    const inbound = await post('sms', sms(1));
    expect(inbound.status).toBe(200);
    expect(inbound.body).toEqual({ status: 'spooled' });
    expect((await post('delivery-reports', form({ id: 'ATXid_dlr_1', status: 'Success' }))).status).toBe(200);
    expect((await post('opt-outs', form({ senderId: 'KIUNGO', phoneNumber: '+255754000011' }))).status).toBe(200);
    expect(intake.spool.depth()).toBe(3);
    const scraped = await metrics.registry.metrics();
    expect(scraped).toMatch(/kiungo_callback_spooled_total\{kind="sms"\} 1/);
    expect(scraped).toMatch(/kiungo_callback_spool_depth 3/);
    redisUp = true;
    expect(await intake.spool.replay()).toEqual({ replayed: 3, waiting: 0 });
    expect(applied).toEqual([['sms', 'ATXid_durable_1'], ['dlr', 'ATXid_dlr_1'], ['opt_out', '+255754000011']]);
    expect(await metrics.registry.metrics()).toMatch(/kiungo_callback_replayed_total\{kind="dlr"\} 1/);
  });

  it('answers 503 with Retry-After when neither Redis nor the full spool can take it', async () => {
    build(300);
    expect((await post('sms', sms(1))).status).toBe(200);
    const refused = [
      await post('sms', smsBody({ from: '+255754000010', text: 'x'.repeat(600), id: 'ATXid_big', to: '15001' })),
      await post('delivery-reports', form({ id: 'ATXid_dlr_2', status: 'Failed', failureReason: 'x'.repeat(190) })),
      await post('opt-outs', form({ senderId: 'K'.repeat(190), phoneNumber: '+255754000012' })),
    ];
    for (const response of refused) {
      expect(response.status).toBe(503);
      expect(response.headers['retry-after']).toBe('30');
    }
    expect(await metrics.registry.metrics()).toMatch(/kiungo_callback_refused_total\{kind="sms"\} 1/);
  });

  it('answers 503 when the spool folder cannot be written', async () => {
    build(1_000_000, '/dev/null/kiungo-spool');
    expect((await post('sms', sms(2))).status).toBe(503);
    expect((await post('delivery-reports', form({ id: 'ATXid_dlr_3', status: 'Success' }))).status).toBe(503);
    expect((await post('opt-outs', form({ phoneNumber: '+255754000013' }))).status).toBe(503);
  });

  it('goes straight to Redis when it answers (nothing spooled)', async () => {
    redisUp = true;
    build(1_000_000);
    const inbound = await post('sms', sms(3));
    expect(inbound.body).toEqual({ status: 'queued' });
    expect(intake.spool.depth()).toBe(0);
  });
});
