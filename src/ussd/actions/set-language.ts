/** Switches the session's language; kept for the phone (on its registration, or per phone before it registers). */
import { isLanguage } from '../../kernel/language';
import { param, type HostAction } from './types';

export const setLanguage: HostAction = async (call, deps) => {
  const lang = param(call, 'lang');
  if (!isLanguage(lang)) return { result: 'error' };
  await deps.delegates.setLanguage(call.pack.id, call.phone, lang);
  return { result: 'ok', values: { lang }, language: lang };
};
