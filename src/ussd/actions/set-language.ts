/** Switches the session's language; saved on the delegate when the caller is registered. */
import { isLanguage } from '../../kernel/language';
import { param, type HostAction } from './types';

export const setLanguage: HostAction = async (call, deps) => {
  const lang = param(call, 'lang');
  if (!isLanguage(lang)) return { result: 'error' };
  await deps.delegates.update(call.pack.id, call.phone, { language: lang });
  return { result: 'ok', values: { lang }, language: lang };
};
