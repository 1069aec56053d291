/**
 * The one-script read of a caller's records gives exactly what the repositories give one by one:
 * the registration, the language (registered first, else chosen), the sorted reminders and the
 * invitation, for a stranger, a phone that only chose a language, an invitee and a registered
 * delegate with reminders; and the cases the script's shortcuts must not change (reminders only, a
 * registration without a known language beside a chosen one).
 */
import { createRedisCallerReader } from '../../src/event/callers.redis';
import { createRedisDelegateStore } from '../../src/event/delegates.redis';
import { createRedisInviteeStore } from '../../src/event/invitees.redis';
import { createRedisReminderStore } from '../../src/reminders/reminders.redis';
import { createKeys } from '../../src/infra/redis/keys';
import type { RedisClient } from '../../src/infra/redis/client';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../support/redis';

const PACK = 'egov2015';
let redis: RedisClient;
const prefix = uniquePrefix('callers');
const keys = createKeys(prefix);

beforeAll(async () => { redis = await connectTestRedis('caller-reader'); });
afterAll(async () => {
  await deletePrefix(redis, prefix);
  await closeRedis(redis);
});

async function oneByOne(phone: string): Promise<unknown> {
  const delegates = createRedisDelegateStore(redis, keys);
  const [delegate, language, reminders, invitee] = await Promise.all([
    delegates.get(PACK, phone), delegates.languageOf(PACK, phone),
    createRedisReminderStore(redis, keys).listForPhone(PACK, phone), createRedisInviteeStore(redis, keys).get(PACK, phone),
  ]);
  return { delegate, language, reminders, invitee };
}

test('reads the same records as the repositories, in one command', async () => {
  const delegates = createRedisDelegateStore(redis, keys);
  const reminders = createRedisReminderStore(redis, keys);
  const stranger = '+255754000101';
  const chose = '+255754000102';
  const invited = '+255754000103';
  const registered = '+255754000104';
  await delegates.setLanguage(PACK, chose, 'en');
  await createRedisInviteeStore(redis, keys).putMany(PACK, [{ phone: invited, name: 'Dkt. Asha Juma', institution: 'TANESCO', institutionType: 'agency', cohort: '1', invitedAt: '2015-08-01T00:00:00.000Z' }]);
  await delegates.setLanguage(PACK, registered, 'sw');
  await delegates.register(PACK, { phone: registered, name: 'Baraka Mushi', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '2', language: 'en', channel: 'ussd' }, new Date('2015-08-17T06:00:00.000Z'));
  for (const code of ['S103', 'S101', 'S102']) await reminders.subscribe(PACK, registered, code);

  const reader = createRedisCallerReader(redis, keys);
  for (const phone of [stranger, chose, invited, registered]) expect(await reader.read(PACK, phone)).toEqual(await oneByOne(phone));
  expect(await reader.read(PACK, registered)).toMatchObject({ delegate: { name: 'Baraka Mushi', language: 'en' }, language: 'en', reminders: ['S101', 'S102', 'S103'], invitee: null });
  expect(await reader.read(PACK, chose)).toMatchObject({ delegate: null, language: 'en', reminders: [] });
  expect(await reader.read(PACK, invited)).toMatchObject({ delegate: null, language: null, invitee: { name: 'Dkt. Asha Juma' } });

  const sent = (['evalsha', 'eval', 'hgetall', 'hget', 'get', 'smembers'] as const).map((name) => jest.spyOn(redis as unknown as Record<string, (...args: unknown[]) => unknown>, name));
  await reader.read(PACK, registered);
  expect(sent.map((spy) => spy.mock.calls.length)).toEqual([1, 0, 0, 0, 0, 0]);
  for (const spy of sent) spy.mockRestore();
});

test('a phone with reminders only, or a registration without a known language, reads as the repositories do', async () => {
  const delegates = createRedisDelegateStore(redis, keys);
  const reminders = createRedisReminderStore(redis, keys);
  const remindersOnly = '+255754000201';
  const noLanguage = '+255754000202';
  const oddLanguage = '+255754000203';
  await reminders.subscribe(PACK, remindersOnly, 'S101');
  for (const phone of [noLanguage, oddLanguage]) {
    await delegates.setLanguage(PACK, phone, 'en');
    await delegates.register(PACK, { phone, name: 'Neema Kweka', institution: 'TAMISEMI', institutionType: 'ministry', cohort: '1', language: 'sw', channel: 'ussd' }, new Date('2015-08-17T06:00:00.000Z'));
  }
  // Hashes as an older build or a hand edit may have left them: no language, or one no screen has.
  await redis.hdel(keys.delegates.byPhone(PACK, noLanguage), 'language');
  await redis.hset(keys.delegates.byPhone(PACK, oddLanguage), 'language', 'fr');

  const reader = createRedisCallerReader(redis, keys);
  for (const phone of [remindersOnly, noLanguage, oddLanguage]) expect(await reader.read(PACK, phone)).toEqual(await oneByOne(phone));
  expect(await reader.read(PACK, remindersOnly)).toMatchObject({ delegate: null, language: null, reminders: ['S101'] });
  // The registration carries no usable language: the one the phone chose still counts.
  expect(await reader.read(PACK, noLanguage)).toMatchObject({ delegate: { name: 'Neema Kweka' }, language: 'en' });
  expect(await reader.read(PACK, oddLanguage)).toMatchObject({ delegate: { name: 'Neema Kweka' }, language: 'en' });
});
