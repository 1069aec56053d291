/**
 * USSD answers in time whatever Redis does: dead (nothing listening) or paused mid-session
 * (SIGSTOP), the caller gets the bilingual "service busy" END within the 2 s guarantee.
 */
import request from 'supertest';
import { startPrivateRedis } from '../../src/infra/redis/private-redis';
import { SYSTEM_SCREENS } from '../../src/ussd/system-messages';
import { ussdBody } from '../support/at-bodies';
import { AtPhone } from '../support/at-phone';
import { createUssdStack } from '../support/ussd-stack';

const GUARANTEE_MS = 2000;

async function timedHop(app: Parameters<typeof request>[0], text: string, sessionId: string): Promise<{ body: string; ms: number; status: number }> {
  const started = Date.now();
  const response = await request(app).post('/webhooks/africastalking/ussd').type('form').send(ussdBody({ sessionId, phoneNumber: '+255712345678', text }));
  return { body: response.text, ms: Date.now() - started, status: response.status };
}

describe('USSD with Redis in trouble', () => {
  it('answers busy within 2 s when nothing listens', async () => {
    const stack = await createUssdStack({ redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 500, deadlineMs: 1500 });
    try {
      const hop = await timedHop(stack.app, '', 'ATUid_dead');
      expect(hop.status).toBe(200);
      expect(hop.body).toBe(SYSTEM_SCREENS.busy);
      expect(hop.ms).toBeLessThan(GUARANTEE_MS);
      const metrics = await request(stack.app).get('/metrics');
      expect(metrics.text).toMatch(/kiungo_ussd_hops_total\{outcome="busy"\} 1/);
    } finally {
      await stack.close();
    }
  });

  it('answers busy within 2 s when Redis freezes mid-session, and carries on when it thaws', async () => {
    const server = await startPrivateRedis({ appendOnly: false, label: 'ussd-pause' });
    const stack = await createUssdStack({ redisUrl: server.url, commandTimeoutMs: 1000, deadlineMs: 1500 });
    try {
      const phone = new AtPhone(stack.app);
      await phone.dial();
      await phone.send('1');
      process.kill(server.pid, 'SIGSTOP');
      const hop = await timedHop(stack.app, '1*Asha Juma', phone.sessionId);
      expect(hop.status).toBe(200);
      expect(hop.body).toBe(SYSTEM_SCREENS.busy);
      expect(hop.ms).toBeLessThan(GUARANTEE_MS);
      process.kill(server.pid, 'SIGCONT');
      await new Promise((r) => setTimeout(r, 1500));
      const after = await timedHop(stack.app, '', 'ATUid_after_thaw');
      expect(after.body).toMatch(/^CON /);
    } finally {
      process.kill(server.pid, 'SIGCONT');
      await stack.close();
      await server.stop();
    }
  }, 20000);
});
