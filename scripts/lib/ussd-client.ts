/**
 * A USSD handset over HTTP, speaking Africa's Talking's callback protocol to a gateway: one
 * session id (`ATUid_` + 32 hex), `text` = every input so far joined with `*` (empty on the first
 * hop), `CON `/`END ` answers, and the end-of-session notification AT posts when a session closes.
 */
import { atDate, newSessionId, parseUssdAnswer, SANDBOX_NETWORK, ussdText, type UssdEventStatus, type UssdScreen } from './at-protocol';

export { newSessionId, parseUssdAnswer, type ScreenKind, type UssdScreen } from './at-protocol';

export type UssdClientErrorCode = 'SIM.HTTP_STATUS' | 'SIM.NOT_USSD' | 'SIM.UNREACHABLE' | 'SIM.SESSION_CLOSED';

/** What went wrong on a hop; AT would end the session in each case. */
export class UssdClientError extends Error {
  constructor(readonly code: UssdClientErrorCode, message: string, readonly status?: number) {
    super(message);
    this.name = 'UssdClientError';
  }
}

export interface UssdClientOptions {
  /** Gateway base URL, e.g. http://localhost:3000. */
  baseUrl: string;
  phoneNumber: string;
  serviceCode: string;
  /** WEBHOOK_KEY, sent as `?key=`. */
  key?: string;
  /** Defaults to 99999, AT's sandbox network. */
  networkCode?: string;
  /** AT gives up on an application after 15 s. */
  timeoutMs?: number;
  /** Post the end-of-session notification (default true). */
  notify?: boolean;
}

/** `<baseUrl>/webhooks/africastalking/<name>`, with `?key=` when there is a key. */
export function webhookUrl(baseUrl: string, name: 'ussd' | 'ussd-events', key?: string): string {
  const url = new URL(`webhooks/africastalking/${name}`, baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (key) url.searchParams.set('key', key);
  return url.toString();
}

/** One dialled session. Create a new one to dial again. */
export class UssdSession {
  readonly sessionId = newSessionId();
  readonly inputs: string[] = [];
  hops = 0;
  closed = false;
  lastAppResponse = '';
  private readonly startedAt = Date.now();

  constructor(private readonly options: UssdClientOptions) {}

  /** Every input so far joined with `*`: the `text` AT sends. */
  get text(): string {
    return ussdText(this.inputs);
  }

  /** The first hop, `text=""`. Throws UssdClientError on anything but a 200 `CON`/`END` answer. */
  start(): Promise<UssdScreen> {
    return this.hop();
  }

  /** Sends one more input. Throws SIM.SESSION_CLOSED once the session has ended. */
  answer(input: string): Promise<UssdScreen> {
    if (this.closed) return Promise.reject(new UssdClientError('SIM.SESSION_CLOSED', 'The session has ended; dial again.'));
    this.inputs.push(input);
    return this.hop();
  }

  /** Hangs up an open session (AT reports `Incomplete`). Returns the notification's HTTP status, or undefined. */
  async hangUp(): Promise<number | undefined> {
    if (this.closed) return undefined;
    this.closed = true;
    return this.notify('Incomplete');
  }

  private async hop(): Promise<UssdScreen> {
    this.hops += 1;
    const { status, body } = await this.post('ussd', { text: this.text });
    const screen = status === 200 ? parseUssdAnswer(body) : undefined;
    if (!screen) {
      this.closed = true;
      const error = status === 0
        ? new UssdClientError('SIM.UNREACHABLE', `The gateway did not answer: ${body}`)
        : status !== 200
          ? new UssdClientError('SIM.HTTP_STATUS', `The gateway answered HTTP ${status}: ${body.slice(0, 200)}`, status)
          : new UssdClientError('SIM.NOT_USSD', `The answer starts with neither "CON " nor "END ": ${JSON.stringify(body.slice(0, 80))}`, status);
      await this.notify('Failed', error.message);
      throw error;
    }
    this.lastAppResponse = body;
    if (screen.kind === 'END') {
      this.closed = true;
      await this.notify('Success');
    }
    return screen;
  }

  private async notify(status: UssdEventStatus, errorMessage?: string): Promise<number | undefined> {
    if (this.options.notify === false) return undefined;
    const answer = await this.post('ussd-events', {
      status,
      input: this.text,
      durationInMillis: String(Date.now() - this.startedAt),
      hopsCount: String(this.hops),
      lastAppResponse: this.lastAppResponse,
      date: atDate(),
      ...(errorMessage ? { errorMessage } : {}),
    });
    return answer.status === 0 ? undefined : answer.status;
  }

  /** One form POST; status 0 when the gateway could not be reached in time. */
  private async post(name: 'ussd' | 'ussd-events', fields: Record<string, string>): Promise<{ status: number; body: string }> {
    const { baseUrl, key, phoneNumber, serviceCode, networkCode = SANDBOX_NETWORK, timeoutMs = 15000 } = this.options;
    const form = new URLSearchParams({ sessionId: this.sessionId, serviceCode, phoneNumber, networkCode, ...fields });
    try {
      const response = await fetch(webhookUrl(baseUrl, name, key), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded; charset=UTF-8', 'user-agent': 'kiungo-sim/1.0' },
        body: form.toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  }
}
