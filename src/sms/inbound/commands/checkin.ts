/**
 * `NIPO <namba ya usajili>` / `HERE <code>`: checks the sender in for today. The code must be the
 * sender's own (a code read off someone else's SMS checks nobody in); without a code a registered
 * sender is checked in by their phone. Twice is the same as once.
 */
import { localDate, localDateTime, shortDate } from '../../../kernel/local-time';
import { reply, say, type KeywordHandler } from '../command-types';

/** A registration code as typed: case, spaces and dashes do not matter. */
export function registrationCodeOf(arg: string): string {
  return arg.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

export const checkinCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  const code = registrationCodeOf(call.args.split(/\s+/)[0] ?? '');
  if (!deps.engage) return [reply(say(pack, lang, 'sms.unknown'))];
  let delegate = call.delegate;
  if (code) {
    const owner = (await deps.delegates.findByCode(pack.id, code)) ?? (await deps.delegates.findByCode(pack.id, call.args.trim().toUpperCase()));
    if (!owner) return [reply(say(pack, lang, 'sms.checkin_unknown', { regcode: code }))];
    if (owner.phone !== phone) return [reply(say(pack, lang, 'sms.checkin_not_yours', { regcode: code }))];
    delegate = owner;
  }
  if (!delegate) return [reply(say(pack, lang, 'sms.checkin_usage'))];
  const event = await deps.agenda.get(pack.id);
  const now = deps.clock.now();
  const day = localDate(now, event.utcOffset);
  const result = await deps.engage.checkins.checkIn(pack.id, { phone: delegate.phone, day, at: now.toISOString(), by: 'sms' });
  const vars = { 'delegate.name': delegate.name, 'delegate.code': delegate.code, date: shortDate(day), time: localDateTime(result.at, event.utcOffset).slice(11, 16) };
  return [reply(say(pack, lang, result.created ? 'sms.checkin_ok' : 'sms.checkin_exists', vars))];
};
