/**
 * `SAJILI Jina Kamili, Taasisi` / `REG Full Name, Institution`: registers from one line and asks
 * for what is missing. Separators: comma, semicolon, slash or a newline.
 */
import { delegateVariables } from '../../../event/catalogue';
import { reply, say, type KeywordHandler } from '../command-types';

export const registerCommand: KeywordHandler = async (call, deps) => {
  const { pack, lang, phone } = call;
  if (call.delegate) return [reply(say(pack, lang, 'sms.register_exists', { 'delegate.name': call.delegate.name, 'delegate.code': call.delegate.code }))];
  const [name = '', institution = '', cohort = ''] = call.args.split(/[,;/\n]+/).map((part) => part.replace(/\s+/g, ' ').trim());
  if (name.length < 3) return [reply(say(pack, lang, 'sms.register_usage'))];
  if (institution.length < 2) return [reply(say(pack, lang, 'sms.register_need_institution', { name }))];
  const event = await deps.agenda.get(pack.id);
  const cohortId = event.cohorts.find((c) => c.id === cohort || c.id.endsWith(cohort))?.id ?? '';
  const result = await deps.delegates.register(
    pack.id,
    { phone, name: name.slice(0, 40), institution: institution.slice(0, 50), institutionType: '', cohort: cohortId, language: lang, channel: 'sms' },
    deps.clock.now(),
  );
  const key = result.status === 'created' ? 'sms.registered' : 'sms.register_exists';
  return [{ text: say(pack, lang, key, delegateVariables(event, result.delegate, lang)), purpose: 'confirmation' }];
};
