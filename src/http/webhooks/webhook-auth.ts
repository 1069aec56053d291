/**
 * Africa's Talking callbacks carry no signature, so a shared key in the URL (`?key=`) is the check,
 * compared in constant time (both sides hashed first, so lengths leak nothing), plus an optional
 * IP allow-list. Without a key the webhooks are open (refused in production by the config).
 */
import { BlockList, isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { secretMatcher } from '../../kernel/secrets';
import { sendError } from '../error-middleware';

/**
 * The one webhook key check, for the express routes, the USSD fast path and the simulator's
 * inbox: true when `given` (the `key` query parameter) is the configured key, compared in
 * constant time; always true when no key is configured.
 */
export function webhookKeyCheck(key: string | undefined): (given: unknown) => boolean {
  return key === undefined ? () => true : secretMatcher(key);
}

/** Builds a BlockList of allowed IPs/CIDRs (`41.0.0.0/8`, `2001:db8::/32`, `196.201.214.200`). */
export function allowList(entries: readonly string[]): BlockList | undefined {
  if (entries.length === 0) return undefined;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix] = entry.split('/');
    const type = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (prefix !== undefined) list.addSubnet(address, Number(prefix), type);
    else list.addAddress(address, type);
  }
  return list;
}

/**
 * Counts one wrong webhook key from `address`; resolves how long (ms) that address must wait
 * before its next try when it is over the limit, else 0. Never rejects.
 */
export type KeyFailures = (address: string) => Promise<number>;

export interface WebhookAuthOptions {
  key: string | undefined;
  ipAllowList: readonly string[];
  /** What a refused caller gets: USSD needs text, the others JSON. `throttled`: too many wrong keys. */
  onRefused: (res: Parameters<RequestHandler>[1], reason: 'key' | 'ip' | 'throttled') => void;
  /** Wrong keys counted per address (shared in Redis when wired); a right key always passes. */
  keyFailures?: KeyFailures;
}

export function webhookAuth(options: WebhookAuthOptions): RequestHandler {
  const allowed = allowList(options.ipAllowList);
  const keyMatches = webhookKeyCheck(options.key);
  return async (req, res, next) => {
    if (allowed) {
      // req.ip as express computes it under TRUST_PROXY: X-Forwarded-For counts only through named proxies.
      const ip = (req.ip ?? '').replace(/^::ffff:/, '');
      const type = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
      if (!ip || !allowed.check(ip, type)) {
        req.log.warn({ ip }, 'webhook refused: address not allowed');
        options.onRefused(res, 'ip');
        return;
      }
    }
    if (!keyMatches(req.query.key)) {
      req.log.warn('webhook refused: wrong or missing key');
      const waitMs = options.keyFailures ? await options.keyFailures(req.ip ?? 'unknown') : 0;
      if (waitMs > 0) res.setHeader('Retry-After', String(Math.ceil(waitMs / 1000)));
      options.onRefused(res, waitMs > 0 ? 'throttled' : 'key');
      return;
    }
    next();
  };
}

/** The JSON refusal used by the SMS-side webhooks. */
export function refuseJson(res: Parameters<RequestHandler>[1], reason: 'key' | 'ip' | 'throttled'): void {
  if (reason === 'throttled') sendError(res, 'RATE_LIMITED', 'Too many wrong webhook keys from this address; wait and try again.');
  else sendError(res, 'AUTH.FORBIDDEN', reason === 'key' ? 'Missing or wrong webhook key.' : 'Address not allowed.');
}
