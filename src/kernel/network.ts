/**
 * Tanzania's mobile networks as Africa's Talking names them in `networkCode` (MCC 640), folded
 * into a small closed set of labels for metrics and statistics: anything else (other countries,
 * the sandbox's 99999, an empty field) is `other`, so a label set never grows with the input.
 */
export const NETWORKS = ['vodacom', 'yas', 'airtel', 'halotel', 'other'] as const;
export type Network = (typeof NETWORKS)[number];

/** The display name of each label (Yas is the former Tigo). */
export const NETWORK_NAMES: Readonly<Record<Network, string>> = {
  vodacom: 'Vodacom', yas: 'Yas (Tigo)', airtel: 'Airtel', halotel: 'Halotel', other: 'Other',
};

const BY_CODE: Readonly<Record<string, Network>> = {
  '64004': 'vodacom',
  '64002': 'yas',
  '64005': 'airtel',
  '64009': 'halotel',
};

/** The label of an AT `networkCode` (any spacing); `other` for anything not listed. */
export function networkOf(networkCode: string | undefined): Network {
  return BY_CODE[(networkCode ?? '').trim()] ?? 'other';
}
