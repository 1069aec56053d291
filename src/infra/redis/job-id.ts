/**
 * Deterministic BullMQ job ids: the same parts always give the same id, so adding a job twice is
 * a no-op. BullMQ refuses ids containing ':' (its key separator), so every part is made safe here
 * rather than at each call site.
 */
export function jobId(...parts: Array<string | number>): string {
  return parts.map((part) => String(part).replace(/:/g, '_')).join('|');
}
