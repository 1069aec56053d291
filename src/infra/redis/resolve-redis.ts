/**
 * Decides which Redis `npm start` uses when REDIS_URL is unset: the one already answering on
 * 127.0.0.1:LOCAL_REDIS_PORT (6379 by default), shared with whatever else uses it, and said so;
 * else a private redis-server under ./data/redis (append-only, noeviction) that stops with the
 * gateway; else a clear message naming the ways to get Redis.
 */
import path from 'node:path';
import type { Logger } from '../../kernel/logger';
import { portAnswers, redisServerAvailable, startPrivateRedis, type PrivateRedis } from './private-redis';
import { errorWithCode } from '../../kernel/errors';

export interface ResolvedRedis {
  url: string;
  origin: 'configured' | 'local' | 'private';
  privateServer?: PrivateRedis;
}

export class RedisUnavailableError extends errorWithCode('REDIS.UNAVAILABLE') {}

export const HOW_TO_GET_REDIS = [
  'Kiungo needs Redis (6.2 or newer). Either:',
  '  - Debian/Ubuntu:  sudo apt-get install redis-server   (then run npm start again: Kiungo starts its own)',
  '  - macOS:          brew install redis                  (same)',
  '  - Docker:         docker run -d -p 6379:6379 redis:7 redis-server --appendonly yes --maxmemory-policy noeviction',
  '  - or point REDIS_URL at a Redis you already run, e.g. REDIS_URL=redis://10.0.0.5:6379',
].join('\n');

export interface ResolveOptions {
  dataDir?: string;
  /** Port probed for an already running Redis (6379; tests use a closed one). */
  probePort?: number;
  /** redis-server binary to look for on the PATH. */
  binary?: string;
}

export async function resolveRedis(configuredUrl: string | undefined, logger: Logger, options: ResolveOptions = {}): Promise<ResolvedRedis> {
  const dataDir = options.dataDir ?? path.resolve('data/redis');
  const probePort = options.probePort ?? 6379;
  const binary = options.binary ?? 'redis-server';
  if (configuredUrl) return { url: configuredUrl, origin: 'configured' };
  if (await portAnswers('127.0.0.1', probePort, 500)) {
    logger.warn({ port: probePort }, `sharing the Redis already running on 127.0.0.1:${probePort} (not started by Kiungo; its other users see the same data under REDIS_PREFIX). Set REDIS_URL to choose a Redis, or LOCAL_REDIS_PORT to a free port for a private redis-server`);
    return { url: `redis://127.0.0.1:${probePort}`, origin: 'local' };
  }
  if (!redisServerAvailable(binary)) throw new RedisUnavailableError(`No Redis answers on 127.0.0.1:${probePort} and ${binary} is not installed.\n${HOW_TO_GET_REDIS}`);
  logger.info({ dir: dataDir, port: probePort }, `no Redis on 127.0.0.1:${probePort}: starting a private redis-server`);
  // Its own process group: a Ctrl-C in the terminal reaches the gateway only, which stops it after closing.
  const privateServer = await startPrivateRedis({ dir: dataDir, appendOnly: true, label: 'start', binary, ownProcessGroup: true });
  return { url: privateServer.url, origin: 'private', privateServer };
}
