/**
 * Preload (`NODE_OPTIONS=--require scripts/bench/loopback-at.cjs`) for the broadcast bench's
 * worker: points the Africa's Talking SDK's SMS endpoint at `LOOPBACK_AT_URL` (a fake provider on
 * 127.0.0.1 in the bench process), so the production adapter, SDK and axios run unchanged and
 * the provider's own work happens in another process. Bench only: never loaded by the gateway.
 */
'use strict';
const url = process.env.LOOPBACK_AT_URL;
if (!url) throw new Error('loopback-at: LOOPBACK_AT_URL is not set');
const common = require('africastalking/lib/common');
const original = common.SMS_URL;
Object.defineProperty(common, 'SMS_URL', { get: () => url, set() { /* the SDK's own re-initialisation is ignored */ }, configurable: true });
Object.defineProperty(common, 'CONTENT_URL', { get: () => url.replace(/\/messaging$/, ''), set() { /* the SDK's own re-initialisation is ignored */ }, configurable: true });
if (!original) throw new Error('loopback-at: the SDK has no SMS_URL');

// BENCH_CPU_PROFILE=<file>: a CPU profile of the whole run, written on exit (--cpu-prof is not allowed in NODE_OPTIONS).
if (process.env.BENCH_CPU_PROFILE) {
  const inspector = require('node:inspector');
  const { writeFileSync } = require('node:fs');
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable', () => session.post('Profiler.start'));
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(process.env.BENCH_CPU_PROFILE, JSON.stringify(result.profile));
    });
  });
}
