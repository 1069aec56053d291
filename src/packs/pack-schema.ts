/**
 * Schemas of a pack's files: pack.yaml, ussd.yaml (nodes are checked one by one with the engine's
 * node schemas), messages.<lang>.yaml, keywords.yaml. event.yaml uses src/domain/event.ts.
 */
import { z } from 'zod';
import { LanguageSchema, perLanguage } from '../kernel/language';

export { LanguageSchema };

/**
 * The SMS side of a pack: the short codes it answers on and its pack keyword, the first word of
 * `KEYWORD SUBKEYWORD PARAM` messages (`EGOV2016 RATIBA 1`) on a short code shared with other
 * packs. `default` takes the messages without a pack keyword on those short codes.
 */
export const PackSmsSchema = z
  .object({
    shortCodes: z.array(z.string().regex(/^\d{3,8}$/, 'use the 3 to 8 digits of a short code, e.g. "15001"')).default([]),
    keyword: z.string().regex(/^[A-Z][A-Z0-9]{1,19}$/, 'use capital letters and digits, one word, e.g. EGOV2016').optional(),
    default: z.boolean().default(false),
  })
  .strict();
export type PackSms = z.infer<typeof PackSmsSchema>;

const NavKeySchema = z.object({ key: z.string().regex(/^\d{1,3}$/, 'use 1 to 3 digits'), label: perLanguage(z.string().min(1)) }).strict();

export const PackFileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and -'),
    name: perLanguage(z.string().min(1)),
    serviceCodes: z.array(z.string().regex(/^\*\d+(\*\d+)*#$/, 'use a USSD code like *384*2015#')).min(1),
    sms: PackSmsSchema.optional(),
    languages: z.array(LanguageSchema).min(1),
    defaultLanguage: LanguageSchema,
    screen: z
      .object({
        maxChars: z.number().int().min(60).max(182).default(160),
        maxCharsUcs2: z.number().int().min(30).max(91).default(70),
        maxSteps: z.number().int().min(10).max(1000).default(200),
        maxAutoTransitions: z.number().int().min(1).max(100).default(20),
      })
      .strict()
      .default({ maxChars: 160, maxCharsUcs2: 70, maxSteps: 200, maxAutoTransitions: 20 }),
    nav: z.object({ back: NavKeySchema, home: NavKeySchema, more: NavKeySchema }).strict(),
  })
  .strict();
export type PackFile = z.infer<typeof PackFileSchema>;

export const UssdFileSchema = z
  .object({
    start: z.string().min(1),
    /** Values that are not collected by an input or list (e.g. an action's `code`), with their longest length. */
    values: z.record(z.string(), z.object({ maxLength: z.number().int().min(0).max(500) }).strict()).default({}),
    nodes: z.record(z.string(), z.unknown()),
  })
  .strict();

/** Messages may be nested maps; keys are joined with dots ("home.title"). */
export type MessageTree = { [key: string]: string | MessageTree };
export const MessageTreeSchema: z.ZodType<MessageTree> = z.lazy(() => z.record(z.string(), z.union([z.string(), MessageTreeSchema])));

export const CORE_KEYWORD_COMMANDS = ['register', 'agenda', 'session', 'remind', 'mine', 'stop', 'unremind', 'start', 'help', 'language', 'now'] as const;
/** Commands a pack may leave out: rating a session, a question to the panel, check-in. */
export const OPTIONAL_KEYWORD_COMMANDS = ['rate', 'ask', 'checkin'] as const;
export const KEYWORD_COMMANDS = [...CORE_KEYWORD_COMMANDS, ...OPTIONAL_KEYWORD_COMMANDS] as const;
export type KeywordCommand = (typeof KEYWORD_COMMANDS)[number];

const WordsSchema = z.array(z.string().regex(/^[A-Z][A-Z0-9]*$/, 'use capital letters and digits, one word')).min(1);

/** The SMS keyword table: for each command, its words per language (every core command is required). */
export const KeywordsFileSchema = z
  .object({
    commands: z.partialRecord(z.enum(KEYWORD_COMMANDS), perLanguage(WordsSchema)).superRefine((commands, ctx) => {
      for (const command of CORE_KEYWORD_COMMANDS)
        if (commands[command] === undefined) ctx.addIssue({ code: 'custom', path: [command], message: `add the words of '${command}'` });
    }),
  })
  .strict();
export type KeywordTable = z.infer<typeof KeywordsFileSchema>;

export function flattenMessages(tree: MessageTree, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out[full] = value;
    else Object.assign(out, flattenMessages(value, full));
  }
  return out;
}
