/**
 * Everything the outbound module keeps in Redis, on the connections it is given: the ledger, the
 * suppression list, the cost guard, the rate limiter, the pending delivery reports and the send
 * queues, plus the BullMQ parts built on them (batch processor, sweeper, lane workers). The module
 * never sees a connection; this file takes ownership of the ones it is given and closes them.
 */
import type { MessagingConfig } from '../../config/load';
import type { Keys } from '../../infra/redis/keys';
import { closeRedis, waitForReady, type RedisClient } from '../../infra/redis/client';
import { ContentGuard } from './content-guard.redis';
import { CostGuard } from './cost-guard.redis';
import { Ledger } from './ledger.redis';
import { NetworkBudgets } from './network-budgets.redis';
import { createPendingReports, type PendingReports } from './pending-reports.redis';
import { createSendQueues, startLaneWorkers, type LaneWorkerOptions, type SendQueues } from './queues.bullmq';
import { SendRateLimiter } from './rate-limiter.redis';
import { createBatchProcessor, type SendWorkerDeps } from './send-worker.bullmq';
import { SuppressionList } from './suppression.redis';
import { createSweeper, type Sweeper, type SweeperDeps } from './sweeper.bullmq';
import type { Lane } from './types';

export interface OutboundConnections {
  /** The module's command connection (closed by `close`). */
  redis: RedisClient;
  /** Opens a blocking connection for one lane's worker (closed when the workers stop). */
  worker(lane: Lane): RedisClient;
}

import { createNetworkOutcomes, type NetworkOutcomes } from './network-outcomes.redis';

export interface OutboundStores {
  ledger: Ledger;
  suppression: SuppressionList;
  costGuard: CostGuard;
  contentGuard: ContentGuard;
  pendingReports: PendingReports;
  /** SMS outcomes by network, per pack. */
  networkOutcomes: NetworkOutcomes;
  queues: SendQueues;
  /** The send-batch processor on these stores. */
  batchProcessor(deps: Omit<SendWorkerDeps, 'redis' | 'keys' | 'ledger' | 'suppression' | 'limiter' | 'networkBudgets'>): ReturnType<typeof createBatchProcessor>;
  /** The housekeeping pass on these stores. */
  sweeper(deps: Omit<SweeperDeps, 'redis' | 'keys' | 'ledger' | 'queues'>): Sweeper;
  /** Starts both lanes' workers, each on a blocking connection of its own; the stop function closes them too. */
  startLaneWorkers(options: Omit<LaneWorkerOptions, 'connection' | 'prefix'>): (force: boolean) => Promise<void>;
  /** Resolves true once the command connection is up (false after `timeoutMs`). */
  ready(timeoutMs: number): Promise<boolean>;
  /** Closes the command connection (the queues are closed by their owner first). */
  close(): Promise<void>;
}

export function createOutboundStores(connections: OutboundConnections, keys: Keys, config: MessagingConfig): OutboundStores {
  const { redis } = connections;
  const ledger = new Ledger(redis, keys);
  const suppression = new SuppressionList(redis, keys);
  const limiter = new SendRateLimiter(redis, keys, config.ratePerSecond);
  const networkBudgets = new NetworkBudgets(keys, config.ratePerSecond, config.networkShares ?? {});
  const queues = createSendQueues(redis, keys.queuePrefix);
  return {
    ledger,
    suppression,
    costGuard: new CostGuard(redis, keys, {
      perPhoneHourlyCap: config.perPhoneHourlyCap, dailyBudgetSegments: config.dailyBudgetSegments, timeZone: config.timeZone,
      replyHourlyCap: config.replyHourlyCap ?? 0, replyDailyCap: config.replyDailyCap ?? 0, unknownHourlyCap: config.unknownHourlyCap ?? 0,
    }),
    contentGuard: new ContentGuard(redis, keys, config.contentRepeatCap ?? 0),
    pendingReports: createPendingReports(redis, keys),
    networkOutcomes: createNetworkOutcomes(redis, keys),
    queues,
    batchProcessor: (deps) => createBatchProcessor({ ...deps, redis, keys, ledger, suppression, limiter, networkBudgets }),
    sweeper: (deps) => createSweeper({ ...deps, redis, keys, ledger, queues }),
    startLaneWorkers(options) {
      const opened: RedisClient[] = [];
      const stop = startLaneWorkers({
        ...options,
        connection: (lane) => {
          const connection = connections.worker(lane);
          opened.push(connection);
          return connection;
        },
        prefix: keys.queuePrefix,
        ready: async (lane) => Object.values(await queues[lane].getJobCounts('waiting', 'prioritized')).reduce((sum, n) => sum + n, 0),
      });
      return async (force) => {
        await stop(force);
        await Promise.all(opened.map((connection) => closeRedis(connection)));
      };
    },
    ready: (timeoutMs) => waitForReady(redis, timeoutMs),
    close: () => closeRedis(redis),
  };
}
