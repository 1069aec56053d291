/**
 * The subset of the `smpp` package (0.5.x, client and server) that Kiungo uses. The package ships
 * no types and none are published for it.
 */
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Socket } from 'node:net';

  namespace smpp {
    /** A decoded short_message: the text and, with esm_class UDHI set, the header elements. */
    interface DecodedMessage {
      message: string | Buffer;
      udh?: Buffer[];
    }

    /** What `short_message` accepts when sending: text (encoded by `data_coding`), raw bytes, or text after a UDH. */
    type ShortMessage = string | Buffer | { udh?: Buffer; message: string | Buffer };

    interface PDU {
      command: string;
      command_id: number;
      command_status: number;
      sequence_number: number;
      [field: string]: unknown;
      isResponse(): boolean;
      response(options?: Record<string, unknown>): PDU;
    }

    interface PDUConstructor {
      new (command: string, options?: Record<string, unknown>): PDU;
    }

    interface Session extends EventEmitter {
      socket: Socket;
      send(pdu: PDU, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      close(callback?: () => void): void;
      destroy(callback?: () => void): void;
      pause(): void;
      resume(): void;
      bind_transceiver(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      submit_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void, sendCallback?: (pdu: PDU) => void): boolean;
      deliver_sm(options: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      enquire_link(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
      unbind(options?: Record<string, unknown>, responseCallback?: (pdu: PDU) => void): boolean;
    }

    interface Server extends EventEmitter {
      sessions: Session[];
      listen(port: number, host?: string, callback?: () => void): this;
      close(callback?: (error?: Error) => void): this;
      address(): { port: number; address: string } | string | null;
    }

    interface ConnectOptions {
      url?: string;
      host?: string;
      port?: number;
      auto_enquire_link_period?: number;
      debug?: boolean;
    }
  }

  const smpp: {
    connect(options: smpp.ConnectOptions, listener?: () => void): smpp.Session;
    createServer(options: { debug?: boolean }, listener: (session: smpp.Session) => void): smpp.Server;
    PDU: smpp.PDUConstructor;
    ESM_CLASS: Record<string, number>;
    ENCODING: Record<string, number>;
    [constant: string]: unknown;
  };
  export = smpp;
}
