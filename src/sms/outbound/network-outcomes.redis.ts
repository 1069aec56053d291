/**
 * SMS outcomes by the recipient's network (from the delivery report's `networkCode`), per pack:
 * how many reports moved a recipient to sent, delivered or failed on Vodacom, Yas, Airtel,
 * Halotel or another network. Best effort: a failed count never fails a report.
 */
import type { RedisClient } from '../../infra/redis/client';
import type { Keys } from '../../infra/redis/keys';
import { networkOf, NETWORKS, type Network } from '../../kernel/network';

export const NETWORK_SMS_STATES = ['sent', 'delivered', 'failed'] as const;
export type NetworkSmsState = (typeof NETWORK_SMS_STATES)[number];

export interface NetworkOutcomes {
  record(packId: string, networkCode: string | undefined, state: NetworkSmsState): Promise<void>;
  /** Every label, zeros included. */
  forPack(packId: string): Promise<Record<Network, Record<NetworkSmsState, number>>>;
}

export function createNetworkOutcomes(redis: RedisClient, keys: Keys): NetworkOutcomes {
  return {
    async record(packId, networkCode, state) {
      await redis.hincrby(keys.network.sms(packId), `${networkOf(networkCode)}|${state}`, 1);
    },
    async forPack(packId) {
      const hash = await redis.hgetall(keys.network.sms(packId));
      return Object.fromEntries(NETWORKS.map((network) => [network, Object.fromEntries(NETWORK_SMS_STATES.map((state) => [state, Number(hash[`${network}|${state}`] ?? 0)]))])) as Record<Network, Record<NetworkSmsState, number>>;
    },
  };
}
