/**
 * Decides which Redis `npm start` uses when REDIS_URL is unset: 127.0.0.1:6379 when something
 * answers there; else a private redis-server under ./data/redis (append-only, noeviction) that
 * stops with the gateway; else a clear message naming the ways to get Redis.
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
  if (await portAnswers('127.0.0.1', probePort, 500)) return { url: `redis://127.0.0.1:${probePort}`, origin: 'local' };
  if (!redisServerAvailable(binary)) throw new RedisUnavailableError(`No Redis answers on 127.0.0.1:${probePort} and ${binary} is not installed.\n${HOW_TO_GET_REDIS}`);
  logger.info({ dir: dataDir }, 'no Redis on 127.0.0.1:6379: starting a private redis-server');
  const privateServer = await startPrivateRedis({ dir: dataDir, appendOnly: true, label: 'start', binary });
  return { url: privateServer.url, origin: 'private', privateServer };
}
