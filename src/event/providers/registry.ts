/**
 * The conference's list providers for `list` nodes: each turns the event data (and the caller's
 * context) into numbered rows. Adding one is a new file plus one line here.
 */
import type { ListProvider } from '../../engine';
import type { EventContext } from '../context';
import { cohorts } from './cohorts';
import { days } from './days';
import { institutionTypes } from './institution-types';
import { myDays } from './my-days';
import { myReminders } from './my-reminders';
import { nowNext } from './now-next';
import { sessionsOfDay } from './sessions-of-day';
import { sessionsOfTheme } from './sessions-of-theme';
import { themes } from './themes';

/** A provider with the name list nodes use for it (`provider: days`). */
export interface EventListProvider extends ListProvider<EventContext> {
  name: string;
}

export const EVENT_LIST_PROVIDERS: Readonly<Record<string, EventListProvider>> = Object.fromEntries(
  [days, myDays, sessionsOfDay, themes, sessionsOfTheme, nowNext, myReminders, institutionTypes, cohorts].map((p) => [p.name, p]),
);
