/**
 * Production check: a Redis that evicts keys or keeps nothing on disk can lose registrations and
 * ledger entries. Warn or refuse (REDIS_POLICY_CHECK) before taking traffic.
 */
import type { Logger } from '../../kernel/logger';
import type { RedisClient } from './client';

export interface RedisPolicyReport { evictionPolicy: string | undefined; appendOnly: boolean; rdbSave: boolean; problems: string[] }

async function configValue(client: RedisClient, name: string): Promise<string | undefined> {
  try {
    const reply = (await client.config('GET', name)) as unknown as string[];
    return reply[1];
  } catch {
    return undefined; // CONFIG may be disabled on managed Redis; report what we can
  }
}

export async function inspectRedisPolicy(client: RedisClient): Promise<RedisPolicyReport> {
  const evictionPolicy = await configValue(client, 'maxmemory-policy');
  const appendOnly = (await configValue(client, 'appendonly')) === 'yes';
  const save = await configValue(client, 'save');
  const rdbSave = save !== undefined && save.trim() !== '';
  const problems: string[] = [];
  if (evictionPolicy !== undefined && evictionPolicy !== 'noeviction')
    problems.push(`maxmemory-policy is ${evictionPolicy}: Redis may evict queued messages and registrations; set it to noeviction`);
  if (save !== undefined && !appendOnly && !rdbSave)
    problems.push('Redis keeps nothing on disk (appendonly no, no save points): a restart loses every registration and message; set appendonly yes');
  return { evictionPolicy, appendOnly, rdbSave, problems };
}

/** Returns false when the gateway must not start (policy `refuse` and problems found). */
export async function enforceRedisPolicy(client: RedisClient, policy: 'warn' | 'refuse' | 'off', logger: Logger): Promise<boolean> {
  if (policy === 'off') return true;
  const report = await inspectRedisPolicy(client);
  for (const problem of report.problems) logger[policy === 'refuse' ? 'error' : 'warn']({ redis: report }, problem);
  return policy !== 'refuse' || report.problems.length === 0;
}
