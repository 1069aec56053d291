/**
 * One SMPP connection, bound as a transceiver, kept up: enquire_link on a timer (a link that does
 * not answer in time is dropped), reconnect with exponential backoff and jitter after any loss,
 * and a send window (at most `window` submit_sm without their response) with a pace of at most
 * `ratePerSecond` submits per second.
 *
 * `submit` says exactly what is known about one PDU: `ok` (the SMSC took it: its message id),
 * `error` (the SMSC refused it: its command_status), `not_sent` (it never left this process: safe
 * to send again) or `lost` (it was written and no answer came: the SMSC may or may not have it).
 * The password is never logged.
 */
import { bulkhead } from 'cockatiel';
import smpp from 'smpp';
import type { Logger } from '../../kernel/logger';

export interface SmppLinkOptions {
  url: string;
  systemId: string;
  password: string;
  systemType?: string;
  /** Submits in flight without a response, at most. */
  window: number;
  /** Submits per second on this connection, at most. */
  ratePerSecond: number;
  enquireLinkMs: number;
  /** A submit (or enquire_link) with no response after this long is given up. */
  responseTimeoutMs: number;
  reconnect?: { initialMs: number; maxMs: number };
  logger: Logger;
}

export type SubmitResult =
  | { status: 'ok'; messageId: string }
  | { status: 'error'; commandStatus: number }
  | { status: 'not_sent'; reason: string }
  | { status: 'lost'; reason: string };

/** Answers a deliver_sm once what it carries is stored; false (or a throw) asks the SMSC to retry. */
export type DeliverHandler = (pdu: smpp.PDU) => Promise<boolean>;

export type LinkState = 'idle' | 'connecting' | 'bound' | 'stopped';

interface Pending {
  resolve(result: SubmitResult): void;
  timer: NodeJS.Timeout;
}

const ESME_RX_T_APPDN = 0x64;

export class SmppLink {
  private session: smpp.Session | undefined;
  private state: LinkState = 'idle';
  private attempts = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private enquireTimer: NodeJS.Timeout | undefined;
  private readonly pending = new Map<number, Pending>();
  private readonly waiters = new Set<() => void>();
  private readonly window;
  private nextSlot = 0;
  private deliverHandler: DeliverHandler = async () => true;
  /** Counts for tests and metrics: binds made, enquire_links answered. */
  readonly stats = { binds: 0, enquireLinksAnswered: 0, disconnects: 0 };

  constructor(private readonly options: SmppLinkOptions) {
    this.window = bulkhead(Math.max(1, options.window), Number.MAX_SAFE_INTEGER);
  }

  get current(): LinkState {
    return this.state;
  }

  onDeliver(handler: DeliverHandler): void {
    this.deliverHandler = handler;
  }

  start(): void {
    if (this.state !== 'idle') return;
    this.connect();
  }

  /** Resolves true once bound (false after `timeoutMs`, when stopped, or when `signal` aborts). */
  waitBound(timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    if (this.state === 'bound') return Promise.resolve(true);
    if (this.state === 'stopped' || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = (value: boolean): void => {
        clearTimeout(timer);
        this.waiters.delete(onBound);
        signal?.removeEventListener('abort', onAbort);
        resolve(value);
      };
      const onBound = (): void => done(this.state === 'bound');
      const onAbort = (): void => done(false);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.waiters.add(onBound);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Sends one submit_sm within the window and the pace; never rejects. */
  async submit(params: Record<string, unknown>, signal?: AbortSignal): Promise<SubmitResult> {
    try {
      return await this.window.execute(async (): Promise<SubmitResult> => {
        if (!(await this.pace(signal))) return { status: 'not_sent', reason: 'aborted before submit' };
        return this.sendNow(params);
      }, signal);
    } catch (error) {
      return { status: 'not_sent', reason: error instanceof Error ? error.message : 'aborted' };
    }
  }

  /** Unbinds and closes; no reconnect after it. Pending submits end `lost`. */
  async stop(): Promise<void> {
    this.state = 'stopped';
    clearTimeout(this.reconnectTimer);
    clearInterval(this.enquireTimer);
    this.notifyWaiters();
    const session = this.session;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const socket = session.socket;
      if (socket.destroyed) return resolve();
      // Resolve on the socket's own close, whoever closes it (the SMSC, a failed connect, us).
      const timer = setTimeout(() => socket.destroy(), 1000);
      socket.once('close', () => { clearTimeout(timer); resolve(); });
      const bound = this.session === session && socket.writable && !socket.connecting;
      if (!bound || !session.unbind({}, () => session.close())) socket.destroy();
    });
    this.failPending('link stopped');
  }

  /** Waits for this submit's slot; false when `signal` aborted (nothing was sent). */
  private async pace(signal?: AbortSignal): Promise<boolean> {
    const interval = 1000 / Math.max(1, this.options.ratePerSecond);
    // A pace is an interval, not a time of day: the monotonic timer, never the (injectable) clock.
    const now = performance.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + interval;
    const wait = slot - now;
    if (wait >= 1) {
      await new Promise<void>((resolve) => {
        const onAbort = (): void => { clearTimeout(timer); resolve(); };
        const timer = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, wait);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    return !signal?.aborted;
  }

  private sendNow(params: Record<string, unknown>): Promise<SubmitResult> {
    const session = this.session;
    if (this.state !== 'bound' || !session) return Promise.resolve({ status: 'not_sent', reason: 'smpp_not_bound' });
    return new Promise((resolve) => {
      const pdu = new smpp.PDU('submit_sm', params);
      let sequence = 0;
      const written = session.send(pdu, (response) => {
        const entry = this.pending.get(sequence);
        if (!entry) return;
        this.pending.delete(sequence);
        clearTimeout(entry.timer);
        entry.resolve(response.command_status === 0
          ? { status: 'ok', messageId: String(response.message_id ?? '').replace(/\0+$/, '') }
          : { status: 'error', commandStatus: response.command_status });
      });
      if (!written) return resolve({ status: 'not_sent', reason: 'socket_not_writable' });
      sequence = pdu.sequence_number;
      const timer = setTimeout(() => {
        this.pending.delete(sequence);
        resolve({ status: 'lost', reason: 'no_submit_sm_resp' });
      }, this.options.responseTimeoutMs);
      this.pending.set(sequence, { resolve, timer });
    });
  }

  private connect(): void {
    if (this.state === 'stopped') return;
    this.state = 'connecting';
    const log = this.options.logger;
    const session = smpp.connect({ url: this.options.url });
    this.session = session;
    session.on('connect', () => {
      // Small PDUs with several in flight: Nagle's algorithm would hold each write for the last ACK.
      session.socket.setNoDelay(true);
      session.bind_transceiver({
        system_id: this.options.systemId, password: this.options.password,
        ...(this.options.systemType ? { system_type: this.options.systemType } : {}),
      }, (pdu) => {
        if (pdu.command_status !== 0) {
          log.error({ commandStatus: pdu.command_status, systemId: this.options.systemId }, 'SMPP bind refused');
          session.destroy();
          return;
        }
        if (this.state === 'stopped') return;
        this.state = 'bound';
        this.attempts = 0;
        this.stats.binds += 1;
        log.info({ systemId: this.options.systemId }, 'SMPP bound as transceiver');
        this.startEnquireLink(session);
        this.notifyWaiters();
      });
    });
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => { session.send(pdu.response()); session.close(); });
    session.on('deliver_sm', (pdu: smpp.PDU) => { void this.answerDeliver(session, pdu); });
    session.on('error', (error: Error) => log.warn({ err: error.message }, 'SMPP connection error'));
    session.on('close', () => this.lost(session));
  }

  private async answerDeliver(session: smpp.Session, pdu: smpp.PDU): Promise<void> {
    let stored = false;
    try {
      stored = await this.deliverHandler(pdu);
    } catch (error) {
      this.options.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'SMPP deliver_sm not stored: asking the SMSC to retry');
    }
    session.send(pdu.response(stored ? {} : { command_status: ESME_RX_T_APPDN }));
  }

  private startEnquireLink(session: smpp.Session): void {
    clearInterval(this.enquireTimer);
    this.enquireTimer = setInterval(() => {
      const timer = setTimeout(() => {
        this.options.logger.warn('SMPP enquire_link unanswered: reconnecting');
        session.destroy();
      }, this.options.responseTimeoutMs);
      const sent = session.enquire_link({}, () => { clearTimeout(timer); this.stats.enquireLinksAnswered += 1; });
      if (!sent) clearTimeout(timer);
    }, this.options.enquireLinkMs);
    this.enquireTimer.unref();
  }

  private lost(session: smpp.Session): void {
    if (this.session !== session) return;
    this.session = undefined;
    clearInterval(this.enquireTimer);
    this.failPending('connection_closed_before_submit_sm_resp');
    if (this.state === 'stopped') return;
    this.stats.disconnects += 1;
    this.state = 'connecting';
    const { initialMs, maxMs } = this.options.reconnect ?? { initialMs: 500, maxMs: 30_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts) * (0.5 + Math.random() / 2);
    this.attempts += 1;
    this.options.logger.warn({ delayMs: Math.round(delay), attempt: this.attempts }, 'SMPP connection lost: reconnecting');
    this.reconnectTimer = setTimeout(() => this.connect(), delay);
    this.reconnectTimer.unref();
  }

  private failPending(reason: string): void {
    for (const [sequence, entry] of this.pending) {
      clearTimeout(entry.timer);
      this.pending.delete(sequence);
      entry.resolve({ status: 'lost', reason });
    }
  }

  private notifyWaiters(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}
