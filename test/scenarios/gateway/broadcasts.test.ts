/**
 * Broadcasts through the service layer on the real pipeline and the outbox: preview, idempotent
 * create, personalised texts, progress to completion, pause/resume/cancel with counts that add
 * up, quiet hours, re-send and the CSV report.
 */
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import type { BroadcastStatus } from '../../../src/broadcasts/broadcast-types';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

async function registerMany(stack: GatewayStack, count: number, start = 0): Promise<string[]> {
  const phones: string[] = [];
  for (let i = start; i < start + count; i++) {
    const phone = `+2557150${String(i).padStart(5, '0')}`;
    await stack.gateway.services.delegates.register('egov2015', {
      phone, name: `Mjumbe ${i}`, institution: 'eGA', institutionType: i % 2 ? 'ministry' : 'agency',
      cohort: i % 3 ? '1' : '2', language: i % 4 ? 'sw' : 'en', channel: 'import',
    }, stack.clock.now());
    phones.push(phone);
  }
  return phones;
}

function settled(status: BroadcastStatus): boolean {
  const { queued, sending } = status.counts;
  return queued === 0 && sending === 0;
}

function sum(status: BroadcastStatus): number {
  return Object.values(status.counts).reduce((a, b) => a + b, 0);
}

describe('broadcasts', () => {
  let stack: GatewayStack;
  beforeAll(async () => { stack = await startGatewayStack(); });
  afterAll(async () => { await stack.close(); });

  it('previews audience, languages, encoding, segments and cost', async () => {
    await registerMany(stack, 12);
    const preview = await stack.gateway.broadcasts.preview({
      audience: { all: true, phones: ['0754 999 000', 'not a number'] },
      messages: { sw: 'Karibu {name}, namba yako ni {code}.', en: 'Welcome {name} \u2019 your code is {code}.' },
    });
    expect(preview.audience).toMatchObject({ eligible: 13, invalid: 1 });
    expect(preview.languages.sw?.encoding).toBe('GSM-7');
    expect(preview.languages.sw?.sample).toMatch(/^Karibu Mjumbe \d+, namba yako ni [A-Z0-9]{5}\.$/);
    expect(preview.languages.en?.encoding).toBe('UCS-2');
    expect(preview.languages.en?.nonGsmCharacters).toEqual(['\u2019']);
    expect(preview.cost).toMatchObject({ currency: 'TZS', pricePerSegment: 22, segments: 13, amount: 286 });
    expect(preview.problems.join(' ')).toMatch(/UCS-2/);
  });

  it('sends each recipient exactly once, idempotently, and completes', async () => {
    const draft = { audience: { cohorts: ['1'] }, messages: { sw: 'Habari {name}: kikao kinaanza saa 3.', en: 'Hello {name}: the session starts at 9.' }, urgent: true };
    const first = await stack.gateway.broadcasts.create(draft, 'key-complete');
    const again = await stack.gateway.broadcasts.create(draft, 'key-complete');
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.broadcast.id).toBe(first.broadcast.id);
    const done = await eventually(async () => {
      const status = await stack.gateway.broadcasts.get(first.broadcast.id);
      return status && status.progress === 1 && settled(status) ? status : undefined;
    }, 20000, 'broadcast completion');
    expect(done.state).toBe('completed');
    expect(sum(done)).toBe(done.total);
    const all = await listOutbox(stack.gateway.redis, stack.gateway.keys, { limit: 1000 });
    const habari = all.filter((m) => m.message.startsWith('Habari') || m.message.startsWith('Hello'));
    expect(habari).toHaveLength(done.total);
    expect(new Set(habari.map((m) => m.to)).size).toBe(done.total);
    const csv = await stack.gateway.broadcasts.reportCsv(done.id, { maskPhones: true });
    expect(csv.split('\n').filter(Boolean)).toHaveLength(done.total + 1);
    expect(csv).not.toMatch(/\+2557150\d{5}/);
    // Each recipient names the route that carried it (SMS_ROUTES; here the outbox alone).
    const [header, ...lines] = csv.trim().split('\n');
    expect(header?.trim().split(',').at(-1)).toBe('"route"');
    expect(lines.every((line) => line.trim().endsWith(',"outbox"'))).toBe(true);
    expect((await stack.gateway.broadcasts.report(done.id)).byRoute).toEqual({ outbox: done.total });
  });

  it('holds a broadcast during quiet hours unless it is urgent', async () => {
    const quiet = await startGatewayStack({ env: { QUIET_HOURS: '20:00-08:00' }, now: '2015-08-17T18:30:00.000Z', workers: false });
    try {
      const draft = { audience: { phones: ['+255715999001'] }, messages: { sw: 'Usiku mwema' } };
      const preview = await quiet.gateway.broadcasts.preview(draft);
      expect(preview.quietHours).toMatchObject({ inQuietHours: true, sendsAt: '2015-08-18T05:00:00.000Z' });
      const held = await quiet.gateway.broadcasts.create(draft, 'quiet-1');
      expect(held.broadcast.sendAt).toBe('2015-08-18T05:00:00.000Z');
      const urgent = await quiet.gateway.broadcasts.create({ ...draft, urgent: true }, 'quiet-2');
      expect(urgent.broadcast.sendAt).toBe('2015-08-17T18:30:00.000Z');
    } finally {
      await quiet.close();
    }
  });
});

describe('broadcast control', () => {
  it('pauses, resumes and cancels; what never left is counted as cancelled', async () => {
    const slow = await startGatewayStack({ env: { SMS_RATE_PER_SECOND: '5' } });
    try {
      await registerMany(slow, 160, 100);
      const { broadcast } = await slow.gateway.broadcasts.create({ audience: { all: true }, messages: { sw: 'Taarifa kwa wote', en: 'Notice to all' }, urgent: true }, 'control-1');
      expect(broadcast.total).toBe(160);
      const paused = await slow.gateway.broadcasts.pause(broadcast.id);
      expect(paused.state).toBe('paused');
      await expect(slow.gateway.broadcasts.pause(broadcast.id)).rejects.toMatchObject({ code: 'BROADCAST.CONFLICT' });
      const resumed = await slow.gateway.broadcasts.resume(broadcast.id);
      expect(['sending', 'scheduled']).toContain(resumed.state);
      await eventually(async () => ((await slow.gateway.broadcasts.get(broadcast.id))?.counts.sent ?? 0) + ((await slow.gateway.broadcasts.get(broadcast.id))?.counts.delivered ?? 0) > 0 ? true : undefined, 15000, 'first sends');
      const cancelled = await slow.gateway.broadcasts.cancel(broadcast.id);
      expect(cancelled.state).toBe('cancelled');
      const final = await eventually(async () => {
        const status = await slow.gateway.broadcasts.get(broadcast.id);
        return status && settled(status) ? status : undefined;
      }, 60000, 'the cancelled broadcast to settle');
      expect(sum(final)).toBe(160);
      expect(final.counts.cancelled).toBeGreaterThan(0);
      const report = await slow.gateway.broadcasts.report(broadcast.id);
      expect(report.byReason.cancelled).toBe(final.counts.cancelled);
    } finally {
      await slow.close();
    }
  }, 90000);
});
