/**
 * The load generator, run in its own process so it never competes with the server for the same
 * event loop: `fork`ed by the bench with one {@link LoadJob} over IPC, it plays register sessions
 * with autocannon and answers with the {@link LoadFigures}, then exits.
 */
import autocannon from 'autocannon';
import { HOPS, hopBody, isExpected, poolPhone } from './ussd-scenario';
import type { LoadFigures } from './types';

export interface LoadJob {
  url: string;
  connections: number;
  durationS: number;
  phonePool: number;
  /** Pool index of the first session's phone: runs continue where the last one stopped. */
  phoneOffset: number;
  /** Session ids are `<prefix>-<n>`, unique per run. */
  sessionPrefix: string;
  /** What each hop's answer must start with. */
  expected: readonly string[];
  /** Hops per second across all connections (a fixed rate, for latency comparisons); unset: as fast as answered. */
  overallRate?: number;
}

interface SessionContext {
  n?: number;
  sessionId?: string;
  phone?: string;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** Plays `job` and returns its figures; `onStart` gets a function that ends the run early. */
export async function runLoad(job: LoadJob, onStart?: (stop: () => void) => void): Promise<LoadFigures> {
  let sessions = 0;
  const wrongByHop = Array.from({ length: HOPS }, () => 0);
  const samples: LoadFigures['wrongSamples'] = [];
  const requests = Array.from({ length: HOPS }, (_, hop) => ({
    method: 'POST' as const,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    setupRequest: (request: autocannon.Request, context: SessionContext): autocannon.Request => {
      if (hop === 0 || context.sessionId === undefined) {
        const n = sessions++;
        context.n = n;
        context.sessionId = `${job.sessionPrefix}-${n}`;
        context.phone = poolPhone(job.phoneOffset + n, job.phonePool);
      }
      return { ...request, body: hopBody(context.sessionId, context.phone ?? '', hop, context.n ?? 0) };
    },
    onResponse: (status: number, body: string) => {
      if (status === 200 && isExpected(body, job.expected[hop])) return;
      wrongByHop[hop] = (wrongByHop[hop] ?? 0) + 1;
      if (samples.length < 3) samples.push({ hop: hop + 1, status, body: body.slice(0, 200) });
    },
  }));
  // Without a callback autocannon returns its tracker, which is also the promise of the result.
  const instance = autocannon({
    url: job.url,
    connections: job.connections,
    duration: job.durationS,
    timeout: 10,
    requests,
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
  }) as Promise<autocannon.Result> & Pick<autocannon.Instance, 'stop'>;
  onStart?.(() => instance.stop());
  const result = await instance;
  return {
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / Math.max(result.duration, 0.001), 1),
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max, mean: round(result.latency.average) },
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    wrongScreens: wrongByHop.reduce((a, b) => a + b, 0),
    wrongScreensByHop: wrongByHop,
    sessions,
    wrongSamples: samples,
  };
}

if (require.main === module && process.send) {
  // The first message is the job; a later 'stop' ends the run early (its figures are still sent).
  let stop: (() => void) | undefined;
  process.on('message', (message: LoadJob | 'stop') => {
    if (message === 'stop') return stop?.();
    if (stop) return;
    stop = () => undefined;
    runLoad(message, (end) => { stop = end; }).then(
      (figures) => process.send?.({ ok: true, figures }, () => process.exit(0)),
      (error: unknown) => process.send?.({ ok: false, error: error instanceof Error ? error.message : String(error) }, () => process.exit(1)),
    );
  });
}
