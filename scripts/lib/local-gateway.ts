/**
 * Where the gateway started on this machine answers, and its admin token, as `npm start` chose
 * them: the environment first, then ./.env (the gateway reads the same file), then the defaults
 * (PORT 3000, the token kept in ./data/admin-token). `npm run sim` and `npm run cli` use these
 * when no --url / --token is given, so a newcomer needs neither.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

export type Env = Record<string, string | undefined>;

/** The environment with ./.env under it (real variables win, as in the gateway). */
export function withDotEnv(env: Env, cwd: string): Env {
  let file: Env = {};
  try {
    file = parseEnv(readFileSync(path.join(cwd, '.env'), 'utf8'));
  } catch {
    // no .env: the environment alone
  }
  return { ...file, ...Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined)) };
}

/** PUBLIC_URL when set, else http://localhost:PORT (3000 by default). */
export function localGatewayUrl(env: Env, cwd: string): string {
  const merged = withDotEnv(env, cwd);
  const publicUrl = merged.PUBLIC_URL?.trim();
  if (publicUrl) return publicUrl.replace(/\/+$/, '');
  return `http://localhost:${merged.PORT?.trim() || '3000'}`;
}

/** The first admin token of ADMIN_TOKENS, else the one `npm start` made in ./data/admin-token; undefined when neither. */
export function localAdminToken(env: Env, cwd: string): string | undefined {
  const merged = withDotEnv(env, cwd);
  const configured = (merged.ADMIN_TOKENS ?? '').split(',').map((entry) => entry.trim().split(':')).find(([role, token]) => role === 'admin' && token);
  if (configured?.[1]) return configured[1];
  try {
    const saved = readFileSync(path.join(cwd, 'data/admin-token'), 'utf8').trim();
    return saved === '' ? undefined : saved;
  } catch {
    return undefined;
  }
}

/** The webhook key the gateway checks (WEBHOOK_KEY from the environment or ./.env). */
export function localWebhookKey(env: Env, cwd: string): string | undefined {
  return withDotEnv(env, cwd).WEBHOOK_KEY || undefined;
}

/** What to say when nothing answers at `url`. */
export function unreachableHint(url: string): string {
  return `nothing answers at ${url}. Is the gateway running (npm start)? Give its address with --url URL (or KIUNGO_URL).`;
}
