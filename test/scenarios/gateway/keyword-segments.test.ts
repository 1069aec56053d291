/**
 * Every keyword reply, with typical values, through the real gateway: how many SMS segments each
 * costs, in both languages. Prints the table (run this file alone to read it) and fails when a
 * reply needs more than three segments.
 *   npx jest test/scenarios/gateway/keyword-segments.test.ts --maxWorkers=1
 */
import request from 'supertest';
import { measureSms } from '../../../src/kernel/text/gsm';
import { listOutbox } from '../../../src/providers/outbox/outbox.redis';
import { smsBody } from '../../support/at-bodies';
import { eventually, startGatewayStack, type GatewayStack } from '../../support/gateway-stack';

// 09:40 on day 1 in Arusha: S102 is running, S103 is next.
const NOW = '2015-08-17T06:40:00.000Z';

const SCRIPTS: Record<'sw' | 'en', Array<[string, string]>> = {
  sw: [
    ['SAJILI (no cohort)', 'SAJILI Dkt. Asha Juma Mwinyi, Wizara ya Fedha'],
    ['answer: cohort', '1'],
    ['answer: type', '1'],
    ['SAJILI again', 'SAJILI Dkt. Asha Juma Mwinyi, Wizara ya Fedha'],
    ['RATIBA', 'RATIBA'],
    ['RATIBA 1', 'RATIBA 1'],
    ['RATIBA LEO', 'RATIBA LEO'],
    ['SASA', 'SASA'],
    ['KIKAO S105', 'KIKAO S105'],
    ['KUMBUSHA S105', 'KUMBUSHA S105'],
    ['KUMBUSHA S105 again', 'KUMBUSHA S105'],
    ['KUMBUSHA S101 (begun)', 'KUMBUSHA S101'],
    ['ZANGU', 'ZANGU'],
    ['ONDOA S105', 'ONDOA S105'],
    ['LUGHA SW', 'LUGHA SW'],
    ['MSAADA', 'MSAADA'],
    ['unknown text', 'habari gani'],
    ['ACHA', 'ACHA'],
    ['keyword while opted out', 'RATIBA'],
    ['ANZA', 'ANZA'],
  ],
  en: [
    ['REG (no cohort)', 'REG Dr. John Mushi, Ministry of Finance'],
    ['answer: cohort', '2'],
    ['answer: type', '1'],
    ['REG again', 'REG Dr. John Mushi, Ministry of Finance'],
    ['AGENDA', 'AGENDA'],
    ['AGENDA 1', 'AGENDA 1'],
    ['AGENDA TODAY', 'AGENDA TODAY'],
    ['NOW', 'NOW'],
    ['SESSION S105', 'SESSION S105'],
    ['REMIND S105', 'REMIND S105'],
    ['REMIND S105 again', 'REMIND S105'],
    ['REMIND S101 (begun)', 'REMIND S101'],
    ['MY', 'MY'],
    ['REMOVE S105', 'REMOVE S105'],
    ['LANG EN', 'LANG EN'],
    ['HELP', 'HELP'],
    ['unknown text', 'hello there'],
    ['STOP', 'STOP'],
    ['keyword while opted out', 'AGENDA'],
    ['START', 'START'],
  ],
};

describe('keyword replies in SMS segments', () => {
  let stack: GatewayStack;
  // No per-phone cap: every reply of the script is measured.
  beforeAll(async () => { stack = await startGatewayStack({ now: NOW, env: { SMS_PER_PHONE_HOURLY_CAP: '0' } }); });
  afterAll(async () => { await stack.close(); });

  it.each(['sw', 'en'] as const)('%s: every reply fits three segments', async (lang) => {
    const phone = lang === 'sw' ? '+255713700001' : '+255713700002';
    const rows: string[] = [];
    let count = 0;
    for (const [index, [label, body]] of SCRIPTS[lang].entries()) {
      await request(stack.gateway.app).post('/webhooks/africastalking/sms').type('form').send(smsBody({ from: phone, text: body, id: `ATXid_seg_${lang}_${index}` })).expect(200);
      count += 1;
      const reply = await eventually(async () => {
        const all = await listOutbox(stack.gateway.redis, stack.gateway.keys, { phone, limit: 100 });
        return all.length >= count ? all[0]?.message : undefined;
      }, 10000, `the reply to ${body}`);
      const { segments, units, encoding } = measureSms(reply);
      rows.push(`${label.padEnd(26)} ${String(segments).padStart(2)} segment(s) ${String(units).padStart(4)} chars ${encoding}`);
      expect(segments).toBeLessThanOrEqual(3);
    }
    console.log(`${lang}: keyword replies (typical values)\n${rows.join('\n')}`);
  });
});
