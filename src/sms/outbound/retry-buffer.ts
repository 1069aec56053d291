/**
 * A small in-process buffer for callbacks that could not be recorded because Redis failed. The
 * webhook still answers 200 (Africa's Talking's retry policy is undocumented, and a 5xx invites
 * retry storms), and the buffer retries every few seconds until Redis is back. It is bounded and
 * lives in memory: a Redis outage longer than the process lasts loses what it holds, and says so.
 */
import type { Logger } from '../../kernel/logger';

export class RetryBuffer<T> {
  private readonly items: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private draining = false;
  dropped = 0;

  constructor(
    private readonly label: string,
    private readonly handle: (item: T) => Promise<unknown>,
    private readonly logger: Logger,
    private readonly capacity = 1000,
    private readonly intervalMs = 5000,
  ) {}

  get size(): number {
    return this.items.length;
  }

  /** Keeps `item` for a later retry (drops the oldest when full). */
  push(item: T): void {
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped += 1;
      this.logger.error({ buffer: this.label, dropped: this.dropped }, 'retry buffer full: oldest callback dropped');
    }
    this.items.push(item);
    if (!this.timer) {
      this.timer = setInterval(() => { void this.drain(); }, this.intervalMs);
      this.timer.unref();
    }
  }

  /** Retries everything held, in order, stopping at the first failure. Returns how many were handled. */
  async drain(): Promise<number> {
    if (this.draining) return 0;
    this.draining = true;
    let handled = 0;
    try {
      while (this.items.length > 0) {
        await this.handle(this.items[0] as T);
        this.items.shift();
        handled += 1;
      }
    } catch (error) {
      this.logger.warn({ buffer: this.label, waiting: this.items.length, err: error instanceof Error ? error.message : String(error) }, 'callbacks still waiting for Redis');
    } finally {
      this.draining = false;
      if (this.items.length === 0) this.stop();
    }
    return handled;
  }

  /** Stops the timer; logs what is lost. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  close(): void {
    this.stop();
    if (this.items.length > 0) this.logger.error({ buffer: this.label, lost: this.items.length }, 'closing with callbacks not yet recorded');
  }
}
