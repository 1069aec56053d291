/**
 * Which Tanzanian mobile network a number belongs to, by its prefix after +255 (the operators'
 * allocated ranges), and AT's networkCode for each (reference: AT's Tanzanian codes 64002 Yas,
 * 64003 Zantel, 64004 Vodacom, 64005 Airtel, 64007 TTCL, 64009 Halotel). A number moved to another
 * network keeps its prefix, so this is the best guess available before sending; the delivery
 * report's networkCode is the truth afterwards.
 *
 * Names are those of network.ts: Yas (the former Tigo, 64002) is `yas` everywhere. The old name
 * `tigo` is still understood where an operator types a network (SMS_NETWORK_SHARES), through
 * `prefixNetworkNamed`.
 */
export const PREFIX_NETWORKS = ['vodacom', 'airtel', 'yas', 'halotel', 'ttcl', 'zantel', 'other'] as const;
export type PrefixNetwork = (typeof PREFIX_NETWORKS)[number];

/** Former names an operator may still write, and the network each now is. */
export const PREFIX_NETWORK_ALIASES: Readonly<Record<string, PrefixNetwork>> = { tigo: 'yas' };

const BY_PREFIX: Record<string, PrefixNetwork> = {
  74: 'vodacom', 75: 'vodacom', 76: 'vodacom',
  68: 'airtel', 69: 'airtel', 78: 'airtel',
  65: 'yas', 67: 'yas', 71: 'yas',
  61: 'halotel', 62: 'halotel',
  73: 'ttcl',
  77: 'zantel',
};

export const NETWORK_CODES: Readonly<Record<Exclude<PrefixNetwork, 'other'>, string>> = {
  yas: '64002', zantel: '64003', vodacom: '64004', airtel: '64005', ttcl: '64007', halotel: '64009',
};

/** The network of an E.164 number; `other` outside Tanzania or for an unknown prefix. Never throws. */
export function networkOfNumber(e164: string): PrefixNetwork {
  if (!e164.startsWith('+255')) return 'other';
  return BY_PREFIX[e164.slice(4, 6)] ?? 'other';
}

/** The network an operator named (any case, former names such as `tigo` included); undefined if unknown. */
export function prefixNetworkNamed(name: string): PrefixNetwork | undefined {
  const lower = name.trim().toLowerCase();
  if ((PREFIX_NETWORKS as readonly string[]).includes(lower)) return lower as PrefixNetwork;
  return PREFIX_NETWORK_ALIASES[lower];
}
