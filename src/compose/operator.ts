/** The operators' views: the queue dashboard over every BullMQ queue of the gateway, and the API docs. */
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { Queue } from 'bullmq';
import type { AdminDeps } from '../http/admin/admin-router';
import type { Mount } from '../http/app';
import { API_DOCS_PATH, createApiDocsRouter } from '../http/operator/api-docs';
import { createQueueBoardRouter, QUEUE_BOARD_PATH } from '../http/operator/queue-board';
import { QUEUES } from '../infra/redis/keys';
import type { Resources } from './resources';

export function operatorMounts(r: Resources, admin: AdminDeps): Mount[] {
  // Queue handles for the board alone, on the shared command connection; closed with the gateway.
  const queues = Object.values(QUEUES).map((name) => new Queue(name, { connection: r.redis, prefix: r.keys.queuePrefix }));
  r.onClose(async () => { await Promise.all(queues.map((q) => q.close().catch(() => undefined))); });
  return [
    { path: QUEUE_BOARD_PATH, router: createQueueBoardRouter(queues.map((q) => new BullMQAdapter(q)), admin.tokens, admin.auth) },
    { path: API_DOCS_PATH, router: createApiDocsRouter() },
  ];
}
