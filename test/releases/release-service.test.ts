/**
 * The release use cases on real Redis: what a restart with the same or new FLOWS_DIR files does to
 * the pointer, the staging allow-list's bounds, and a process that missed an announcement catching
 * up by its poll.
 */
import { createKeys } from '../../src/infra/redis/keys';
import { createLogger } from '../../src/kernel/logger';
import { fixedClock } from '../../src/kernel/clock';
import { loadPackFiles, loadPacks, type LoadedPack } from '../../src/packs/load';
import { createLivePacks, type LivePacks } from '../../src/releases/live-packs';
import { createReleaseService, type ReleaseService } from '../../src/releases/release-service';
import { createReleaseStore, type ReleaseStore } from '../../src/releases/releases.redis';
import { eventually } from '../support/gateway-stack';
import { FLOWS_DIR } from '../support/ussd-stack';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';
import type { RedisClient } from '../../src/infra/redis/client';

const ADMIN = { role: 'admin', label: 'admin token 1' };
const logger = createLogger('silent');
const clock = fixedClock('2015-08-17T06:00:00.000Z');

function withTitle(loaded: LoadedPack, title: string): LoadedPack {
  const files = { ...loaded.files, 'messages.sw.yaml': (loaded.files['messages.sw.yaml'] ?? '').replace('title: "Karibu {event.shortName}"', `title: "${title} {event.shortName}"`) };
  const rebuilt = loadPackFiles(files, loaded.pack.id).loaded;
  if (!rebuilt) throw new Error('changed pack does not load');
  return rebuilt;
}

describe('release service', () => {
  let redis: RedisClient;
  let boot: LoadedPack[];
  const prefixes: string[] = [];

  beforeAll(async () => {
    redis = await connectTestRedis('releases');
    boot = loadPacks(FLOWS_DIR).loaded;
  });
  afterAll(async () => {
    for (const prefix of prefixes) await deletePrefix(redis, prefix);
    await closeRedis(redis);
  });

  function gatewayProcess(prefix: string, packs: readonly LoadedPack[] = boot, store?: ReleaseStore): { live: LivePacks; service: ReleaseService; store: ReleaseStore } {
    const own = store ?? createReleaseStore(redis, redis, createKeys(prefix));
    const live = createLivePacks({ store: own, boot: packs, maxScreenChars: 160, logger });
    return { live, service: createReleaseService({ store: own, live, clock, logger }), store: own };
  }
  const fresh = (): string => {
    const prefix = uniquePrefix('relsvc');
    prefixes.push(prefix);
    return prefix;
  };
  const egov2015 = (): LoadedPack => boot.find((l) => l.pack.id === 'egov2015') as LoadedPack;

  it('keeps a promotion across a restart with the same FLOWS_DIR files, and makes new files live', async () => {
    const prefix = fresh();
    const first = gatewayProcess(prefix);
    await first.service.registerBoot(boot);
    const uploaded = await first.service.upload('egov2015', withTitle(egov2015(), 'Karibu tena').files, ADMIN);
    await first.service.promote('egov2015', ADMIN, uploaded.release.version);

    const restarted = gatewayProcess(prefix);
    await restarted.service.registerBoot(boot);
    expect((await restarted.service.list('egov2015')).live).toBe(uploaded.release.version);
    expect(restarted.live.forPhone('+255713500001').find((p) => p.id === 'egov2015')?.version).toBe(uploaded.release.version);

    const newDisk = withTitle(egov2015(), 'Hujambo');
    const deployed = gatewayProcess(prefix, [newDisk, ...boot.filter((l) => l.pack.id !== 'egov2015')]);
    await deployed.service.registerBoot([newDisk]);
    const listing = await deployed.service.list('egov2015');
    expect(listing.live).toBe(newDisk.pack.version);
    expect(listing.history[0]).toMatchObject({ action: 'live', version: newDisk.pack.version, by: { role: 'operator', label: 'FLOWS_DIR' } });
  });

  it('stages to valid mobile numbers only, at most 1,000 of them', async () => {
    const { service } = gatewayProcess(fresh());
    await service.registerBoot(boot);
    const { release } = await service.upload('egov2015', withTitle(egov2015(), 'Karibu tena').files, ADMIN);
    await expect(service.stage('egov2015', release.version, ['0713500001', 'not a phone'], ADMIN)).rejects.toMatchObject({ code: 'VALIDATION.PHONE' });
    const many = Array.from({ length: 1001 }, (_, i) => `+2557135${String(i).padStart(5, '0')}`);
    await expect(service.stage('egov2015', release.version, many, ADMIN)).rejects.toMatchObject({ code: 'VALIDATION.FAILED' });
    const staged = await service.stage('egov2015', release.version, many.slice(0, 1000), ADMIN);
    expect(staged.staged?.phones).toHaveLength(1000);
  });

  it('replaces a staged version with the next one staged, and unstaging gives the phones the live one again', async () => {
    const { service, live } = gatewayProcess(fresh());
    await service.registerBoot(boot);
    const liveVersion = egov2015().pack.version;
    const first = await service.upload('egov2015', withTitle(egov2015(), 'Karibu tena').files, ADMIN, { phones: ['+255713500011'] });
    const second = await service.upload('egov2015', withTitle(egov2015(), 'Karibu sana').files, ADMIN, { phones: ['+255713500012'] });
    expect(second.listing.staged).toEqual({ version: second.release.version, phones: ['+255713500012'] });
    const versionFor = (phone: string): string | undefined => live.forPhone(phone).find((p) => p.id === 'egov2015')?.version;
    expect([versionFor('+255713500011'), versionFor('+255713500012')]).toEqual([liveVersion, second.release.version]);
    expect(first.release.version).not.toBe(second.release.version);
    const after = await service.unstage('egov2015', ADMIN);
    expect(after.staged).toBeNull();
    expect(versionFor('+255713500012')).toBe(liveVersion);
    expect(after.history.map((e) => e.action)).toEqual(['unstaged', 'staged', 'staged', 'live']);
  });

  it('catches up by its poll when it missed the announcement', async () => {
    const prefix = fresh();
    const taker = gatewayProcess(prefix);
    await taker.service.registerBoot(boot);
    const deaf = createReleaseStore(redis, redis, createKeys(prefix));
    const other = gatewayProcess(prefix, boot, { ...deaf, listen: () => Promise.reject(new Error('no pub/sub here')) });
    await other.live.refresh();
    const stop = await other.live.follow(50);
    try {
      const { release } = await taker.service.upload('egov2015', withTitle(egov2015(), 'Karibu tena').files, ADMIN);
      await taker.service.promote('egov2015', ADMIN, release.version);
      await eventually(async () => (other.live.forPhone('+255713500009').find((p) => p.id === 'egov2015')?.version === release.version ? true : undefined), 5000, 'the poll to pick up the promotion');
    } finally {
      await stop();
    }
  });
});
