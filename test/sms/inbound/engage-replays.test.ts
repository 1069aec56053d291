/**
 * An inbound SMS handled twice (the worker died after storing but before queuing the reply) adds
 * nothing twice: a survey digit answers its question once and replays its reply, a question to the
 * panel is stored once. Real Redis stores, the sample pack.
 */
import { join } from 'node:path';
import { createRedisCheckInStore } from '../../../src/checkin/checkin.redis';
import { createRedisFeedbackStore } from '../../../src/feedback/feedback.redis';
import { createKeys } from '../../../src/infra/redis/keys';
import type { RedisClient } from '../../../src/infra/redis/client';
import { fixedClock } from '../../../src/kernel/clock';
import { loadPacks } from '../../../src/packs/load';
import { createRedisQuestionStore } from '../../../src/questions/questions.redis';
import type { CommandDeps } from '../../../src/sms/inbound/command-types';
import { askCommand } from '../../../src/sms/inbound/commands/ask';
import { digitReply } from '../../../src/sms/inbound/commands/digit-reply';
import { rateCommand } from '../../../src/sms/inbound/commands/rate';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';

const loaded = loadPacks(join(__dirname, '../../../flows')).loaded.find((l) => l.pack.id === 'egov2015');
if (!loaded) throw new Error('no sample pack');
const { pack, keywords } = loaded;

describe('re-running an inbound SMS', () => {
  let redis: RedisClient;
  const prefix = uniquePrefix('replay');
  let deps: CommandDeps;
  beforeAll(async () => {
    redis = await connectTestRedis('replay');
    const keys = createKeys(prefix);
    deps = {
      delegates: { get: async () => null } as unknown as CommandDeps['delegates'],
      reminders: {} as CommandDeps['reminders'], suppression: {} as CommandDeps['suppression'],
      agenda: { get: async () => pack.event } as unknown as CommandDeps['agenda'],
      clock: fixedClock('2015-08-20T07:00:00.000Z'),
      engage: { feedback: createRedisFeedbackStore(redis, keys), questions: createRedisQuestionStore(redis, keys), checkins: createRedisCheckInStore(redis, keys) },
    };
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await closeRedis(redis);
  });

  it('a survey digit answers its question once and replays the same reply', async () => {
    const phone = '+255713800001';
    const feedback = deps.engage?.feedback;
    if (!feedback) throw new Error('no store');
    await feedback.setSurveyStep('egov2015', phone, { step: 1, by: '' });
    const digit = (text: string, messageId: string) => digitReply({ pack, phone, lang: 'sw', text, messageId }, deps);
    const first = await digit('4', 'ATXid_1');
    expect(first.replies[0]?.text).toBe('2/4 Je, mada za vikao zilifaa kazi yako?');
    expect(await digit('4', 'ATXid_1')).toEqual(first);
    expect((await digit('5', 'ATXid_2')).replies[0]?.text).toMatch(/^3\/4 /);
    await digit('3', 'ATXid_3');
    const done = await digit('2', 'ATXid_4');
    expect(done.replies[0]?.text).toMatch(/^Asante kwa kujibu tathmini ya mkutano\./);
    expect(await digit('2', 'ATXid_4')).toEqual(done);
    expect(await feedback.surveyAnswers('egov2015')).toEqual([{ phone, answers: [4, 5, 3, 2] }]);
    // After the survey a digit is about ratings again.
    expect((await digit('5', 'ATXid_5')).replies[0]?.text).toMatch(/^Hakuna ombi la tathmini/);
  });

  it('a rating re-run answers as the first run did; a new message replaces it and says so', async () => {
    const call = (args: string, messageId: string) => ({ pack, keywords, phone: '+255713800003', lang: 'sw' as const, args, delegate: null, messageId });
    const first = await rateCommand(call('S105 4', 'ATXid_r1'), deps);
    expect(first[0]?.text).toMatch(/^Asante\. Tathmini yako ya 4\/5/);
    expect(await rateCommand(call('S105 4', 'ATXid_r1'), deps)).toEqual(first);
    const second = await rateCommand(call('S105 2', 'ATXid_r2'), deps);
    expect(second[0]?.text).toMatch(/sasa ni 2\/5/);
    expect(await rateCommand(call('S105 2', 'ATXid_r2'), deps)).toEqual(second);
    expect((await deps.engage?.feedback.ratings('egov2015', 'S105'))?.map((r) => r.rating)).toEqual([2]);
  });

  it('a question is stored once for one message', async () => {
    const call = { pack, keywords, phone: '+255713800002', lang: 'sw' as const, args: 'S403 Je, slaidi zitapatikana?', delegate: null, messageId: 'ATXid_q1' };
    const first = await askCommand(call, deps);
    expect(await askCommand(call, deps)).toEqual(first);
    await askCommand({ ...call, messageId: 'ATXid_q2' }, deps);
    expect(await deps.engage?.questions.list('egov2015', 'S403')).toHaveLength(2);
  });
});
