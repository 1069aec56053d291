/**
 * Runs a Lua script by SHA and falls back to EVAL once when Redis does not know it yet (after a
 * restart or on another Cluster node), so scripts are sent in full only when needed.
 */
import { createHash } from 'node:crypto';
import type { RedisClient } from './client';
import { AppError } from '../../kernel/errors';

export interface LuaScript {
  name: string;
  source: string;
  sha: string;
}

/** Wraps a script source with its SHA1, computed once. */
export function defineScript(name: string, source: string): LuaScript {
  return { name, source, sha: createHash('sha1').update(source).digest('hex') };
}

/** Runs `script` with `keys` and `args`; resolves to its reply. Rejects with an error that names the script (Redis's error as its cause). */
export async function runScript(client: RedisClient, script: LuaScript, keys: string[], args: Array<string | number>): Promise<unknown> {
  const named = (error: unknown): AppError => new AppError('REDIS.SCRIPT_FAILED', `lua ${script.name}: ${error instanceof Error ? error.message : String(error)}`, undefined, { cause: error });
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error && error.message.includes('NOSCRIPT'))) throw named(error);
  }
  // Redis does not know the script yet (after a restart, or on another Cluster node): send it once.
  try {
    return await client.eval(script.source, keys.length, ...keys, ...args);
  } catch (error) {
    throw named(error);
  }
}
