/**
 * Adaptive hop deadlines per network. Each network starts at the configured maximum
 * (USSD_DEADLINE_MS). A session Africa's Talking reports `Failed` (the network gave up waiting for
 * our answer) cuts that network's deadline by a quarter, never below the configured minimum; each
 * hop answered in time gives back a fiftieth of the range, never above the maximum. A network whose
 * timers are short thus gets the busy or late END (with the result by SMS) before it cuts the
 * caller off, and the others keep the full time. Kept in memory: each process learns on its own.
 */
import { networkOf, NETWORKS, type Network } from '../kernel/network';

export interface NetworkDeadlines {
  /** The hop deadline (ms) for a caller on this network. */
  deadlineFor(networkCode: string | undefined): number;
  /** A hop was answered on this network (`busy`: with the busy END). */
  onHop(networkCode: string | undefined, busy: boolean): void;
  /** AT reported a session end with this status. */
  onSessionEnd(networkCode: string | undefined, status: string): void;
  /** Every network's current deadline. */
  current(): Record<Network, number>;
}

/** `minMs` >= `maxMs` (or 0) keeps every network at `maxMs`. */
export function createNetworkDeadlines(options: { maxMs: number; minMs: number }): NetworkDeadlines {
  const { maxMs } = options;
  const minMs = options.minMs > 0 ? Math.min(options.minMs, maxMs) : maxMs;
  const step = (maxMs - minMs) / 50;
  const deadlines = new Map<Network, number>(NETWORKS.map((n) => [n, maxMs]));
  const get = (network: Network): number => deadlines.get(network) ?? maxMs;
  return {
    deadlineFor: (networkCode) => Math.round(get(networkOf(networkCode))),
    onHop(networkCode, busy) {
      if (busy) return;
      const network = networkOf(networkCode);
      deadlines.set(network, Math.min(maxMs, get(network) + step));
    },
    onSessionEnd(networkCode, status) {
      if (status.trim().toLowerCase() !== 'failed') return;
      const network = networkOf(networkCode);
      deadlines.set(network, Math.max(minMs, get(network) * 0.75));
    },
    current: () => Object.fromEntries(NETWORKS.map((n) => [n, Math.round(get(n))])) as Record<Network, number>,
  };
}
