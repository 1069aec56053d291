/** Walks the keyspace with SCAN (never KEYS, which blocks Redis for the whole walk). */
import type { RedisClient } from './client';

/**
 * Every key matching `pattern` (a Redis glob: build it with a keys.ts pattern function, which
 * escapes values taken from outside). On a Cluster each master is walked in turn. Never throws for
 * an empty keyspace; resolves to the keys found, possibly with duplicates removed.
 */
export async function scanKeys(redis: RedisClient, pattern: string): Promise<string[]> {
  const nodes = 'nodes' in redis && typeof redis.nodes === 'function' ? redis.nodes('master') : [redis];
  const found = new Set<string>();
  for (const node of nodes) {
    if (!('scanStream' in node)) continue;
    for await (const batch of node.scanStream({ match: pattern, count: 1000 }) as AsyncIterable<string[]>) for (const key of batch) found.add(key);
  }
  return [...found];
}
