/** Names the conference's flows may test in `when:` conditions. */
import type { Condition } from '../engine';
import type { EventContext } from './context';

/** Each condition's value for the caller now; `null` and `false` read as false. */
export const EVENT_CONDITIONS: Readonly<Record<string, Condition<EventContext>>> = {
  /** `delegate != null`: the caller is registered (null when not). */
  delegate: ({ ctx }) => (ctx.delegate ? true : null),
  registered: ({ ctx }) => (ctx.delegate ? true : null),
  /** The caller has a reminder for the chosen `values.session`. */
  subscribed: ({ ctx, values }) => typeof values.session === 'string' && ctx.reminders.includes(values.session),
  has_reminders: ({ ctx }) => ctx.reminders.length > 0,
  /** `invited`: organisers invited this phone and it has not registered yet. */
  invited: ({ ctx }) => (ctx.invitee && !ctx.delegate ? true : null),
  /** The event is sample data (screens say so). */
  sample: ({ ctx }) => ctx.event.sample,
};
