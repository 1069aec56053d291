/**
 * Plays a USSD conversation through the real USSD service, built as the gateway builds it (the
 * Redis stores on the private test Redis, a fixed clock), the way Africa's Talking drives it: one
 * session id, cumulative `text`. Each hop comes back with its screen, the engine effects the
 * service recorded and the SMS it queued. Registration codes are fixed only when the test file
 * mocks the generator (see fixed-registration-codes.ts); seeding checks that it does.
 */
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import type { Effect, Language } from '../../src/engine';
import type { EventPack } from '../../src/event/event-pack';
import type { NewDelegate } from '../../src/event/delegates';
import { ussdBody } from './at-bodies';
import { queueRegistrationCodes, resetRegistrationCodes } from './fixed-registration-codes';
import { createUssdStack, type UssdStack } from './ussd-stack';

export const CALLER = '+255754000001';
export const SERVICE_CODE = '*384*2015#';
/** 09:10 in Arusha on the first conference day. */
export const FIXED_NOW = '2015-08-17T09:10:00+03:00';

/** The delegate of transcripts that start registered (`setup.registered`). */
export const REGISTERED = {
  name: 'Asha Juma Mwinyi', institution: 'Wizara ya Fedha', institutionType: 'ministry', cohort: '1', code: 'EG-0101',
} as const;

export interface PlayerSetup {
  /** The caller's language: a registered caller's saved language, else the gateway's default. */
  lang: Language;
  now?: string;
  registered?: boolean;
  /** Registered by SMS with name and institution only (no institution type, no cohort). */
  registeredBySms?: boolean;
  /** An organiser has edited the agenda: the stored event is no longer the pack's sample. */
  agendaEdited?: boolean;
  reminders?: readonly string[];
  /** Organisers invited the caller with these details (name with title, institution, type id, cohort id). */
  invited?: { name: string; institution: string; institutionType: string; cohort: string };
  /** `error`: every store write of the actions fails, so each action answers `error`. */
  forceOutcome?: 'error';
  /** This action passes its deadline: the hop answers the late END, then the action completes and its result SMS is collected with the hop. */
  slowAction?: string;
  packs?: EventPack[];
  /** `service` calls `UssdService.handle`; `http` posts AT's form to the webhook. Default `service`. */
  transport?: 'service' | 'http';
  phone?: string;
}

export interface QueuedSms {
  to: string;
  text: string;
}

export interface PlayedHop {
  input: string | null;
  screen: string;
  effects: string[];
  sms: QueuedSms[];
}

/** One effect as one readable line: its type, then whichever of its fields it has. */
export function effectLine(effect: Effect): string {
  return [effect.type, effect.node, effect.reason, effect.to, effect.action, effect.result, effect.lang, effect.code]
    .filter((part) => part !== undefined)
    .map(String)
    .join(' ');
}

export class UssdPlayer {
  private sessionId = '';
  private inputs: string[] = [];

  private constructor(readonly stack: UssdStack, readonly setup: PlayerSetup, readonly pack: EventPack, readonly phone: string) {}

  /** Builds the stack and seeds the setup's registration and reminders. */
  static async start(setup: PlayerSetup): Promise<UssdPlayer> {
    const stack = await createUssdStack({
      now: new Date(setup.now ?? FIXED_NOW).toISOString(),
      defaultLanguage: setup.lang,
      failingWrites: setup.forceOutcome === 'error',
      ...(setup.slowAction ? { slowAction: setup.slowAction } : {}),
      ...(setup.packs ? { packs: setup.packs } : {}),
    });
    const pack = stack.packs.find((p) => p.serviceCodes.includes(SERVICE_CODE));
    if (!pack) throw new Error(`no pack answers ${SERVICE_CODE}`);
    const player = new UssdPlayer(stack, setup, pack, setup.phone ?? CALLER);
    resetRegistrationCodes();
    if (setup.registered) await player.registerWithCode(REGISTERED.code, { ...REGISTERED, language: setup.lang, channel: 'ussd' });
    if (setup.registeredBySms) await player.registerWithCode(REGISTERED.code, { ...REGISTERED, institutionType: '', cohort: '', language: setup.lang, channel: 'sms' });
    if (setup.agendaEdited) await stack.agenda.put(pack.id, { ...(await stack.agenda.get(pack.id)), sample: false });
    for (const code of setup.reminders ?? []) await stack.reminders.subscribe(pack.id, player.phone, code);
    if (setup.invited) await stack.invitees.putMany(pack.id, [{ ...setup.invited, phone: player.phone, invitedAt: stack.clock.now().toISOString() }]);
    return player;
  }

  /** Registers the caller in the store with exactly `code`. */
  private async registerWithCode(code: string, fields: Omit<NewDelegate, 'phone'>): Promise<void> {
    queueRegistrationCodes(code);
    const { delegate } = await this.stack.delegates.register(this.pack.id, { ...fields, phone: this.phone }, this.stack.clock.now());
    if (delegate.code !== code) {
      throw new Error("registration codes are random in this test file: add jest.mock('…/src/event/registration-code', () => jest.requireActual('…/support/fixed-registration-codes'))");
    }
  }

  /** A new session; `text` is what AT carries on the first hop of a dialled deep link (`2*1*1`). */
  async dial(text = ''): Promise<PlayedHop> {
    this.sessionId = `ATUid_${randomBytes(12).toString('hex')}`;
    this.inputs = text === '' ? [] : text.split('*');
    return this.hop(null);
  }

  /** The caller registers by SMS meanwhile (with `code`), as the SMS channel would record it. */
  async registerBySms(code: string): Promise<void> {
    await this.registerWithCode(code, { ...REGISTERED, language: this.setup.lang, channel: 'sms' });
  }

  /** One more input on the same session, as AT sends it: every input so far joined with `*`. */
  async send(input: string): Promise<PlayedHop> {
    this.inputs.push(input);
    return this.hop(input);
  }

  async close(): Promise<void> {
    await this.stack.close();
  }

  private async hop(input: string | null): Promise<PlayedHop> {
    const hopsBefore = this.stack.hops.length;
    const smsBefore = this.stack.outbound.sent.length;
    const screen = await this.answer(this.inputs.join('*'));
    // A slow action runs on after its hop answered: let it finish and count its SMS with the hop.
    if (this.setup.slowAction) {
      this.stack.releaseSlow();
      await this.stack.service.settled();
    }
    const effects = this.stack.hops.slice(hopsBefore).flatMap((hop) => hop.effects.map(effectLine));
    const sms = this.stack.outbound.sent.slice(smsBefore).map((sent) => ({ to: sent.to, text: sent.text }));
    return { input, screen, effects, sms };
  }

  private async answer(text: string): Promise<string> {
    const fields = { sessionId: this.sessionId, phoneNumber: this.phone, text, serviceCode: SERVICE_CODE };
    if (this.setup.transport !== 'http') {
      return this.stack.service.handle({ sessionId: fields.sessionId, serviceCode: SERVICE_CODE, phone: this.phone, networkCode: '64004', text });
    }
    const response = await request(this.stack.app).post('/webhooks/africastalking/ussd').type('form').send(ussdBody(fields));
    if (response.status !== 200) throw new Error(`USSD webhook answered ${response.status}: ${response.text}`);
    return response.text;
  }
}
