/**
 * Tanzania's mobile networks as Africa's Talking names them in `networkCode` (MCC 640), folded
 * into a small closed set of labels for metrics and statistics: anything else (other countries,
 * the sandbox's 99999, TTCL, Zantel, an empty field) is `other`, so a label set never grows with
 * the input. The labels are the names network-prefix.ts uses (Yas, the former Tigo, is `yas`),
 * and the codes come from its table, so the two never disagree.
 */
import { NETWORK_CODES } from './network-prefix';

export const NETWORKS = ['vodacom', 'yas', 'airtel', 'halotel', 'other'] as const;
export type Network = (typeof NETWORKS)[number];

/** The display name of each label (Yas is the former Tigo). */
export const NETWORK_NAMES: Readonly<Record<Network, string>> = {
  vodacom: 'Vodacom', yas: 'Yas (Tigo)', airtel: 'Airtel', halotel: 'Halotel', other: 'Other',
};

const BY_CODE: Readonly<Record<string, Network>> = Object.fromEntries(
  NETWORKS.filter((label): label is Exclude<Network, 'other'> => label !== 'other').map((label) => [NETWORK_CODES[label], label]),
);

/** The label of an AT `networkCode` (any spacing); `other` for anything not listed. */
export function networkOf(networkCode: string | undefined): Network {
  return BY_CODE[(networkCode ?? '').trim()] ?? 'other';
}
