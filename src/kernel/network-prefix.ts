/**
 * Which Tanzanian mobile network a number belongs to, by its prefix after +255 (the operators'
 * allocated ranges), and AT's networkCode for each (reference: AT's Tanzanian codes 64002 Tigo,
 * 64003 Zantel, 64004 Vodacom, 64005 Airtel, 64007 TTCL, 64009 Halotel). A number moved to another
 * network keeps its prefix, so this is the best guess available before sending; the delivery
 * report's networkCode is the truth afterwards.
 */
export const PREFIX_NETWORKS = ['vodacom', 'airtel', 'tigo', 'halotel', 'ttcl', 'zantel', 'other'] as const;
export type PrefixNetwork = (typeof PREFIX_NETWORKS)[number];

const BY_PREFIX: Record<string, PrefixNetwork> = {
  74: 'vodacom', 75: 'vodacom', 76: 'vodacom',
  68: 'airtel', 69: 'airtel', 78: 'airtel',
  65: 'tigo', 67: 'tigo', 71: 'tigo',
  61: 'halotel', 62: 'halotel',
  73: 'ttcl',
  77: 'zantel',
};

export const NETWORK_CODES: Record<Exclude<PrefixNetwork, 'other'>, string> = {
  tigo: '64002', zantel: '64003', vodacom: '64004', airtel: '64005', ttcl: '64007', halotel: '64009',
};

/** The network of an E.164 number; `other` outside Tanzania or for an unknown prefix. Never throws. */
export function networkOfNumber(e164: string): PrefixNetwork {
  if (!e164.startsWith('+255')) return 'other';
  return BY_PREFIX[e164.slice(4, 6)] ?? 'other';
}
