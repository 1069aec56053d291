/**
 * Organisers' changes to the live event: replace it, import sessions, add, change or remove one
 * session. Every change is validated as a whole event before it is stored, and the reminder
 * schedule is told about it afterwards.
 */
import { EventSchema, eventProblems, type EventData, type EventSession } from '../event/event-schema';
import { AppError } from '../kernel/errors';
import type { Logger } from '../kernel/logger';
import type { AgendaRepository } from '../event/agenda';
import { sessionsFromCsv } from './agenda-csv';

export type AgendaChanged = (packId: string, before: EventData, after: EventData) => Promise<void>;

export interface AgendaEditorDeps {
  agenda: AgendaRepository;
  packId: string;
  onAgendaChanged?: AgendaChanged;
  logger: Logger;
}

export interface AgendaChange {
  event: EventData;
  /** False when storing worked but the reminder schedule could not follow (logged). */
  remindersUpdated: boolean;
}

function unprocessable(message: string, details: unknown): AppError {
  return new AppError('AGENDA.UNPROCESSABLE', message, details);
}

/** The editor's use cases; each resolves to the stored event or throws a coded AppError. */
export function createAgendaEditor(deps: AgendaEditorDeps) {
  /** Validates `next`, stores it and notifies; `edit` turns the current event into the next. */
  const change = async (edit: (current: EventData) => EventData): Promise<AgendaChange> => {
    const before = await deps.agenda.get(deps.packId);
    const parsed = EventSchema.safeParse(edit(structuredClone(before)));
    if (!parsed.success) throw unprocessable('The event is not valid; see details.', parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
    const problems = eventProblems(parsed.data);
    if (problems.length > 0) throw unprocessable('The event does not hold together; see details.', problems);
    const after = { ...parsed.data, sample: false };
    await deps.agenda.put(deps.packId, after);
    let remindersUpdated = true;
    if (deps.onAgendaChanged) {
      try {
        await deps.onAgendaChanged(deps.packId, before, after);
      } catch (error) {
        remindersUpdated = false;
        deps.logger.error({ err: error, packId: deps.packId }, 'agenda stored but reminders did not follow');
      }
    }
    return { event: after, remindersUpdated };
  };

  const findSession = (event: EventData, code: string): number => {
    const index = event.sessions.findIndex((s) => s.code === code.toUpperCase());
    if (index < 0) throw new AppError('SESSION.NOT_FOUND', `No session with code ${code}.`);
    return index;
  };

  return {
    get: () => deps.agenda.get(deps.packId),
    replace: (event: unknown) => change(() => event as EventData),
    importSessions: async (csv: string) => {
      const read = sessionsFromCsv(csv);
      if (!read.ok) throw unprocessable('Some CSV rows are not valid; nothing was changed. See details (by line).', read.problems);
      return change((current) => ({ ...current, sessions: read.sessions }));
    },
    addSession: (session: EventSession) =>
      change((current) => {
        if (current.sessions.some((s) => s.code === session.code)) throw new AppError('SESSION.CONFLICT', `A session with code ${session.code} already exists.`);
        return { ...current, sessions: [...current.sessions, session] };
      }),
    patchSession: (code: string, changes: Partial<Omit<EventSession, 'code'>>) =>
      change((current) => {
        const index = findSession(current, code);
        const sessions = [...current.sessions];
        sessions[index] = { ...(sessions[index] as EventSession), ...changes };
        return { ...current, sessions };
      }),
    deleteSession: (code: string) =>
      change((current) => {
        const index = findSession(current, code);
        return { ...current, sessions: current.sessions.filter((_, i) => i !== index) };
      }),
  };
}
