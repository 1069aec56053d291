/**
 * Flow releases in Redis, in each pack's {pack} slot: the versions (record and files, written
 * once), the pointer (live, staged, history) changed by compare-and-set on its revision, and a
 * pub/sub channel that tells every process to re-read a pack's pointer at once.
 */
import type { Keys } from '../infra/redis/keys';
import type { RedisClient } from '../infra/redis/client';
import { defineScript, runScript } from '../infra/redis/lua';
import type { ReleaseRecord, ReleaseState } from './release-types';

/**
 * set-release-state.lua
 * KEYS[1] the pack's release pointer
 * ARGV[1] expected revision (0: no pointer yet), ARGV[2] new pointer JSON
 * Writes the pointer only when its stored revision is the expected one.
 * Returns 1 when written, 0 when another process changed it first.
 */
const setStateScript = defineScript('set-release-state', `
local current = redis.call('GET', KEYS[1])
local revision = 0
if current then revision = cjson.decode(current).revision or 0 end
if revision ~= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
`);

export interface ReleaseStore {
  /** Stores a version's record and files unless that version exists; resolves true when it was new. */
  saveVersion(record: ReleaseRecord, files: Record<string, string>): Promise<boolean>;
  version(packId: string, version: string): Promise<ReleaseRecord | null>;
  versions(packId: string): Promise<ReleaseRecord[]>;
  files(packId: string, version: string): Promise<Record<string, string> | null>;
  state(packId: string): Promise<ReleaseState | null>;
  /** Writes `next` when the stored revision is `expected`; resolves false when it moved meanwhile. */
  setState(packId: string, expected: number, next: ReleaseState): Promise<boolean>;
  /** Tells every process that `packId`'s pointer changed. Never throws. */
  announce(packId: string): Promise<void>;
  /** Calls `onChange(packId)` for every announcement; resolves the unsubscribe. */
  listen(onChange: (packId: string) => void): Promise<() => Promise<void>>;
}

/** `subscriber` is a connection of its own (a subscribed connection runs no other command). */
export function createReleaseStore(redis: RedisClient, subscriber: RedisClient, keys: Keys): ReleaseStore {
  const k = keys.releases;
  return {
    async saveVersion(record, files) {
      const created = await redis.hsetnx(k.files(record.packId), record.version, JSON.stringify(files));
      await redis.hsetnx(k.versions(record.packId), record.version, JSON.stringify(record));
      return created === 1;
    },
    async version(packId, version) {
      const raw = await redis.hget(k.versions(packId), version);
      return raw ? (JSON.parse(raw) as ReleaseRecord) : null;
    },
    async versions(packId) {
      const all = await redis.hvals(k.versions(packId));
      return all.map((raw) => JSON.parse(raw) as ReleaseRecord).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || a.version.localeCompare(b.version));
    },
    async files(packId, version) {
      const raw = await redis.hget(k.files(packId), version);
      return raw ? (JSON.parse(raw) as Record<string, string>) : null;
    },
    async state(packId) {
      const raw = await redis.get(k.state(packId));
      return raw ? (JSON.parse(raw) as ReleaseState) : null;
    },
    async setState(packId, expected, next) {
      return (await runScript(redis, setStateScript, [k.state(packId)], [expected, JSON.stringify(next)])) === 1;
    },
    async announce(packId) {
      await redis.publish(k.channel(), packId).catch(() => undefined);
    },
    async listen(onChange) {
      const channel = k.channel();
      const handler = (from: string, packId: string): void => {
        if (from === channel) onChange(packId);
      };
      subscriber.on('message', handler);
      await subscriber.subscribe(channel);
      return async () => {
        subscriber.off('message', handler);
        await subscriber.unsubscribe(channel).catch(() => undefined);
      };
    },
  };
}
