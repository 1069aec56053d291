/**
 * `npm run security [-- --no-build]`: builds the gateway (as `npm start` does), starts it with
 * production settings on a private redis-server, replays each hostile case and prints a table of
 * case, expected and observed. Exit code 1 on any mismatch.
 */
import { randomBytes } from 'node:crypto';
import { freePort, startPrivateRedis } from '../src/infra/redis/private-redis';
import { buildDist, CompiledProcess } from '../test/scenarios/compiled/compiled-gateway';
import { SECURITY_CASES, type Target } from './security/cases';

export interface SecurityRow { name: string; expected: string; observed: string; ok: boolean }

/** Runs every case against a fresh gateway; the rows in case order. Stops what it started. */
export async function runSecurity(options: { build: boolean; log?: (message: string) => void }): Promise<SecurityRow[]> {
  const log = options.log ?? (() => undefined);
  if (options.build) {
    log('building dist/');
    await buildDist();
  }
  const redis = await startPrivateRedis({ appendOnly: false, label: 'security' });
  const port = await freePort();
  const secret = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;
  const target: Target = {
    base: `http://127.0.0.1:${port}`, webhookKey: secret('hook'), adminToken: secret('admin'), viewerToken: secret('viewer'), metricsToken: secret('metrics'), env: {},
  };
  target.env = {
    NODE_ENV: 'production', SERVICE_MODE: 'all', PORT: String(port), HOST: '127.0.0.1', REDIS_URL: redis.url, REDIS_PREFIX: 'security', REDIS_POLICY_CHECK: 'off',
    SMS_PROVIDER: 'outbox', ALLOW_OUTBOX_IN_PRODUCTION: 'true', WEBHOOK_KEY: target.webhookKey, METRICS_TOKEN: target.metricsToken,
    ADMIN_TOKENS: `admin:${target.adminToken},viewer:${target.viewerToken}`, SMS_UNKNOWN_HOURLY_CAP: '5', QUIET_HOURS: 'off', DIGEST_TIME: 'off',
    LOG_LEVEL: 'warn', SHUTDOWN_GRACE_MS: '3000',
  };
  const gateway = new CompiledProcess('security', target.env);
  const rows: SecurityRow[] = [];
  try {
    await gateway.started();
    for (const check of SECURITY_CASES) {
      log(check.name);
      const observed = await check.observe(target).catch((error: unknown) => `error: ${error instanceof Error ? error.message : String(error)}`);
      rows.push({ name: check.name, expected: check.expected, observed, ok: observed === check.expected });
    }
  } finally {
    await gateway.stop();
    await redis.stop();
  }
  return rows;
}

/** The rows as a plain-text table. */
export function table(rows: readonly SecurityRow[]): string {
  const head = { name: 'case', expected: 'expected', observed: 'observed' };
  const width = (key: keyof typeof head): number => Math.max(head[key].length, ...rows.map((r) => r[key].length));
  const line = (r: { name: string; expected: string; observed: string }, mark: string): string =>
    `${mark} ${r.name.padEnd(width('name'))} | ${r.expected.padEnd(width('expected'))} | ${r.observed}`;
  return [line(head, ' '), ...rows.map((r) => line(r, r.ok ? ' ' : '✗'))].join('\n');
}

if (require.main === module) {
  runSecurity({ build: !process.argv.includes('--no-build'), log: (m) => process.stderr.write(`[security] ${m}\n`) })
    .then((rows) => {
      process.stdout.write(`${table(rows)}\n`);
      const failed = rows.filter((r) => !r.ok).length;
      process.stdout.write(failed === 0 ? `all ${rows.length} cases as expected\n` : `${failed} of ${rows.length} cases differ\n`);
      process.exitCode = failed === 0 ? 0 : 1;
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
