/**
 * Broadcast placeholders: {name}, {code}, {session}. A text without them is identical for all.
 * Organisers type these texts (they are not catalogue entries), so only the three placeholders are
 * filled and any other brace stays as typed.
 */
import { sessionVariables } from '../event/catalogue';
import type { EventData } from '../event/event-schema';
import { LANGUAGES, type Language } from '../kernel/language';
import type { BroadcastDraft } from './broadcast-types';
import type { AudienceMember } from './audience';

const PLACEHOLDER = /\{(name|code|session)\}/g;

/** How a broadcast greets someone whose name it does not know. */
const NO_NAME: Readonly<Record<Language, string>> = { sw: 'Mshiriki', en: 'Delegate' };

export function isPersonalised(text: string): boolean {
  return /\{(name|code|session)\}/.test(text);
}

/** Fills the placeholders for one recipient; unknown values become a neutral word, never "undefined". */
export function renderFor(text: string, member: Pick<AudienceMember, 'delegate' | 'lang'>, session: string): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    if (name === 'name') return member.delegate?.name ?? NO_NAME[member.lang];
    if (name === 'code') return member.delegate?.code ?? '-';
    return session;
  });
}

/** What `{session}` shows for session `code`: its short name from the one session table, the code when the agenda has no such session. */
export function sessionPlaceholder(event: EventData, code: string, lang: Language): string {
  const session = event.sessions.find((s) => s.code === code);
  return session ? sessionVariables(event, session, lang)['session.short'] : code;
}

/** The draft's text for a language, falling back to the other languages in order. */
export function textFor(draft: BroadcastDraft, lang: Language): string {
  return [lang, ...LANGUAGES].map((l) => draft.messages[l]).find((text) => text?.trim()) ?? '';
}
