/**
 * The hop's Redis commands of one event-loop turn leave in one write. Hops run side by side (one
 * per HTTP connection): those whose requests or whose first replies arrive in the same turn each
 * send a script; corking the connection's socket until the turn's I/O callbacks are done sends
 * them together (one syscall, one TCP segment, one read in Redis) instead of one write each.
 * Nothing is held longer than the turn, and order on the connection is unchanged.
 */
import Redis from 'ioredis';
import type { RedisClient } from '../infra/redis/client';

/** The sockets corked until the end of this turn. */
const corked = new Set<{ uncork(): void }>();

function uncorkAll(): void {
  for (const socket of corked) socket.uncork();
  corked.clear();
}

/**
 * Call before sending a command on `redis`: the command's bytes wait, with the turn's others,
 * until the check phase of this turn. A Cluster (several sockets) or a connection that is not
 * ready is left as it is.
 */
export function joinTurnWrite(redis: RedisClient): void {
  if (!(redis instanceof Redis) || redis.status !== 'ready') return;
  const socket = redis.stream;
  if (corked.has(socket) || !socket.writable) return;
  if (corked.size === 0) setImmediate(uncorkAll);
  socket.cork();
  corked.add(socket);
}
