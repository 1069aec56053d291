/**
 * Which version of which pack answers a dial. A phone on a pack's staging allow-list gets the
 * staged version, everyone else the live one; a session keeps the version it started on until it
 * ends, so a release never cuts a caller off.
 */
import type { EventPack } from '../event/event-pack';

export interface PackCatalogue {
  /** The packs a new dial from `phone` may reach, one version each. Synchronous: read per hop. */
  forPhone(phone: string): readonly EventPack[];
  /** One stored version of a pack, for a session pinned to it; undefined when it is not known. */
  version(packId: string, version: string): Promise<EventPack | undefined>;
}

/** The catalogue of a gateway with no releases: the packs as loaded, one version each. */
export function staticCatalogue(packs: readonly EventPack[]): PackCatalogue {
  return {
    forPhone: () => packs,
    version: async (packId, version) => packs.find((p) => p.id === packId && p.version === version),
  };
}
