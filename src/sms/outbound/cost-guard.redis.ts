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
  /** Replies (inbound-triggered SMS) across the gateway per hour and per day; 0 or absent = no cap. */
  replyHourlyCap?: number;
  replyDailyCap?: number;
  /** Replies to unregistered numbers per network and country per hour; 0 or absent = no cap. */
  unknownHourlyCap?: number;
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

/** The gateway-wide reply caps as the console shows them; `warning` set once a cap is reached. */
export interface ReplyCapStatus {
  hour: { used: number; cap: number };
  day: { used: number; cap: number };
  warning: string | null;
}

/** Why a reply was refused by a cap, as the ledger keeps it. */
export type CapRefusal = 'reply_cap' | 'unknown_cap';

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

  /** The hour of `now` in the configured time zone, `YYYY-MM-DDTHH`. */
  private hourOf(now: number): string {
    const hour = new Intl.DateTimeFormat('en-GB', { timeZone: this.settings.timeZone, hour: '2-digit', hourCycle: 'h23' }).format(now);
    return `${this.dayOf(now)}T${hour}`;
  }

  /** Adds one to `key` (kept `ttlS`); when that goes past `cap` (> 0) takes it back and answers false. */
  private async countWithin(key: string, cap: number, ttlS: number): Promise<boolean> {
    if (cap <= 0) return true;
    const [[, used]] = (await this.redis.multi().incr(key).expire(key, ttlS).exec()) as [[unknown, number], unknown];
    if (used <= cap) return true;
    await this.redis.decr(key);
    return false;
  }

  /**
   * Counts one reply against the gateway's hourly and daily reply caps and, for a number that is
   * not registered, against its network's hourly cap. Resolves the refusal, or undefined when the
   * reply may go (then it is counted). A refused reply counts against nothing.
   */
  async allowReply(unknownNetwork: string | undefined, now = this.clock.now().getTime()): Promise<CapRefusal | undefined> {
    const hour = this.hourOf(now);
    const hourKey = this.keys.hardening.replyHour(hour);
    const dayKey = this.keys.hardening.replyDay(this.dayOf(now));
    if (unknownNetwork !== undefined && !(await this.countWithin(this.keys.hardening.unknownHour(hour, unknownNetwork), this.settings.unknownHourlyCap ?? 0, TTL.unknownHourS))) return 'unknown_cap';
    if (!(await this.countWithin(hourKey, this.settings.replyHourlyCap ?? 0, TTL.replyHourS))) return 'reply_cap';
    if (!(await this.countWithin(dayKey, this.settings.replyDailyCap ?? 0, TTL.replyDayS))) {
      if ((this.settings.replyHourlyCap ?? 0) > 0) await this.redis.decr(hourKey);
      return 'reply_cap';
    }
    return undefined;
  }

  /** True the first time in a cap window that `phone` is to be told its cap is reached. */
  async firstCapNotice(phone: string): Promise<boolean> {
    return (await this.redis.set(this.keys.hardening.capNotice(phone), '1', 'EX', TTL.capNoticeS, 'NX')) === 'OK';
  }

  async replyCaps(now = this.clock.now().getTime()): Promise<ReplyCapStatus> {
    const [hourUsed, dayUsed] = await Promise.all([
      this.redis.get(this.keys.hardening.replyHour(this.hourOf(now))),
      this.redis.get(this.keys.hardening.replyDay(this.dayOf(now))),
    ]);
    const hour = { used: Number(hourUsed ?? 0), cap: this.settings.replyHourlyCap ?? 0 };
    const day = { used: Number(dayUsed ?? 0), cap: this.settings.replyDailyCap ?? 0 };
    const full = (c: { used: number; cap: number }): boolean => c.cap > 0 && c.used >= c.cap;
    const warning = full(day)
      ? `Today's cap of ${day.cap} replies is reached: further replies are skipped (reply_cap) until midnight. Raise SMS_REPLY_DAILY_CAP if this is real traffic.`
      : full(hour)
        ? `This hour's cap of ${hour.cap} replies is reached: further replies are skipped (reply_cap) until the hour turns. Raise SMS_REPLY_HOURLY_CAP if this is real traffic.`
        : null;
    return { hour, day, warning };
  }

  async budget(now = this.clock.now().getTime()): Promise<BudgetStatus> {
    const day = this.dayOf(now);
    const used = Number((await this.redis.get(this.keys.messaging.dailySegments(day))) ?? 0);
    const budget = this.settings.dailyBudgetSegments;
    return { day, usedSegments: used, budgetSegments: budget, exhausted: budget > 0 && used >= budget };
  }
}
