/** Invitees in Redis: one hash per pack, phone -> invitee JSON, under the pack's hash tag. */
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import type { Invitee, InviteeRepository } from './invitees';

/** An invitee from its stored JSON, or null when absent or unreadable. */
export function inviteeFromJson(raw: string | null | undefined): Invitee | null {
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<Invitee>;
    if (typeof value.phone !== 'string' || typeof value.name !== 'string') return null;
    return { phone: value.phone, name: value.name, institution: value.institution ?? '', institutionType: value.institutionType ?? '', cohort: value.cohort ?? '', invitedAt: value.invitedAt ?? '' };
  } catch {
    return null;
  }
}

export function createRedisInviteeStore(redis: RedisClient, keys: Keys): InviteeRepository {
  return {
    get: async (packId, phone) => inviteeFromJson(await redis.hget(keys.attendee.invitees(packId), phone)),

    async putMany(packId, invitees) {
      const key = keys.attendee.invitees(packId);
      let added = 0;
      for (let start = 0; start < invitees.length; start += 500) {
        const batch = invitees.slice(start, start + 500);
        const before = await redis.hlen(key);
        await redis.hset(key, Object.fromEntries(batch.map((i) => [i.phone, JSON.stringify(i)])));
        added += (await redis.hlen(key)) - before;
      }
      return { added, updated: invitees.length - added };
    },

    async list(packId, page = {}) {
      const all = Object.values(await redis.hgetall(keys.attendee.invitees(packId)))
        .map(inviteeFromJson)
        .filter((i): i is Invitee => i !== null)
        .sort((a, b) => a.name.localeCompare(b.name) || a.phone.localeCompare(b.phone));
      const offset = page.offset ?? 0;
      return { total: all.length, items: all.slice(offset, offset + (page.limit ?? all.length)) };
    },

    count: (packId) => redis.hlen(keys.attendee.invitees(packId)),

    async erase(packId, phone) {
      return redis.hdel(keys.attendee.invitees(packId), phone);
    },
  };
}
