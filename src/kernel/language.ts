/**
 * The languages every screen and every SMS exists in. Kiswahili is first: it is the default
 * wherever nothing else is known. Adding a language starts here; the compiler then points at
 * every table that needs a text for it.
 */
export const LANGUAGES = ['sw', 'en'] as const;

export type Language = (typeof LANGUAGES)[number];

/** Each language's name as its speakers write it (shown on language menus and confirmations). */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { sw: 'Kiswahili', en: 'English' };

/** Whether `value` is one of {@link LANGUAGES}; never throws. */
export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}
