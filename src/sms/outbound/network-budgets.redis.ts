/**
 * Per-network send budgets inside the global rate (SMS_NETWORK_SHARES): a network given a share
 * takes at most that percent of SMS_RATE_PER_SECOND (at least one a second), through its own
 * sliding log in Redis, shared by every worker like the global one. Networks without a share only
 * have the global rate. A chunk is split by network so one provider call never carries more of a
 * network than its budget allows.
 */
import { randomUUID } from 'node:crypto';
import type { Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { runScript } from '../../infra/redis/lua';
import { networkOfNumber as networkOf, type PrefixNetwork as NetworkName } from '../../kernel/network-prefix';
import { rateLimitScript } from './ledger-scripts';

const WINDOW_MS = 1000;

export class NetworkBudgets {
  private readonly limits = new Map<NetworkName, number>();

  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    ratePerSecond: number,
    shares: Partial<Record<NetworkName, number>>,
  ) {
    for (const [network, percent] of Object.entries(shares) as Array<[NetworkName, number]>) {
      this.limits.set(network, Math.max(1, Math.floor((ratePerSecond * percent) / 100)));
    }
  }

  get enabled(): boolean {
    return this.limits.size > 0;
  }

  /** Recipients per second `network` may take, or undefined when it has no share of its own. */
  limitOf(network: NetworkName): number | undefined {
    return this.limits.get(network);
  }

  /** Splits items (in order) into runs of one network each, none longer than its network's budget. */
  split<T>(items: readonly T[], phoneOf: (item: T) => string): T[][] {
    if (!this.enabled) return items.length > 0 ? [[...items]] : [];
    const byNetwork = new Map<NetworkName, T[]>();
    for (const item of items) {
      const network = networkOf(phoneOf(item));
      byNetwork.set(network, [...(byNetwork.get(network) ?? []), item]);
    }
    const runs: T[][] = [];
    for (const [network, members] of byNetwork) {
      const size = this.limits.get(network) ?? members.length;
      for (let start = 0; start < members.length; start += size) runs.push(members.slice(start, start + size));
    }
    return runs;
  }

  /** Waits for `n` slots of the network of `phone` (none needed without a share); false when `signal` aborts first. */
  async acquire(phone: string, n: number, signal?: AbortSignal): Promise<boolean> {
    const network = networkOf(phone);
    const limit = this.limits.get(network);
    if (limit === undefined) return true;
    const token = randomUUID();
    while (!signal?.aborted) {
      const wait = Number(await runScript(this.redis, rateLimitScript, [this.keys.routing.networkRateWindow(network)], [WINDOW_MS, limit, Math.min(n, limit), token]));
      if (wait === 0) return true;
      await new Promise<void>((resolve) => {
        const done = (): void => { clearTimeout(timer); signal?.removeEventListener('abort', done); resolve(); };
        const timer = setTimeout(done, Math.min(Math.max(wait, 5), WINDOW_MS));
        signal?.addEventListener('abort', done, { once: true });
      });
    }
    return false;
  }
}
