/**
 * Actions with a deadline (`deadlineMs`, `onLate: sms` on the node). The hop waits for the action
 * up to its deadline (never past the hop's own budget, so the 2 s busy END still holds); past it
 * the caller gets the "we will send the result by SMS" END, the action runs on to completion
 * exactly once, and its outcome screen goes out as an SMS through the outbound ledger (opt-outs
 * and caps apply) under a key tied to the session's hop, so a retried hop or a redial sends
 * nothing twice. A result that never comes is found by `sweep` and listed for the organiser.
 */
import type { ActionOutcome, StepResult } from '../engine';
import type { Clock } from '../kernel/clock';
import type { Logger } from '../kernel/logger';
import type { Metrics } from '../kernel/metrics';
import type { OutboundMessages } from '../sms/outbound/outbound-port';
import type { LateRecord, LateResults } from './late-results.redis';

/** Test seams: when the deadline fires and how an action's work is started. */
export interface LateHooks {
  deadline(action: string, ms: number): Promise<void>;
  run(action: string, work: () => Promise<ActionOutcome>): Promise<ActionOutcome>;
}

export interface LateActionsDeps {
  store: LateResults;
  outbound: OutboundMessages;
  clock: Clock;
  logger: Logger;
  metrics: Metrics;
  hooks?: LateHooks;
}

export type Raced = { kind: 'done'; outcome: ActionOutcome } | { kind: 'late'; work: Promise<ActionOutcome> };

export interface LateActions {
  /** The id of this phone's late action of the same kind still in flight, or null. */
  inFlight(packId: string, phone: string, action: string): Promise<string | null>;
  /** Runs `work`; answers its outcome if it comes within `budgetMs`, else hands back the running work. */
  race(action: string, budgetMs: number, work: () => Promise<ActionOutcome>): Promise<Raced>;
  /**
   * Records the late action, then (in the background) waits for its outcome, resolves it into
   * the outcome screen with `resolve` and queues that screen as an SMS. Resolves once recorded.
   */
  handOver(record: LateRecord, work: Promise<ActionOutcome>, resolve: (outcome: ActionOutcome) => Promise<StepResult>): Promise<void>;
  /** Reports every late action past its window as lost. Never throws. */
  sweep(): Promise<number>;
  /** Waits for the late results being delivered by this process (tests, shutdown). */
  settled(): Promise<void>;
}

const defaultHooks: LateHooks = {
  deadline: (_action, ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
  run: (_action, work) => work(),
};

export function createLateActions(deps: LateActionsDeps): LateActions {
  const hooks = deps.hooks ?? defaultHooks;
  const counter = deps.metrics.counter('kiungo_ussd_late_results_total', 'USSD actions that passed their deadline, by what became of the result (late, recovered, lost)', ['outcome'] as const);
  const delivering = new Set<Promise<void>>();

  async function deliver(record: LateRecord, work: Promise<ActionOutcome>, resolve: (outcome: ActionOutcome) => Promise<StepResult>): Promise<void> {
    const outcome = await work;
    const result = await resolve(outcome);
    const text = result.screen?.text;
    let messageId: string | undefined;
    if (text) {
      const queued = await deps.outbound.enqueue({
        to: record.phone, text, purpose: 'reply', idempotencyKey: `late:${record.id}`, inboundTriggered: true, packId: record.packId,
      });
      messageId = queued.messageId;
      if (queued.state === 'skipped') deps.logger.info({ lateId: record.id, reason: queued.reason }, 'late result SMS skipped');
    }
    if (await deps.store.recovered(record, deps.clock.now(), outcome.result, messageId)) counter.inc({ outcome: 'recovered' });
    else deps.logger.warn({ lateId: record.id }, 'late result came after it was reported lost; its SMS was queued');
  }

  return {
    inFlight: (packId, phone, action) => deps.store.inFlight(packId, phone, action),

    async race(action, budgetMs, work) {
      const running = hooks.run(action, work);
      // No time left in the hop (Redis was slow before the action): late at once, no race.
      if (budgetMs <= 0) return { kind: 'late', work: running };
      const winner = await Promise.race([
        running.then((outcome) => ({ kind: 'done', outcome }) as const, () => ({ kind: 'done', outcome: { result: 'error' } }) as const),
        hooks.deadline(action, budgetMs).then(() => null),
      ]);
      return winner ?? { kind: 'late', work: running };
    },

    async handOver(record, work, resolve) {
      counter.inc({ outcome: 'late' });
      try {
        await deps.store.open(record);
      } catch (error) {
        // Not recorded: the result is still delivered; only the lost-result report misses it.
        deps.logger.error({ err: error, lateId: record.id }, 'late action not recorded');
      }
      const guarded = work.catch((error: unknown): ActionOutcome => {
        deps.logger.error({ err: error, action: record.action }, 'late action failed');
        return { result: 'error' };
      });
      const delivery = deliver(record, guarded, resolve).catch((error: unknown) => deps.logger.error({ err: error, lateId: record.id }, 'late result not delivered'));
      delivering.add(delivery);
      void delivery.finally(() => delivering.delete(delivery));
    },

    async sweep() {
      try {
        const lost = await deps.store.sweep(deps.clock.now());
        for (const record of lost) {
          counter.inc({ outcome: 'lost' });
          deps.logger.error({ lateId: record.id, packId: record.packId, action: record.action, startedAt: record.startedAt }, 'late action result lost: no outcome came');
        }
        return lost.length;
      } catch (error) {
        deps.logger.warn({ err: error }, 'late results not swept');
        return 0;
      }
    },

    async settled() {
      while (delivering.size > 0) await Promise.all([...delivering]);
    },
  };
}
