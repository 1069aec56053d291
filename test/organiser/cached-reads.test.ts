/**
 * Heavy organiser reads are bounded: a hammered search or dashboard loads a pack's delegates once
 * per window (concurrent callers share one load), filters in memory exactly as the store does,
 * and a change made through it shows at once.
 */
import { applyDelegateQuery, type Delegate, type DelegateRepository } from '../../src/event/delegates';
import { withCachedDelegateList } from '../../src/organiser/cached-delegates';
import { createReadCache } from '../../src/organiser/read-cache';

const delegate = (n: number, extra: Partial<Delegate> = {}): Delegate => ({
  phone: `+2557160${String(n).padStart(5, '0')}`, name: n % 2 ? `Asha ${n}` : `Juma ${n}`, institution: 'eGA', institutionType: 'mda', cohort: n % 3 ? '1' : '2',
  language: 'sw', code: `C${n}`, channel: 'ussd', registeredAt: new Date(Date.UTC(2015, 7, 17, 8, 0, n)).toISOString(), ...extra,
});

function countingStore(rows: Delegate[]): DelegateRepository & { lists: number } {
  const store = {
    lists: 0,
    get: async (_p: string, phone: string) => rows.find((d) => d.phone === phone) ?? null,
    findByCode: async () => null,
    count: async () => rows.length,
    register: async (_p: string, input: Omit<Delegate, 'code' | 'registeredAt'>) => { const d = { ...input, code: 'NEW01', registeredAt: new Date(Date.UTC(2015, 7, 18)).toISOString() } as Delegate; rows.push(d); return { status: 'created' as const, delegate: d }; },
    update: async () => null,
    erase: async () => false,
    async list(_p: string, query = {}) {
      store.lists += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      return applyDelegateQuery(rows, query);
    },
  };
  return store as unknown as DelegateRepository & { lists: number };
}

describe('cached organiser reads', () => {
  it('loads the list once for 200 concurrent and repeated searches, and answers each as the store would', async () => {
    const rows = Array.from({ length: 2000 }, (_, i) => delegate(i));
    const store = countingStore(rows);
    const { delegates } = withCachedDelegateList(store, 60_000);
    const queries = [{ search: 'asha 1' }, { cohort: '2', offset: 5, limit: 10 }, { registeredSince: rows[1500]!.registeredAt }, {}];
    const answers = await Promise.all(Array.from({ length: 200 }, (_, i) => delegates.list('egov2015', queries[i % queries.length])));
    expect(store.lists).toBe(1);
    queries.forEach((query, i) => expect(answers[i]).toEqual(applyDelegateQuery(rows, query)));
    expect(answers[2]!.total).toBe(500);
    await delegates.list('egov2015', { search: 'juma' });
    expect(store.lists).toBe(1);
  });

  it('shows a change made through it at once, and an erasure it is told of', async () => {
    const store = countingStore([delegate(1)]);
    const cached = withCachedDelegateList(store, 60_000);
    expect((await cached.delegates.list('egov2015')).total).toBe(1);
    await cached.delegates.register('egov2015', { phone: '+255716099999', name: 'Neema', institution: 'eGA', institutionType: 'mda', cohort: '1', language: 'sw', channel: 'import' }, new Date(0));
    expect((await cached.delegates.list('egov2015')).total).toBe(2);
    cached.forget('egov2015');
    await cached.delegates.list('egov2015');
    expect(store.lists).toBe(3);
  });

  it('shares one computation among concurrent callers and forgets a failed one', async () => {
    const cache = createReadCache<number>(60_000);
    let loads = 0;
    const load = async () => { loads += 1; await new Promise((resolve) => setTimeout(resolve, 10)); return loads; };
    expect(await Promise.all([cache.get('k', load), cache.get('k', load), cache.get('k', load)])).toEqual([1, 1, 1]);
    await expect(cache.get('x', () => Promise.reject(new Error('redis down')))).rejects.toThrow('redis down');
    expect(await cache.get('x', load)).toBe(2);
  });
});
