/**
 * Reads the body of an Africa's Talking SMS send (`{ SMSMessageData: { Message, Recipients } }`)
 * into one verdict per number we asked for.
 */
import { z } from 'zod';
import { normalisePhone } from '../../kernel/phone';
import type { RecipientOutcome, SendOutcome } from '../../sms/outbound/sms-provider';
import { classifyRecipientStatus, parseCost } from './status-codes';

const recipientSchema = z.object({
  statusCode: z.coerce.number().int(),
  number: z.string(),
  status: z.string().default(''),
  cost: z.string().optional(),
  messageId: z.string().optional(),
  messageParts: z.coerce.number().int().positive().optional(),
});

const responseSchema = z.object({
  SMSMessageData: z.object({
    Message: z.string().default(''),
    Recipients: z.array(recipientSchema).default([]),
  }),
});

type AtRecipient = z.infer<typeof recipientSchema>;

/** A recipient the call was made for: the caller's string and its E.164 form. */
export interface RequestedNumber {
  input: string;
  e164: string;
}

export type BatchOutcome =
  | { kind: 'per_recipient'; recipients: RecipientOutcome[] }
  | Exclude<SendOutcome, { kind: 'per_recipient' }>;

/**
 * Interprets a send response for `requested`. An unreadable body is `uncertain` (AT answered 2xx,
 * so it may have queued something); no recipients at all (`Message: "InvalidSenderId"`) rejects
 * the call; a requested number missing from `Recipients` is `uncertain` for that number.
 */
export function interpretSendResponse(body: unknown, requested: RequestedNumber[], defaultCountry: string): BatchOutcome {
  const parsed = responseSchema.safeParse(body);
  if (!parsed.success) return { kind: 'uncertain', reason: 'UnreadableResponse' };
  const { Message: message, Recipients: recipients } = parsed.data.SMSMessageData;
  if (recipients.length === 0) return { kind: 'rejected', reason: message.trim() || 'NoRecipients', retryable: false };

  const byNumber = new Map<string, AtRecipient>();
  for (const recipient of recipients) {
    const normalised = normalisePhone(recipient.number, defaultCountry);
    const key = normalised.ok ? normalised.e164 : recipient.number;
    if (!byNumber.has(key)) byNumber.set(key, recipient);
  }
  return {
    kind: 'per_recipient',
    recipients: requested.map(({ input, e164 }) => {
      const recipient = byNumber.get(e164);
      return recipient ? toOutcome(input, recipient) : { number: input, result: 'uncertain', reason: 'MissingFromProviderResponse' };
    }),
  };
}

function toOutcome(number: string, recipient: AtRecipient): RecipientOutcome {
  const verdict = classifyRecipientStatus(recipient.statusCode, recipient.status);
  const statusCode = recipient.statusCode;
  switch (verdict.result) {
    case 'accepted': {
      const cost = parseCost(recipient.cost);
      return {
        number,
        result: 'accepted',
        providerMessageId: recipient.messageId ?? '',
        statusCode,
        ...(cost ? { cost } : {}),
        ...(recipient.messageParts !== undefined ? { parts: recipient.messageParts } : {}),
      };
    }
    case 'failed_permanent':
      return { number, result: 'failed_permanent', reason: verdict.reason, statusCode, ...(verdict.blacklisted ? { blacklisted: true } : {}) };
    case 'failed_retryable':
      return { number, result: 'failed_retryable', reason: verdict.reason, statusCode };
    case 'uncertain':
      return { number, result: 'uncertain', reason: verdict.reason };
  }
}
