/**
 * Named list providers for `list` nodes. A provider turns the event data (and the caller's context)
 * into numbered rows; adding one is a new file plus one line here.
 */
import type { EventData } from '../event-schema';
import type { EngineContext, Language } from '../../engine/types';
import { cohorts } from './cohorts';
import { days } from './days';
import { institutionTypes } from './institution-types';
import { myReminders } from './my-reminders';
import { nowNext } from './now-next';
import { sessionsOfDay } from './sessions-of-day';
import { sessionsOfTheme } from './sessions-of-theme';
import { themes } from './themes';

export interface ListItem {
  value: string;
  label: string;
}

export interface ProviderArgs {
  ctx: EngineContext;
  event: EventData;
  lang: Language;
  params: Record<string, string>;
  /** Raw catalogue text (for short prefixes such as "Sasa:"). */
  t(key: string): string;
}

export interface ListProvider {
  name: string;
  /** Parameters the list node must pass (templates filled before the call). */
  params: string[];
  /** Catalogue keys the provider uses. */
  messages: string[];
  items(args: ProviderArgs): ListItem[];
  /** Every row it could ever show for this event (flows:check measures these). */
  universe(args: Omit<ProviderArgs, 'ctx' | 'params'>): ListItem[];
}

export const LIST_PROVIDERS: Record<string, ListProvider> = Object.fromEntries(
  [days, sessionsOfDay, themes, sessionsOfTheme, nowNext, myReminders, institutionTypes, cohorts].map((p) => [p.name, p]),
);

/** Rows of a named provider; an unknown provider yields no rows (flows:check reports it). */
export function listItems(name: string, args: ProviderArgs): ListItem[] {
  return LIST_PROVIDERS[name]?.items(args) ?? [];
}
