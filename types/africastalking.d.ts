/**
 * The subset of the `africastalking` SDK (0.8.x) that Kiungo uses. The package ships no types and
 * `@types/africastalking` 0.6 describes an older, different response shape.
 */
declare module 'africastalking' {
  namespace africastalking {
    interface ClientOptions {
      username: string;
      apiKey: string;
      format?: 'json' | 'xml';
    }

    interface SendSmsOptions {
      /** `+`-prefixed numbers; the SDK joins an array with commas. */
      to: string | string[];
      message: string;
      from?: string;
      senderId?: string;
      /** `true` sends `enqueue=1`, `false` sends `enqueue=0`, absent sends nothing. */
      enqueue?: boolean;
    }

    interface SmsRecipient {
      statusCode: number;
      number: string;
      /** `"Success"` for 100/101/102, the status name otherwise. */
      status: string;
      /** `"<ISO currency> <decimal>"`, or `"0"` on failure. */
      cost: string;
      /** `"None"` on failure. */
      messageId: string;
      messageParts?: number;
    }

    interface SendSmsResponse {
      SMSMessageData: {
        /** A human summary, or an error name such as `"InvalidSenderId"` with no recipients. */
        Message: string;
        Recipients: SmsRecipient[];
      };
    }

    interface Sms {
      /**
       * Resolves on HTTP 201 only; rejects with the response body on any other 2xx, with an
       * AxiosError on non-2xx or network failure, and with an Error when its own validation fails.
       */
      send(options: SendSmsOptions): Promise<SendSmsResponse>;
    }

    interface Client {
      SMS: Sms;
    }
  }

  function africastalking(options: africastalking.ClientOptions): africastalking.Client;

  export = africastalking;
}

declare module 'africastalking/lib/common' {
  /** Module-level endpoint URLs; `enableSandbox()` rewrites them for the whole process. */
  export const SMS_URL: string;
  export function enableSandbox(): void;
}
