/** Switches the language; saved on the delegate when the caller is registered. */
import { param, type HostAction } from './types';

export const setLanguage: HostAction = async (call, deps) => {
  const lang = param(call, 'lang');
  if (lang !== 'sw' && lang !== 'en') return { result: 'error' };
  await deps.delegates.update(call.pack.id, call.phone, { language: lang });
  return { result: 'ok', values: { lang } };
};
