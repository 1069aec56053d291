/**
 * Structured JSON logs (pino). Every string in a log line passes through `maskPhones`, so a phone
 * number never reaches the logs in clear, whoever logged it.
 */
import pino, { type Logger } from 'pino';
import { maskPhone } from './phone';

export type { Logger };
export { maskPhone };

const PHONE = /(?<![\w])\+?\d{10,15}(?![\w])/g;

/** Masks every run of 10-15 digits (optionally with +) inside `text`. */
export function maskPhones(text: string): string {
  return text.replace(PHONE, (match) => maskPhone(match));
}

function maskDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskPhones(value);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[key] = maskDeep(inner, depth + 1);
  return out;
}

/** The root logger; pass `destination` to capture lines in tests. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'kiungo' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: (object) => maskDeep(object) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskPhones(arg) : arg)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    },
    destination,
  );
}
