/**
 * The SMS routes in order of preference (SMS_ROUTES), as one provider. Each route has a circuit
 * breaker (cockatiel): after `failures` failed calls in a row it opens, and for `openMs` new sends
 * skip that route; then one trial call decides whether it closes again.
 *
 * The rules that keep "no message lost, none sent twice":
 * - A call moves to the next route only when the route answered `rejected` (nothing was accepted
 *   for anyone) or was skipped (breaker open). Those recipients provably did not go out.
 * - An `uncertain` call (timeout, connection lost mid-call) is returned as it is: its recipients
 *   end `uncertain` and no route sends them automatically; only the organiser's re-send does.
 * - Every outcome names the route that carried (or refused) the call; the worker writes it on
 *   each ledger entry.
 * A failed call is: `rejected`, `uncertain`, a throw, or an answer where every recipient came
 * back uncertain or temporarily failed. Per-recipient refusals (an invalid number) are not.
 * The last route is never skipped: with nowhere else to go, skipping would only delay, and the
 * send worker's retries with backoff already pace calls to a route that is down.
 */
import { BrokenCircuitError, CircuitState, ConsecutiveBreaker, IsolatedCircuitError, circuitBreaker, handleWhenResult, type CircuitBreakerPolicy } from 'cockatiel';
import { AppError } from '../../kernel/errors';
import type { Logger } from '../../kernel/logger';
import type { DeliveryReportForm } from './delivery-reports';
import type { OutboundSms, SendOutcome, SmsProvider } from './sms-provider';

export interface Route {
  /** As written in SMS_ROUTES (africastalking, smpp, outbox), or a test provider's name. */
  name: string;
  provider: SmsProvider;
}

export interface RouteChainOptions {
  failures: number;
  openMs: number;
  logger: Logger;
  /** Told when a route's breaker opens (`down`) or closes again (`up`). */
  onRouteState?: (route: string, state: 'down' | 'up' | 'trial') => void;
}

export type RouteState = 'up' | 'down' | 'trial';

export interface RouteChain extends SmsProvider {
  /** Each route's state, in order. */
  states(): Array<{ route: string; state: RouteState }>;
  /** Forwards the delivery reports of routes that produce their own (the outbox). */
  onDeliveryReport(listener: (report: DeliveryReportForm) => void): () => void;
}

function failed(result: unknown): boolean {
  const outcome = result as SendOutcome;
  if (outcome.kind !== 'per_recipient') return true;
  return outcome.recipients.length > 0 && outcome.recipients.every((r) => r.result === 'uncertain' || r.result === 'failed_retryable');
}

const STATE_OF: Record<CircuitState, RouteState> = {
  [CircuitState.Closed]: 'up', [CircuitState.Open]: 'down', [CircuitState.HalfOpen]: 'trial', [CircuitState.Isolated]: 'down',
};

interface Guarded {
  route: Route;
  breaker: CircuitBreakerPolicy;
}

export function createRouteChain(routes: readonly Route[], options: RouteChainOptions): RouteChain {
  if (routes.length === 0) throw new AppError('INTERNAL', 'at least one SMS route is needed');
  const guarded: Guarded[] = routes.map((route) => {
    // The breaker counts answers, not throws: a provider never rejects, it says what happened.
    const breaker = circuitBreaker(handleWhenResult(failed), { halfOpenAfter: options.openMs, breaker: new ConsecutiveBreaker(options.failures) });
    breaker.onStateChange((state) => {
      const named = STATE_OF[state];
      options.logger[named === 'down' ? 'warn' : 'info']({ route: route.name, state: named }, named === 'down' ? 'SMS route down: sends go to the next route' : 'SMS route state');
      options.onRouteState?.(route.name, named);
    });
    return { route, breaker };
  });

  /** One route's call through its breaker; undefined when the breaker is open and the route is not the last (it is skipped). */
  async function attempt({ route, breaker }: Guarded, last: boolean, sms: OutboundSms, signal?: AbortSignal): Promise<SendOutcome | undefined> {
    const call = async (): Promise<SendOutcome> => {
      try {
        return await route.provider.send(sms, signal);
      } catch (error) {
        return { kind: 'uncertain', reason: `provider threw: ${error instanceof Error ? error.message : String(error)}` };
      }
    };
    try {
      return await breaker.execute(call);
    } catch (error) {
      if (error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError) return last ? call() : undefined;
      return { kind: 'uncertain', reason: `route ${route.name}: ${error instanceof Error ? error.message : String(error)}` };
    }
  }

  return {
    name: routes.map((route) => route.name).join('>'),
    async send(sms, signal) {
      let refused: SendOutcome | undefined;
      let skipped = false;
      for (const [position, entry] of guarded.entries()) {
        const outcome = await attempt(entry, position === guarded.length - 1, sms, signal);
        if (outcome === undefined) {
          skipped = true;
          continue;
        }
        // Refused as a whole: nothing went out, so the next route may carry the same recipients.
        if (outcome.kind === 'rejected' && !signal?.aborted) {
          refused = { ...outcome, route: entry.route.name };
          continue;
        }
        return { ...outcome, route: entry.route.name };
      }
      // A route skipped while down may take them later: never fail them for good then.
      if (refused?.kind === 'rejected') return skipped ? { ...refused, retryable: true } : refused;
      return { kind: 'rejected', reason: 'every_route_down', retryable: true };
    },
    states: () => guarded.map(({ route, breaker }) => ({ route: route.name, state: STATE_OF[breaker.state] })),
    onDeliveryReport(listener) {
      const unsubscribes = routes.flatMap(({ provider }) => {
        const source = provider as Partial<Pick<RouteChain, 'onDeliveryReport'>>;
        return typeof source.onDeliveryReport === 'function' ? [source.onDeliveryReport.call(provider, listener)] : [];
      });
      return () => { for (const unsubscribe of unsubscribes) unsubscribe(); };
    },
  };
}
