/**
 * Per-network send budgets inside the global rate (SMS_NETWORK_SHARES): a network given a share
 * takes at most that percent of SMS_RATE_PER_SECOND (at least one a second), through its own
 * sliding log in Redis, taken in the same step as the global one (see rate-limiter.redis.ts). Networks without a share only
 * have the global rate. A chunk is split by network so one provider call never carries more of a
 * network than its budget allows.
 */
import type { Keys } from '../../infra/redis/keys';
import { networkOfNumber as networkOf, type PrefixNetwork as NetworkName } from '../../kernel/network-prefix';
import type { NetworkSlot } from './rate-limiter.redis';

export class NetworkBudgets {
  private readonly limits = new Map<NetworkName, number>();

  constructor(
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

  /** The log and limit of the network of `phone`, counted with the global rate; undefined without a share. */
  slotOf(phone: string): NetworkSlot | undefined {
    const network = networkOf(phone);
    const limit = this.limits.get(network);
    return limit === undefined ? undefined : { key: this.keys.pacing.network(network), limit };
  }
}
