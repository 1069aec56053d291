// The services (flow packs) a gateway offers the simulator: which code to dial for each, which
// short code to text, and the keyword that opens an SMS when several services share a short code.

import { language } from './i18n.js';

function nameOf(service) {
  return service.name ? service.name[language()] ?? service.name.sw ?? '' : '';
}

/** The services in config.json, or one holding the legacy `serviceCodes` and `shortCode`. */
export function servicesOf(settings) {
  if (Array.isArray(settings.services) && settings.services.length > 0) return settings.services;
  return [{ serviceCodes: settings.serviceCodes ?? [], shortCodes: settings.shortCode ? [settings.shortCode] : [] }];
}

/** One option per service code, labelled with its service's name when there is one. */
export function serviceCodeOptions(settings) {
  return servicesOf(settings).flatMap((service) => service.serviceCodes.map((code) => {
    const name = nameOf(service);
    return { value: code, label: name ? `${code} · ${name}` : code };
  }));
}

/** One option per distinct short code, labelled with the names of the services answering on it. */
export function shortCodeOptions(settings) {
  const names = new Map();
  for (const service of servicesOf(settings)) {
    for (const code of service.shortCodes) {
      if (!names.has(code)) names.set(code, []);
      if (nameOf(service)) names.get(code).push(nameOf(service));
    }
  }
  return [...names].map(([code, list]) => ({ value: code, label: list.length ? `${code} · ${list.join(', ')}` : code }));
}

/** The short code of the service answering on `serviceCode`, or undefined when none does. */
export function shortCodeFor(settings, serviceCode) {
  return servicesOf(settings).find((service) => service.serviceCodes.includes(serviceCode))?.shortCodes[0];
}

/**
 * The keyword an SMS to `shortCode` must start with to reach the service dialled on
 * `serviceCode`: only when other services share that short code and the service has one.
 */
export function keywordFor(settings, shortCode, serviceCode) {
  const services = servicesOf(settings);
  const sharing = services.filter((service) => service.shortCodes.includes(shortCode));
  if (sharing.length < 2) return undefined;
  return sharing.find((service) => service.serviceCodes.includes(serviceCode))?.keyword;
}
