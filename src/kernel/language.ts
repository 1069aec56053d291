/**
 * The languages every screen and every SMS exists in. Kiswahili is first: it is the default
 * wherever nothing else is known. Adding a language starts here; the compiler then points at
 * every table that needs a text for it.
 */
import { z } from 'zod';

export const LANGUAGES = ['sw', 'en'] as const;

export type Language = (typeof LANGUAGES)[number];

/** Each language's name as its speakers write it (shown on language menus and confirmations). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { sw: 'Kiswahili', en: 'English' };

/** Whether `value` is one of {@link LANGUAGES}; never throws. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** Schema of one of {@link LANGUAGES}. */
export const LanguageSchema = z.enum(LANGUAGES);

/** Schema of an object with one `schema` value per language, no other key (e.g. a label in every language). */
export function perLanguage<S extends z.ZodType>(schema: S): z.ZodObject<Record<Language, S>> {
  return z.object(Object.fromEntries(LANGUAGES.map((lang) => [lang, schema])) as Record<Language, S>).strict();
}
