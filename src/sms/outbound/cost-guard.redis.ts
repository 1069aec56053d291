/**
 * Bounds what SMS can cost: a per-phone hourly cap on messages that a phone's own inbound traffic
 * caused (someone texting HELP in a loop), and a daily budget in segments that stops bulk sends
 * (broadcasts, reminders) once reached while replies still go out.
 */
import { randomUUID } from 'node:crypto';
import { TTL, type Keys } from '../../infra/redis/keys';
import type { RedisClient } from '../../infra/redis/client';
import { systemClock, type Clock } from '../../kernel/clock';
import { capScript } from './ledger-scripts';
import { runScript } from '../../infra/redis/lua';
import { localDate } from '../../kernel/local-time';

export interface CostGuardSettings {
  /** 0 = no cap. */
  perPhoneHourlyCap: number;
  /** Segments per day; 0 = unlimited. */
  dailyBudgetSegments: number;
  timeZone: string;
}

export interface BudgetStatus {
  day: string;
  usedSegments: number;
  /** 0 = unlimited. */
  budgetSegments: number;
  exhausted: boolean;
}

export class CostGuard {
  constructor(
    private readonly redis: RedisClient,
    private readonly keys: Keys,
    private readonly settings: CostGuardSettings,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The budget day of `now`, `YYYY-MM-DD` in the configured time zone. */
  dayOf(now: number): string {
    return localDate(now, this.settings.timeZone);
  }

  /** Records one inbound-triggered SMS to `phone`; false (nothing recorded) when the phone is at its cap. */
  async allowInboundTriggered(phone: string, now = this.clock.now().getTime()): Promise<boolean> {
    if (this.settings.perPhoneHourlyCap === 0) return true;
    const allowed = await runScript(this.redis, capScript, [this.keys.messaging.phoneHourly(phone)], [now, this.settings.perPhoneHourlyCap, TTL.phoneCapWindowS * 1000, randomUUID()]);
    return allowed === 1;
  }

  /**
   * Counts `segments` against today's budget. A bulk send that would go past it is refused (false,
   * nothing counted); anything else is always counted and allowed.
   */
  async reserveSegments(segments: number, bulk: boolean, now = this.clock.now().getTime()): Promise<boolean> {
    const key = this.keys.messaging.dailySegments(this.dayOf(now));
    const used = await this.redis.incrby(key, segments);
    await this.redis.expire(key, TTL.dailyBudgetS);
    const budget = this.settings.dailyBudgetSegments;
    if (!bulk || budget === 0 || used <= budget) return true;
    await this.redis.decrby(key, segments);
    return false;
  }

  async budget(now = this.clock.now().getTime()): Promise<BudgetStatus> {
    const day = this.dayOf(now);
    const used = Number((await this.redis.get(this.keys.messaging.dailySegments(day))) ?? 0);
    const budget = this.settings.dailyBudgetSegments;
    return { day, usedSegments: used, budgetSegments: budget, exhausted: budget > 0 && used >= budget };
  }
}
