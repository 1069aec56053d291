/** A handset as Africa's Talking sees it: one session id, cumulative `text` joined with `*`. */
import request from 'supertest';
import type express from 'express';
import { newSessionId, ussdText } from '../../scripts/lib/at-protocol';
import { ussdBody } from './at-bodies';

export class AtPhone {
  sessionId = '';
  private inputs: string[] = [];
  readonly screens: string[] = [];

  constructor(
    private readonly app: express.Express,
    readonly phoneNumber = '+255712345678',
    private readonly serviceCode = '*384*2015#',
    private readonly path = '/webhooks/africastalking/ussd',
  ) {}

  /** Starts a new session (new session id, empty text). */
  async dial(serviceCode = this.serviceCode, text = ''): Promise<string> {
    this.sessionId = newSessionId();
    this.inputs = text === '' ? [] : text.split('*');
    return this.post(serviceCode);
  }

  /** Sends one more input, as AT does: all inputs so far joined with `*`. */
  async send(input: string): Promise<string> {
    this.inputs.push(input);
    return this.post(this.serviceCode);
  }

  /** Re-posts the last request unchanged (an AT retry). */
  async retry(): Promise<string> {
    return this.post(this.serviceCode);
  }

  get text(): string {
    return ussdText(this.inputs);
  }

  private async post(serviceCode: string): Promise<string> {
    const response = await request(this.app)
      .post(this.path)
      .type('form')
      .send(ussdBody({ sessionId: this.sessionId, phoneNumber: this.phoneNumber, text: this.text, serviceCode }));
    if (response.status !== 200) throw new Error(`USSD webhook answered ${response.status}: ${response.text}`);
    if (!/^text\/plain/.test(String(response.headers['content-type']))) throw new Error('USSD answer is not text/plain');
    this.screens.push(response.text);
    return response.text;
  }
}
