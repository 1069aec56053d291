/**
 * The delegate store as the organisers' screens read it: a search or a dashboard reads the pack's
 * whole list at most once per `ttlMs` (shared by every caller meanwhile) and filters it in memory,
 * so a hammered search costs one load, not one per request. Changes made through it, and erasures
 * told through `forget`, show at once; registrations by USSD or SMS within `ttlMs`.
 */
import { applyDelegateQuery, type DelegateRepository } from '../event/delegates';
import { createReadCache } from './read-cache';

/** How long the full list of a pack is reused for searches and figures. */
export const DELEGATE_LIST_CACHE_MS = 3000;

export function withCachedDelegateList(store: DelegateRepository, ttlMs = DELEGATE_LIST_CACHE_MS): { delegates: DelegateRepository; forget(packId: string): void } {
  const cache = createReadCache<Awaited<ReturnType<DelegateRepository['list']>>>(ttlMs);
  const changing = async <T>(packId: string, change: Promise<T>): Promise<T> => {
    try {
      return await change;
    } finally {
      cache.forget(packId);
    }
  };
  const delegates: DelegateRepository = {
    get: (packId, phone) => store.get(packId, phone),
    findByCode: (packId, code) => store.findByCode(packId, code),
    languageOf: (packId, phone) => store.languageOf(packId, phone),
    setLanguage: (...args: Parameters<DelegateRepository['setLanguage']>) => store.setLanguage(...args),
    count: (packId) => store.count(packId),
    register: (packId, input, at) => changing(packId, store.register(packId, input, at)),
    update: (packId, phone, changes) => changing(packId, store.update(packId, phone, changes)),
    erase: (packId, phone) => changing(packId, store.erase(packId, phone)),
    async list(packId, query = {}) {
      const all = await cache.get(packId, () => store.list(packId));
      return applyDelegateQuery(all.items, query);
    },
  };
  return { delegates, forget: (packId) => cache.forget(packId) };
}
