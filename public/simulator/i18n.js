// Interface texts in Kiswahili (the default) and English. Screens and SMS come from the gateway
// and are shown as they arrive; only the simulator's own labels are translated here.

const TEXTS = {
  sw: {
    title: 'Kiigaji cha simu',
    subtitle: 'Jaribu huduma za USSD na SMS bila simu halisi.',
    language: 'Lugha',
    addPhone: 'Ongeza simu',
    removePhone: 'Ondoa simu',
    phoneHeading: 'Simu {n}',
    phoneNumber: 'Namba ya simu',
    serviceCode: 'Msimbo wa huduma',
    screen: 'Skrini ya USSD',
    idle: 'Andika msimbo kisha bonyeza Piga.',
    waiting: 'Inatuma ombi la USSD…',
    awaitingReply: 'Inasubiri jibu lako',
    ended: 'Kipindi kimeisha',
    cancelled: 'Umekatisha kipindi.',
    failed: 'Tatizo la muunganisho au msimbo batili wa MMI.',
    httpStatus: 'Lango lilijibu HTTP {status}.',
    badAnswer: 'Jibu halianzi na CON wala END.',
    unreachable: 'Lango halipatikani.',
    keyRejected: 'Ufunguo wa webhook umekataliwa.',
    reply: 'Jibu',
    dialInput: 'Msimbo au jibu',
    keypad: 'Vitufe',
    backspace: 'Futa herufi',
    dial: 'Piga',
    send: 'Tuma',
    cancel: 'Katisha',
    smsHeading: 'Tuma SMS kwa {shortCode}',
    smsPlaceholder: 'mf. MSAADA',
    smsPlaceholderKeyword: 'mf. {keyword} MSAADA',
    shortCode: 'Namba fupi ya SMS',
    smsSend: 'Tuma SMS',
    smsSent: 'SMS imetumwa.',
    smsFailed: 'SMS haikupokelewa (HTTP {status}).',
    inbox: 'Kikasha',
    unread: '{n} mpya',
    'state.sent': 'Imetumwa', 'state.delivered': 'Imefika', 'state.failed': 'Imeshindwa', 'state.skipped': 'Imerukwa', 'state.uncertain': 'Haina uhakika', 'state.queued': 'Foleni', 'state.sending': 'Inatumwa',
    inboxEmpty: 'Hakuna ujumbe bado.',
    inboxOff: 'Kikasha kinahitaji SMS_PROVIDER=outbox.',
    keyHeading: 'Ufunguo wa webhook',
    keyHint: 'Lango hili linahitaji WEBHOOK_KEY yake. Utahifadhiwa kwenye kivinjari hiki tu.',
    keySave: 'Hifadhi',
    keyForget: 'Sahau ufunguo',
    configFailed: 'Imeshindwa kusoma mipangilio ya kiigaji.',
  },
  en: {
    title: 'Phone simulator',
    subtitle: 'Try the USSD and SMS services without a handset.',
    language: 'Language',
    addPhone: 'Add phone',
    removePhone: 'Remove phone',
    phoneHeading: 'Phone {n}',
    phoneNumber: 'Phone number',
    serviceCode: 'Service code',
    screen: 'USSD screen',
    idle: 'Type the code, then press Dial.',
    waiting: 'Running USSD code…',
    awaitingReply: 'Waiting for your reply',
    ended: 'Session ended',
    cancelled: 'You cancelled the session.',
    failed: 'Connection problem or invalid MMI code.',
    httpStatus: 'The gateway answered HTTP {status}.',
    badAnswer: 'The answer starts with neither CON nor END.',
    unreachable: 'The gateway cannot be reached.',
    keyRejected: 'The webhook key was rejected.',
    reply: 'Reply',
    dialInput: 'Code or reply',
    keypad: 'Keypad',
    backspace: 'Delete a character',
    dial: 'Dial',
    send: 'Send',
    cancel: 'Cancel',
    smsHeading: 'Text the short code {shortCode}',
    smsPlaceholder: 'e.g. HELP',
    smsPlaceholderKeyword: 'e.g. {keyword} HELP',
    shortCode: 'SMS short code',
    smsSend: 'Send SMS',
    smsSent: 'SMS sent.',
    smsFailed: 'The SMS was not accepted (HTTP {status}).',
    inbox: 'Inbox',
    unread: '{n} new',
    'state.sent': 'Sent', 'state.delivered': 'Delivered', 'state.failed': 'Failed', 'state.skipped': 'Skipped', 'state.uncertain': 'Uncertain', 'state.queued': 'Queued', 'state.sending': 'Sending',
    inboxEmpty: 'No messages yet.',
    inboxOff: 'The inbox needs SMS_PROVIDER=outbox.',
    keyHeading: 'Webhook key',
    keyHint: 'This gateway requires its WEBHOOK_KEY. It is kept in this browser only.',
    keySave: 'Save',
    keyForget: 'Forget key',
    configFailed: 'Could not read the simulator settings.',
  },
};

export const LANGUAGES = ['sw', 'en'];
let current = 'sw';

export function setLanguage(lang) {
  current = LANGUAGES.includes(lang) ? lang : 'sw';
  document.documentElement.lang = current;
}

export function language() {
  return current;
}

/** The text for `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key, vars = {}) {
  const template = TEXTS[current][key] ?? TEXTS.en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_whole, name) => String(vars[name] ?? ''));
}

/**
 * Fills every `data-i18n` (text), `data-i18n-label` (aria-label) and `data-i18n-placeholder`
 * element under `root`. Elements may carry `data-i18n-vars` as JSON for their placeholders.
 */
export function translate(root) {
  for (const element of root.querySelectorAll('[data-i18n], [data-i18n-label], [data-i18n-placeholder]')) {
    const vars = element.dataset.i18nVars ? JSON.parse(element.dataset.i18nVars) : {};
    if (element.dataset.i18n) element.textContent = t(element.dataset.i18n, vars);
    if (element.dataset.i18nLabel) element.setAttribute('aria-label', t(element.dataset.i18nLabel, vars));
    if (element.dataset.i18nPlaceholder) element.setAttribute('placeholder', t(element.dataset.i18nPlaceholder, vars));
  }
}
