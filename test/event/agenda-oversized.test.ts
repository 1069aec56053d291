/**
 * An agenda stored before the bounds existed (a 4 MB title in Redis) is read clipped to the bounds,
 * once per stored version: the organiser's agenda stays in use (not the sample), the hop renders a
 * bounded text, and the operator is told which fields were cut.
 */
import { createRedisAgendaStore } from '../../src/event/agenda.redis';
import { EVENT_LIMITS } from '../../src/event/event-schema';
import { createKeys } from '../../src/infra/redis/keys';
import { paginate } from '../../src/engine/paginate';
import { connectTestRedis, closeRedis, deletePrefix, uniquePrefix } from '../support/redis';
import { samplePacks } from '../support/ussd-stack';
import type { RedisClient } from '../../src/infra/redis/client';

let redis: RedisClient;
const prefix = uniquePrefix('agenda-big');
const keys = createKeys(prefix);

beforeAll(async () => {
  redis = await connectTestRedis('agenda-big');
});
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await closeRedis(redis);
});

test('a stored 4 MB session title is clipped at load, not rendered whole and not replaced by the sample', async () => {
  const pack = samplePacks().find((p) => p.id === 'egov2015')!;
  const event = structuredClone(pack.event);
  const title = `Mjadala ${'mrefu '.repeat(700_000)}`;
  event.sessions[0]!.title.sw = title;
  event.sessions.push(...Array.from({ length: 1200 }, (_, i) => ({ ...event.sessions[1]!, code: `Z${i}` })));
  await redis.set(keys.agenda.event(pack.id), JSON.stringify(event));
  const problems: unknown[] = [];
  const store = createRedisAgendaStore(redis, keys, new Map([[pack.id, pack.event]]), 0, undefined, (id, problem) => problems.push({ id, problem }));

  const loaded = await store.get(pack.id);
  expect(loaded.sessions[0]!.title.sw).toBe(title.slice(0, EVENT_LIMITS.label));
  expect(loaded.sessions).toHaveLength(EVENT_LIMITS.sessions);
  expect(loaded.sessions[0]!.code).toBe(event.sessions[0]!.code);
  expect(problems).toEqual([{ id: pack.id, problem: { clipped: expect.arrayContaining(['sessions', 'sessions.0.title.sw']) } }]);
  const pages = paginate({ body: [loaded.sessions[0]!.title.sw], options: [] }, { budget: 160, moreLine: '98. Zaidi', backLine: '0. Rudi' });
  expect(pages.length).toBeLessThanOrEqual(3);

  // The same stored version is not read twice: the parsed copy is kept.
  await store.get(pack.id);
  expect(problems).toHaveLength(1);
});

test('a stored value that is not an event at all shows the sample and says so', async () => {
  const pack = samplePacks().find((p) => p.id === 'egov2015')!;
  await redis.set(keys.agenda.event(pack.id), '{not json');
  const problems: unknown[] = [];
  const store = createRedisAgendaStore(redis, keys, new Map([[pack.id, pack.event]]), 0, undefined, (id, problem) => problems.push({ id, problem }));
  expect((await store.get(pack.id)).id).toBe(pack.event.id);
  expect(problems).toEqual([{ id: pack.id, problem: { unreadable: true } }]);
});
