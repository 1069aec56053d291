/**
 * Delivery reports that arrived before the worker recorded their provider message id: a hash from
 * that id to the report, and a sorted set of when each was kept, so the ones that never match are
 * dropped after `TTL.pendingReportS`.
 */
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import type { DeliveryReportForm } from './delivery-reports';

export interface PendingReports {
  /** How many reports wait. */
  size(): Promise<number>;
  /** Keeps a report under its provider message id, stamped `at` (epoch ms). */
  keep(providerMessageId: string, form: DeliveryReportForm, at: number): Promise<void>;
  /** The waiting reports of these ids, in order; undefined where none waits. */
  get(providerMessageIds: string[]): Promise<Array<DeliveryReportForm | undefined>>;
  /** Forgets the reports of these ids. */
  drop(providerMessageIds: string[]): Promise<void>;
  /** Ids of up to `limit` reports kept longer than their wait, as of `now` (epoch ms). */
  expired(now: number, limit: number): Promise<string[]>;
}

export function createPendingReports(redis: RedisClient, keys: Keys): PendingReports {
  const k = keys.messaging;
  return {
    size: () => redis.hlen(k.pendingReports()),
    async keep(providerMessageId, form, at) {
      await redis.hset(k.pendingReports(), providerMessageId, JSON.stringify(form));
      await redis.zadd(k.pendingReportsByTime(), at, providerMessageId);
    },
    async get(providerMessageIds) {
      if (providerMessageIds.length === 0) return [];
      const raws = await redis.hmget(k.pendingReports(), ...providerMessageIds);
      return raws.map((raw) => (raw ? (JSON.parse(raw) as DeliveryReportForm) : undefined));
    },
    async drop(providerMessageIds) {
      if (providerMessageIds.length === 0) return;
      await redis.hdel(k.pendingReports(), ...providerMessageIds);
      await redis.zrem(k.pendingReportsByTime(), ...providerMessageIds);
    },
    expired: (now, limit) => redis.zrangebyscore(k.pendingReportsByTime(), '-inf', now - TTL.pendingReportS * 1000, 'LIMIT', 0, limit),
  };
}
