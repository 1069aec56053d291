/** Broadcast placeholders: {name}, {code}, {session}. A text without them is identical for all. */
import type { Language } from '../engine';
import type { BroadcastDraft } from './broadcast-types';
import type { AudienceMember } from './audience';

const PLACEHOLDER = /\{(name|code|session)\}/g;

export function isPersonalised(text: string): boolean {
  return /\{(name|code|session)\}/.test(text);
}

/** Fills the placeholders for one recipient; unknown values become a neutral word, never "undefined". */
export function renderFor(text: string, member: Pick<AudienceMember, 'delegate' | 'lang'>, session: string): string {
  return text.replace(PLACEHOLDER, (_all, name: string) => {
    if (name === 'name') return member.delegate?.name ?? (member.lang === 'sw' ? 'Mshiriki' : 'Delegate');
    if (name === 'code') return member.delegate?.code ?? '-';
    return session;
  });
}

/** The draft's text for a language, falling back to the other language. */
export function textFor(draft: BroadcastDraft, lang: Language): string {
  return (lang === 'sw' ? (draft.messages.sw ?? draft.messages.en) : (draft.messages.en ?? draft.messages.sw)) ?? '';
}
