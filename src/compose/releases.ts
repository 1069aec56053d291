/**
 * Flow releases: the store, this process's copy of the pointers (what the USSD service reads per
 * hop) and the organisers' release actions. At start the FLOWS_DIR versions are stored and the
 * pointers followed (pub/sub plus a poll), so every process serves the same versions.
 */
import type { LoadedPack } from '../packs/load';
import { createLivePacks, type LivePacks } from '../releases/live-packs';
import { createReleaseService, type ReleaseService } from '../releases/release-service';
import { createReleaseStore } from '../releases/releases.redis';
import type { Resources } from './resources';

/** How often each process re-reads the pointers, in case it missed an announcement. */
const POLL_MS = 2000;

export interface Releases {
  live: LivePacks;
  service: ReleaseService;
  /** Stores the FLOWS_DIR versions and starts following the pointers (call once Redis answers). */
  start(): Promise<void>;
}

export function composeReleases(r: Resources, boot: readonly LoadedPack[]): Releases {
  const store = createReleaseStore(r.redis, r.connect('releases-subscriber', 'blocking'), r.keys);
  const live = createLivePacks({ store, boot, maxScreenChars: r.config.ussd.maxScreenChars, logger: r.logger });
  const service = createReleaseService({ store, live, clock: r.clock, logger: r.logger });
  let started = false;
  return {
    live, service,
    async start() {
      if (started) return;
      started = true;
      await service.registerBoot(boot).catch((error: unknown) => r.logger.warn({ err: error }, 'could not store the FLOWS_DIR pack versions; serving them as loaded'));
      r.onClose(await live.follow(POLL_MS));
    },
  };
}
