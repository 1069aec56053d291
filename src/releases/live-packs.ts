/**
 * This process's copy of the release pointers: which version of each pack is live, which one is
 * staged to which phones, and every version built so far. A hop reads it without a round trip;
 * it follows Redis through the pub/sub announcement of each change and, should one be missed
 * (a reconnect), a poll of the pointers every few seconds.
 */
import type { EventPack } from '../event/event-pack';
import type { Logger } from '../kernel/logger';
import { loadPackFiles, type LoadedPack } from '../packs/load';
import type { PackCatalogue } from '../ussd/pack-catalogue';
import type { ReleaseStore } from './releases.redis';

export interface LivePacks extends PackCatalogue {
  /** Re-reads the pointer of `packId` (every pack when absent) and builds the versions it names. Never throws. */
  refresh(packId?: string): Promise<void>;
  /** The live version of every pack, as loaded (for clash checks of a new version). */
  liveLoaded(): LoadedPack[];
  /** One version as loaded, from this process's cache or from Redis; undefined when not stored. */
  loaded(packId: string, version: string): Promise<LoadedPack | undefined>;
  /** Follows changes (pub/sub, and a poll every `pollMs`); resolves the stop function. */
  follow(pollMs: number): Promise<() => Promise<void>>;
}

interface Current {
  revision: number;
  live: LoadedPack;
  staged: { loaded: LoadedPack; phones: ReadonlySet<string> } | null;
}

/** `boot` are the packs read from FLOWS_DIR (served until Redis says otherwise), `maxScreenChars` the operator's budget. */
export function createLivePacks(deps: { store: ReleaseStore; boot: readonly LoadedPack[]; maxScreenChars: number; logger: Logger }): LivePacks {
  const { store, logger } = deps;
  const built = new Map<string, LoadedPack>();
  const current = new Map<string, Current>();
  const ids = deps.boot.map((l) => l.pack.id);
  for (const l of deps.boot) {
    built.set(`${l.pack.id}@${l.pack.version}`, l);
    current.set(l.pack.id, { revision: 0, live: l, staged: null });
  }
  let livePacks: EventPack[] = deps.boot.map((l) => l.pack);
  const recompute = (): void => { livePacks = ids.map((id) => current.get(id)?.live.pack).filter((p): p is EventPack => p !== undefined); };

  async function loaded(packId: string, version: string): Promise<LoadedPack | undefined> {
    const key = `${packId}@${version}`;
    const known = built.get(key);
    if (known) return known;
    const files = await store.files(packId, version);
    if (!files) return undefined;
    const result = loadPackFiles(files, packId);
    if (!result.loaded) {
      logger.error({ pack: packId, version, problems: result.problems.length }, 'a stored pack version no longer loads');
      return undefined;
    }
    const l = result.loaded;
    // The operator's screen budget (USSD_MAX_SCREEN_CHARS) applies to every version at run time.
    const withBudget = { ...l, pack: { ...l.pack, screen: { ...l.pack.screen, maxChars: deps.maxScreenChars } } };
    built.set(key, withBudget);
    return withBudget;
  }

  async function refreshOne(packId: string): Promise<void> {
    const state = await store.state(packId);
    const was = current.get(packId);
    if (!state || !was || state.revision === was.revision) return;
    const live = (await loaded(packId, state.live)) ?? was.live;
    const staged = state.staged ? await loaded(packId, state.staged.version) : undefined;
    current.set(packId, { revision: state.revision, live, staged: staged && state.staged ? { loaded: staged, phones: new Set(state.staged.phones) } : null });
    recompute();
    if (live.pack.version !== was.live.pack.version) logger.info({ pack: packId, version: live.pack.version }, 'flow pack version now live');
  }

  async function refresh(packId?: string): Promise<void> {
    for (const id of packId === undefined ? ids : [packId]) {
      if (!current.has(id)) continue;
      await refreshOne(id).catch((error: unknown) => logger.warn({ err: error, pack: id }, 'could not read the release pointer (kept the current versions)'));
    }
  }

  return {
    forPhone(phone) {
      let packs = livePacks;
      for (const [index, id] of ids.entries()) {
        const staged = current.get(id)?.staged;
        if (!staged?.phones.has(phone)) continue;
        if (packs === livePacks) packs = [...livePacks];
        packs[index] = staged.loaded.pack;
      }
      return packs;
    },
    async version(packId, version) {
      return (await loaded(packId, version))?.pack;
    },
    liveLoaded: () => ids.map((id) => current.get(id)?.live).filter((l): l is LoadedPack => l !== undefined),
    loaded,
    refresh,
    async follow(pollMs) {
      const stopListening = await store.listen((packId) => void refresh(packId)).catch((error: unknown) => {
        logger.warn({ err: error }, 'release announcements unavailable: following by poll only');
        return async () => undefined;
      });
      const timer = setInterval(() => void refresh(), pollMs);
      timer.unref();
      return async () => {
        clearInterval(timer);
        await stopListening();
      };
    },
  };
}
