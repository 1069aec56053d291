/**
 * A real SMSC on loopback for tests and the bench, built with the same `smpp` library: binds
 * transceivers (checking system_id/password), answers submit_sm with message ids, answers
 * enquire_link, records every PDU, and can send deliver_sm (receipts, phones' messages), hold
 * responses back, refuse submits or drop the connection.
 */
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';

export interface ReceivedSubmit {
  messageId: string;
  destination: string;
  source: string;
  dataCoding: number;
  esmClass: number;
  text: string;
  udh?: Buffer;
  registeredDelivery: number;
  /** Epoch ms when the SMSC read it. */
  at: number;
}

export interface SmscOptions {
  systemId?: string;
  password?: string;
  /** Decides each submit_sm's command_status (0 = accept). */
  status?: (submit: ReceivedSubmit, count: number) => number;
  /** Called after a submit_sm is recorded and before it is answered; `false` holds the answer back. */
  beforeAnswer?: (submit: ReceivedSubmit, count: number, session: smpp.Session) => boolean;
  /** Automatic DELIVRD receipt for every accepted submit that asked for one. */
  autoReceipt?: boolean;
}

export interface TestSmsc {
  url: string;
  port: number;
  submits: ReceivedSubmit[];
  binds: Array<{ systemId: string; password: string; systemType: string }>;
  enquireLinks: number;
  sessions(): smpp.Session[];
  /** Sends a deliver_sm to the first bound session; resolves with its response's command_status. */
  deliver(fields: Record<string, unknown>): Promise<number>;
  receipt(messageId: string, stat: string, err?: string): Promise<number>;
  dropConnections(): void;
  close(): Promise<void>;
}

export async function startSmsc(options: SmscOptions = {}): Promise<TestSmsc> {
  const systemId = options.systemId ?? 'kiungo';
  const password = options.password ?? 'secret12';
  const bound: smpp.Session[] = [];
  let nextId = 1;
  const state: Pick<TestSmsc, 'submits' | 'binds' | 'enquireLinks'> = { submits: [], binds: [], enquireLinks: 0 };

  const server = smpp.createServer({}, (session) => {
    session.socket.setNoDelay(true);
    session.on('error', () => undefined);
    session.on('close', () => { const at = bound.indexOf(session); if (at >= 0) bound.splice(at, 1); });
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      state.binds.push({ systemId: String(pdu.system_id), password: String(pdu.password), systemType: String(pdu.system_type ?? '') });
      if (pdu.system_id !== systemId || pdu.password !== password) {
        session.send(pdu.response({ command_status: smpp.ESME_RBINDFAIL as number }));
        session.close();
        return;
      }
      bound.push(session);
      session.send(pdu.response({ system_id: 'TESTSMSC' }));
    });
    session.on('enquire_link', (pdu: smpp.PDU) => { state.enquireLinks += 1; session.send(pdu.response()); });
    session.on('unbind', (pdu: smpp.PDU) => { session.send(pdu.response()); session.close(); });
    session.on('submit_sm', (pdu: smpp.PDU) => {
      const message = pdu.short_message as smpp.DecodedMessage | undefined;
      const submit: ReceivedSubmit = {
        messageId: `M${nextId++}`, destination: String(pdu.destination_addr), source: String(pdu.source_addr ?? ''),
        at: Date.now(), dataCoding: Number(pdu.data_coding), esmClass: Number(pdu.esm_class), registeredDelivery: Number(pdu.registered_delivery),
        text: typeof message?.message === 'string' ? message.message : String(message?.message ?? ''),
        ...(message?.udh?.[0] ? { udh: message.udh[0] } : {}),
      };
      state.submits.push(submit);
      const count = state.submits.length;
      if (options.beforeAnswer && !options.beforeAnswer(submit, count, session)) return;
      const status = options.status?.(submit, count) ?? 0;
      session.send(pdu.response(status === 0 ? { message_id: submit.messageId } : { command_status: status }));
      if (status === 0 && options.autoReceipt && submit.registeredDelivery) setImmediate(() => { void smsc.receipt(submit.messageId, 'DELIVRD'); });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as AddressInfo).port;

  const smsc: TestSmsc = {
    url: `smpp://127.0.0.1:${port}`,
    port,
    get submits() { return state.submits; },
    get binds() { return state.binds; },
    get enquireLinks() { return state.enquireLinks; },
    sessions: () => [...bound],
    deliver(fields) {
      const session = bound[0];
      if (!session) return Promise.reject(new Error('no bound session'));
      return new Promise((resolve) => { session.deliver_sm(fields, (response) => resolve(response.command_status)); });
    },
    receipt(messageId, stat, err = '000') {
      const text = `id:${messageId} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2608201000 done date:2608201001 stat:${stat} err:${err} text:`;
      return smsc.deliver({ source_addr: '255712000001', destination_addr: 'KIUNGO', esm_class: 0x04, short_message: text });
    },
    dropConnections() {
      for (const session of [...server.sessions]) session.destroy();
    },
    async close() {
      for (const session of [...server.sessions]) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return smsc;
}
