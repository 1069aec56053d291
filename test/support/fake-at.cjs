/**
 * Preload (`node --require test/support/fake-at.cjs ...`) that answers Africa's Talking's SMS
 * endpoint with nock inside a real gateway process, so the production code path (SDK, axios,
 * provider adapter) runs unchanged. Every call that reaches the interceptor is appended to
 * `FAKE_AT_LOG` as one JSON line `{ t, pid, mode, to }` before it is answered: a line means "AT
 * received it", whatever happens to the process afterwards.
 *
 * FAKE_AT_LOG         file to append to (required)
 * FAKE_AT_PHASES      behaviour over time, measured from the first call this process makes:
 *                     `mode:ms,mode:ms,...,mode`, modes `ok` (201, statusCode 101), `http500`
 *                     (HTTP 500), `status500` (201 with statusCode 500 per recipient), `timeout`
 *                     (answers only after FAKE_AT_SLOW_MS). Default `ok`.
 * FAKE_AT_SLOW_MS     delay of `timeout` answers (default AT_TIMEOUT_MS + 1000)
 * FAKE_AT_LATENCY_MS  delay of every other answer (default 0)
 */
'use strict';
const { appendFileSync } = require('node:fs');
const { randomBytes } = require('node:crypto');
const nock = require('nock');

const logFile = process.env.FAKE_AT_LOG;
if (!logFile) throw new Error('fake-at: FAKE_AT_LOG is not set');
const phases = (process.env.FAKE_AT_PHASES || 'ok').split(',').map((part) => {
  const [mode, ms] = part.trim().split(':');
  if (!['ok', 'http500', 'status500', 'timeout'].includes(mode)) throw new Error(`fake-at: unknown mode ${mode}`);
  return { mode, ms: ms === undefined ? Infinity : Number(ms) };
});
const slowMs = Number(process.env.FAKE_AT_SLOW_MS || Number(process.env.AT_TIMEOUT_MS || 10000) + 1000);
const latencyMs = Number(process.env.FAKE_AT_LATENCY_MS || 0);
let firstCallAt;

function modeNow(now) {
  if (firstCallAt === undefined) firstCallAt = now;
  let elapsed = now - firstCallAt;
  for (const phase of phases) {
    if (elapsed < phase.ms) return phase.mode;
    elapsed -= phase.ms;
  }
  return 'ok';
}

function recipient(number, statusCode) {
  return statusCode === 101
    ? { statusCode, number, status: 'Success', cost: 'TZS 22.0000', messageId: `ATXid_${randomBytes(16).toString('hex')}`, messageParts: 1 }
    : { statusCode, number, status: 'InternalServerError', cost: '0', messageId: 'None' };
}

nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
nock('https://api.africastalking.com')
  .persist()
  .post('/version1/messaging')
  .reply(function answer(_uri, body, callback) {
    const form = new URLSearchParams(typeof body === 'string' ? body : '');
    const to = (form.get('to') || '').split(',').filter(Boolean);
    const now = Date.now();
    const mode = modeNow(now);
    appendFileSync(logFile, `${JSON.stringify({ t: now, pid: process.pid, mode, to })}\n`);
    const statusCode = mode === 'status500' ? 500 : 101;
    const reply = mode === 'http500'
      ? [500, 'Internal Server Error', { 'Content-Type': 'text/plain' }]
      : [201, { SMSMessageData: { Message: `Sent to ${to.length}/${to.length}`, Recipients: to.map((n) => recipient(n, statusCode)) } }, { 'Content-Type': 'application/json' }];
    const delay = mode === 'timeout' ? slowMs : latencyMs;
    if (delay > 0) setTimeout(() => callback(null, reply), delay);
    else callback(null, reply);
  });
