/** Tanzania's mobile networks by Africa's Talking `networkCode` (MCC 640), for the dashboard. */

const NAMES: Record<string, string> = {
  '64002': 'Yas (Tigo)',
  '64003': 'Zantel',
  '64004': 'Vodacom',
  '64005': 'Airtel',
  '64007': 'TTCL',
  '64009': 'Halotel',
  '99999': 'Sandbox (Athena)',
};

/** The network's name for `code`, or the code itself when it is not a Tanzanian one we know. */
export function networkName(code: string): string {
  return NAMES[code] ?? code;
}

/** Sessions per network as rows, busiest first, named. */
export function networkRows(counts: Record<string, number>): Array<{ code: string; name: string; sessions: number }> {
  return Object.entries(counts).map(([code, sessions]) => ({ code, name: networkName(code), sessions })).sort((a, b) => b.sessions - a.sessions || a.name.localeCompare(b.name));
}
