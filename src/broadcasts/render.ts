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
import { fillColumns } from './merge-sheet';

const PLACEHOLDER = /\{(name|code|session)\}/g;

/** How a broadcast greets someone whose name it does not know. */
const NO_NAME: Readonly<Record<Language, string>> = { sw: 'Mshiriki', en: 'Delegate' };

/** True when the text differs per recipient: a gateway placeholder, or a column of the merge sheet. */
export function isPersonalised(text: string, columns: readonly string[] = []): boolean {
  return /\{(name|code|session)\}/.test(text) || columns.some((c) => text.includes(`{${c}}`));
}

/** Fills the placeholders for one recipient (and its merge-sheet `values`); unknown values become a neutral word, never "undefined". */
export function renderFor(text: string, member: Pick<AudienceMember, 'delegate' | 'lang'>, session: string, values?: Record<string, string>): string {
  return fillColumns(text, values).replace(PLACEHOLDER, (_all, name: string) => {
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
