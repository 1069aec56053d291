/**
 * Failed sign-ins counted in Redis: every process sees the same count, a guess fingerprint is
 * limited across addresses, and a matching token is never refused.
 */
import type { Request } from 'express';
import request from 'supertest';
import { createAuthenticator, failureKeys } from '../../../src/http/admin/auth';
import { createRedisAuthFailureStore } from '../../../src/http/admin/auth-failures.redis';
import { AppError } from '../../../src/kernel/errors';
import { createKeys } from '../../../src/infra/redis/keys';
import { closeRedis, connectTestRedis, deletePrefix, uniquePrefix } from '../../support/redis';
import type { RedisClient } from '../../../src/infra/redis/client';
import { ADMIN, createAdminStack } from './support/admin-stack';

const TOKEN = 'admin-token-0123456789abcdef';

/** The parts of a request the authenticator reads. */
function fakeRequest(ip: string, token: string): Request {
  return { ip, get: (name: string) => (name.toLowerCase() === 'authorization' ? `Bearer ${token}` : undefined) } as unknown as Request;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
}

describe('failed sign-ins in Redis', () => {
  let redis: RedisClient;
  let prefix: string;
  beforeAll(async () => { redis = await connectTestRedis('auth-failures'); });
  beforeEach(() => { prefix = uniquePrefix('auth'); });
  afterEach(async () => { await deletePrefix(redis, prefix); });
  afterAll(async () => { await closeRedis(redis); });

  it('shares one count between two app instances on one Redis', async () => {
    const store = createRedisAuthFailureStore(redis, createKeys(prefix));
    const first = await createAdminStack({ auth: { maxFailures: 4, failureWindowS: 60, store } });
    const second = await createAdminStack({ auth: { maxFailures: 4, failureWindowS: 60, store } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = i % 2 === 0 ? first.app : second.app;
        statuses.push((await request(app).get('/api/v1/stats').set('Authorization', `Bearer wrong-${i}-0123456789abcdef`)).status);
      }
      // Four failures in all are heard; the fifth and sixth, on either instance, wait.
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
      await request(first.app).get('/api/v1/stats').set('Authorization', `Bearer ${ADMIN}`).expect(200);
      await request(second.app).get('/api/v1/stats').set('Authorization', `Bearer ${ADMIN}`).expect(200);
      expect(await redis.keys(`${createKeys(prefix).admin.signInFailures()}:*`)).not.toHaveLength(0);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it('limits one guess fingerprint across many addresses, and an address across many guesses', async () => {
    const auth = createAuthenticator([{ role: 'admin', token: TOKEN }], { maxFailures: 3, failureWindowS: 60, store: createRedisAuthFailureStore(redis, createKeys(prefix)) });
    const spread: string[] = [];
    for (let i = 0; i < 5; i++) spread.push(await codeOf(auth.authorise(fakeRequest(`203.0.113.${i}`, `samefirst-${i}-0123456789`), 'read')));
    expect(spread).toEqual(['AUTH.UNAUTHENTICATED', 'AUTH.UNAUTHENTICATED', 'AUTH.UNAUTHENTICATED', 'RATE_LIMITED', 'RATE_LIMITED']);
    expect(await codeOf(auth.authorise(fakeRequest('198.51.100.7', 'otherguess-0123456789'), 'read'))).toBe('AUTH.UNAUTHENTICATED');
    expect(await codeOf(auth.authorise(fakeRequest('203.0.113.4', TOKEN), 'write'))).toBe('OK');
  });

  it('keys the guess fingerprint, so no part of a guess is stored', () => {
    const keys = failureKeys('203.0.113.1', 'abcdefgh-rest', Buffer.from('one'));
    expect(keys[0]).toBe('ip:203.0.113.1');
    expect(keys[1]).not.toContain('abcdefgh');
    expect(failureKeys('203.0.113.1', 'abcdefgh-other', Buffer.from('one'))[1]).toBe(keys[1]);
    expect(failureKeys('203.0.113.1', 'abcdefgh-rest', Buffer.from('two'))[1]).not.toBe(keys[1]);
  });
});
