/**
 * The audit trail of admin actions: who (the token's role and a fingerprint, never the token),
 * what, on what, when, in which pack. Newest first in one Redis list trimmed to the newest
 * 5,000 entries, so it stays bounded; phone numbers in targets are masked.
 */
import type { RedisClient } from '../infra/redis/client';
import type { Keys } from '../infra/redis/keys';
import { maskPhone } from '../kernel/phone';
import { toCsv } from '../kernel/text/csv';

export const AUDIT_MAX = 5000;

export interface AuditEntry {
  at: string;
  role: string;
  /** `tok-` and 8 hex characters of the token's SHA-256: tells tokens apart, reveals nothing. */
  fingerprint: string;
  /** A stable action name, e.g. `broadcast.create`, `login`, `opt-in`. */
  action: string;
  /** What it was about (a broadcast id, a session code, a masked phone); '' when nothing in particular. */
  target: string;
  pack: string;
  /** A short note (an opt-in's reason, an import's counts). */
  detail: string;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  list(options?: { limit?: number; action?: string }): Promise<AuditEntry[]>;
  csv(): Promise<string>;
}

/** `target` with anything that looks like a phone number masked. */
export function maskTarget(target: string): string {
  return /^\+?\d{9,15}$/.test(target.replace(/[\s-]/g, '')) ? maskPhone(target) : target;
}

export function createAuditLog(redis: RedisClient, keys: Keys): AuditLog {
  const key = keys.dashboard.audit();
  const read = async (limit: number): Promise<AuditEntry[]> => (await redis.lrange(key, 0, limit - 1)).map((raw) => JSON.parse(raw) as AuditEntry);
  return {
    async record(entry) {
      const clean = { ...entry, target: maskTarget(entry.target).slice(0, 120), detail: entry.detail.slice(0, 300) };
      await redis.multi().lpush(key, JSON.stringify(clean)).ltrim(key, 0, AUDIT_MAX - 1).exec();
    },
    async list(options = {}) {
      const all = await read(options.action ? AUDIT_MAX : options.limit ?? 200);
      const wanted = options.action ? all.filter((e) => e.action === options.action) : all;
      return wanted.slice(0, options.limit ?? 200);
    },
    async csv() {
      const rows = (await read(AUDIT_MAX)).map((e) => [e.at, e.role, e.fingerprint, e.action, e.target, e.pack, e.detail]);
      return toCsv(['at', 'role', 'fingerprint', 'action', 'target', 'pack', 'detail'], rows);
    },
  };
}
