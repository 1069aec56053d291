// One USSD session as Africa's Talking runs it: a fixed session id, `text` holding every input
// so far joined with `*` (empty on the first hop), closed by an END screen, a cancel or an error,
// and one end-of-session notification when it closes.

import { atDate, newSessionId, parseUssdAnswer, SANDBOX_NETWORK, ussdText } from '../assets/at-protocol.js';

export class UssdSession {
  /** `client` is a gateway client; `phoneNumber` and `serviceCode` are fixed for the session. */
  constructor({ client, phoneNumber, serviceCode }) {
    this.client = client;
    this.phoneNumber = phoneNumber;
    this.serviceCode = serviceCode;
    this.sessionId = newSessionId();
    this.inputs = [];
    this.hops = 0;
    this.startedAt = Date.now();
    this.lastAppResponse = '';
    this.state = 'new';
  }

  /** Every input so far joined with `*`, exactly what AT sends as `text`. */
  get text() {
    return ussdText(this.inputs);
  }

  get open() {
    return this.state === 'new' || this.state === 'open';
  }

  /** The first hop (`text=""`). Resolves to a screen: `{ kind: 'CON'|'END'|'ERROR', text, status }`. */
  dial() {
    return this.hop();
  }

  /** Sends one more input; the gateway sees it appended to `text`. */
  reply(input) {
    this.inputs.push(input);
    return this.hop();
  }

  /** The person hung up while the gateway waited for input: AT reports it as Incomplete. */
  async cancel() {
    if (!this.open) return;
    this.state = 'closed';
    await this.notify('Incomplete');
  }

  async hop() {
    this.hops += 1;
    const answer = await this.client.ussd({
      sessionId: this.sessionId,
      serviceCode: this.serviceCode,
      phoneNumber: this.phoneNumber,
      networkCode: SANDBOX_NETWORK,
      text: this.text,
    });
    const screen = answer.status === 200 ? parseUssdAnswer(answer.body) : null;
    if (!screen) {
      this.state = 'closed';
      const reason = answer.status === 200 ? 'badAnswer' : answer.status === 0 ? 'unreachable' : 'httpStatus';
      void this.notify('Failed', `${reason} ${answer.status}`);
      return { kind: 'ERROR', text: '', status: answer.status, reason };
    }
    this.lastAppResponse = answer.body;
    this.state = screen.kind === 'END' ? 'closed' : 'open';
    if (screen.kind === 'END') void this.notify('Success');
    return { ...screen, status: answer.status };
  }

  notify(status, errorMessage) {
    return this.client.ussdEvent({
      sessionId: this.sessionId,
      serviceCode: this.serviceCode,
      phoneNumber: this.phoneNumber,
      networkCode: SANDBOX_NETWORK,
      status,
      input: this.text,
      durationInMillis: String(Date.now() - this.startedAt),
      hopsCount: String(this.hops),
      lastAppResponse: this.lastAppResponse,
      date: atDate(),
      ...(errorMessage ? { errorMessage } : {}),
    });
  }
}
