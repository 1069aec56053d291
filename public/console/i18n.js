// Interface texts in Kiswahili (default) and English; the choice is kept for the browser session.

import { MORE } from './texts-more.js';

const TEXTS = {
  sw: {
    skip: 'Ruka hadi maudhui', signout: 'Toka', langSwitch: 'English', langLabel: 'Switch to English',
    'nav.dashboard': 'Dashibodi', 'nav.compose': 'Tuma ujumbe', 'nav.agenda': 'Ratiba', 'nav.delegates': 'Washiriki', 'nav.funnel': 'USSD', 'nav.releases': 'Matoleo',
    'signin.title': 'Ingia kwenye dashibodi', 'signin.token': 'Tokeni ya msimamizi', 'signin.go': 'Ingia',
    'signin.help': 'Tokeni ni ile iliyowekwa kwenye ADMIN_TOKENS ya lango.', 'signin.bad': 'Tokeni si sahihi.',
    'dash.title': 'Dashibodi', 'dash.total': 'Waliojisajili', 'dash.byDay': 'Usajili kwa siku', 'dash.byCohort': 'Kwa kundi',
    'dash.byType': 'Kwa aina ya taasisi', 'dash.byChannel': 'Kwa njia', 'dash.recent': 'Matangazo ya karibuni', 'dash.delivery': 'Hali ya SMS',
    'dash.cost': 'Gharama', 'dash.none': 'Bado hakuna.', 'dash.noBroadcasts': 'Huduma ya matangazo haipatikani.',
    'compose.title': 'Tuma ujumbe kwa wengi', 'compose.name': 'Jina la tangazo', 'compose.audience': 'Wapokeaji',
    'aud.all': 'Wote', 'aud.cohorts': 'Makundi', 'aud.types': 'Aina za taasisi', 'aud.sessions': 'Vikao (waliojiandikisha kukumbushwa)', 'aud.list': 'Orodha ya namba',
    'aud.paste': 'Bandika namba (moja kwa mstari) au CSV', 'aud.file': 'Au chagua faili la CSV',
    'compose.sw': 'Ujumbe kwa Kiswahili', 'compose.en': 'Ujumbe kwa Kiingereza', 'compose.placeholders': 'Unaweza kutumia {name}, {code}, {session}.',
    'count.chars': 'herufi', 'count.segments': 'SMS', 'count.ucs': 'UCS-2 kwa sababu ya:',
    'compose.preview': 'Muhtasari', 'compose.recipients': 'Wapokeaji', 'compose.optedOut': 'wamejitoa', 'compose.invalid': 'namba batili',
    'compose.cost': 'Makadirio ya gharama', 'compose.quiet': 'Ni saa za utulivu: ujumbe utasubiri hadi', 'compose.urgent': 'Dharura (puuza saa za utulivu)',
    'compose.when': 'Tuma lini', 'compose.now': 'Sasa hivi', 'compose.at': 'Panga muda', 'compose.testPhone': 'Namba ya majaribio', 'compose.testSend': 'Tuma jaribio',
    'compose.send': 'Tuma', 'compose.schedule': 'Panga', 'compose.confirmTitle': 'Thibitisha tangazo', 'compose.confirm': 'Ndiyo, tuma', 'cancel': 'Ghairi',
    'compose.confirmText': 'Ujumbe utatumwa kwa {n} watu. Gharama inayokadiriwa: {cost}.', 'compose.testSent': 'Jaribio limetumwa.',
    'bc.title': 'Tangazo', 'bc.progress': 'Maendeleo', 'bc.rate': 'Kasi', 'bc.perSecond': 'kwa sekunde', 'bc.eta': 'Muda uliobaki', 'bc.pause': 'Simamisha',
    'bc.resume': 'Endelea', 'bc.cancel': 'Sitisha kabisa', 'bc.report': 'Pakua ripoti (CSV)', 'bc.resendFailed': 'Tuma tena walioshindwa', 'bc.resendUncertain': 'Tuma tena wasio na uhakika',
    'bc.confirmCancel': 'Sitisha tangazo hili? Waliobaki hawatapokea.',
    'state.queued': 'Foleni', 'state.sending': 'Inatumwa', 'state.sent': 'Imetumwa', 'state.delivered': 'Imefika', 'state.failed': 'Imeshindwa',
    'state.skipped': 'Imerukwa', 'state.uncertain': 'Haina uhakika', 'state.cancelled': 'Imesitishwa', 'state.scheduled': 'Imepangwa', 'state.paused': 'Imesimamishwa', 'state.completed': 'Imekamilika',
    'agenda.title': 'Ratiba', 'agenda.add': 'Ongeza kikao', 'agenda.import': 'Leta CSV', 'agenda.export': 'Pakua CSV', 'agenda.edit': 'Hariri', 'agenda.delete': 'Futa',
    'agenda.save': 'Hifadhi', 'agenda.confirmDelete': 'Futa kikao {code}?', 'agenda.saved': 'Imehifadhiwa.',
    'f.code': 'Msimbo', 'f.day': 'Siku', 'f.start': 'Mwanzo', 'f.end': 'Mwisho', 'f.title_sw': 'Kichwa (Kiswahili)', 'f.title_en': 'Kichwa (Kiingereza)',
    'f.short_sw': 'Kifupi (Kiswahili)', 'f.short_en': 'Kifupi (Kiingereza)', 'f.speaker': 'Mtoa mada (Kiswahili)', 'f.speaker_en': 'Mtoa mada (Kiingereza, hiari)', 'f.room': 'Ukumbi', 'f.theme': 'Mada', 'f.actions': 'Vitendo',
    'del.title': 'Washiriki', 'del.search': 'Tafuta', 'del.cohort': 'Kundi', 'del.type': 'Aina ya taasisi', 'del.any': 'Yoyote', 'del.export': 'Pakua CSV',
    'del.import': 'Leta CSV', 'del.erase': 'Futa', 'del.confirmErase': 'Futa kabisa taarifa za {phone}? Haiwezi kurejeshwa.', 'del.prev': 'Nyuma', 'del.next': 'Mbele',
    'del.phone': 'Simu', 'del.name': 'Jina', 'del.institution': 'Taasisi', 'del.code': 'Msimbo', 'del.registered': 'Alisajiliwa', 'del.of': 'kati ya',
    'del.imported': 'Wapya {created}, waliokuwepo {existing}, marudio {duplicates}, makosa {errors}.',
    'funnel.title': 'Safari ya USSD', 'funnel.entries': 'Waliofika', 'funnel.drop': 'Walioachia hapa', 'funnel.done': 'Walimaliza',
    'pack.label': 'Huduma', 'pack.switched': 'Sasa unasimamia: {name}', 'pack.sample': 'Taarifa za mfano',
    error: 'Hitilafu', loading: 'Inapakia…', retry: 'Jaribu tena',
  },
  en: {
    skip: 'Skip to content', signout: 'Sign out', langSwitch: 'Kiswahili', langLabel: 'Badili kwenda Kiswahili',
    'nav.dashboard': 'Dashboard', 'nav.compose': 'Broadcast', 'nav.agenda': 'Agenda', 'nav.delegates': 'Delegates', 'nav.funnel': 'USSD', 'nav.releases': 'Releases',
    'signin.title': 'Sign in to the console', 'signin.token': 'Admin token', 'signin.go': 'Sign in',
    'signin.help': "The token is one set in the gateway's ADMIN_TOKENS.", 'signin.bad': 'That token is not valid.',
    'dash.title': 'Dashboard', 'dash.total': 'Registered', 'dash.byDay': 'Registrations per day', 'dash.byCohort': 'By cohort',
    'dash.byType': 'By institution type', 'dash.byChannel': 'By channel', 'dash.recent': 'Recent broadcasts', 'dash.delivery': 'SMS delivery',
    'dash.cost': 'Cost', 'dash.none': 'Nothing yet.', 'dash.noBroadcasts': 'The broadcast service is not available.',
    'compose.title': 'Broadcast a message', 'compose.name': 'Broadcast name', 'compose.audience': 'Audience',
    'aud.all': 'Everyone', 'aud.cohorts': 'Cohorts', 'aud.types': 'Institution types', 'aud.sessions': 'Sessions (reminder subscribers)', 'aud.list': 'List of numbers',
    'aud.paste': 'Paste numbers (one per line) or CSV', 'aud.file': 'Or choose a CSV file',
    'compose.sw': 'Message in Kiswahili', 'compose.en': 'Message in English', 'compose.placeholders': 'You may use {name}, {code}, {session}.',
    'count.chars': 'characters', 'count.segments': 'SMS', 'count.ucs': 'UCS-2 because of:',
    'compose.preview': 'Preview', 'compose.recipients': 'Recipients', 'compose.optedOut': 'opted out', 'compose.invalid': 'invalid numbers',
    'compose.cost': 'Estimated cost', 'compose.quiet': 'Quiet hours now: the message will wait until', 'compose.urgent': 'Urgent (ignore quiet hours)',
    'compose.when': 'When', 'compose.now': 'Now', 'compose.at': 'Schedule', 'compose.testPhone': 'Test phone number', 'compose.testSend': 'Send a test',
    'compose.send': 'Send', 'compose.schedule': 'Schedule', 'compose.confirmTitle': 'Confirm the broadcast', 'compose.confirm': 'Yes, send', 'cancel': 'Cancel',
    'compose.confirmText': 'The message goes to {n} people. Estimated cost: {cost}.', 'compose.testSent': 'Test sent.',
    'bc.title': 'Broadcast', 'bc.progress': 'Progress', 'bc.rate': 'Rate', 'bc.perSecond': 'per second', 'bc.eta': 'Time left', 'bc.pause': 'Pause',
    'bc.resume': 'Resume', 'bc.cancel': 'Cancel broadcast', 'bc.report': 'Download report (CSV)', 'bc.resendFailed': 'Re-send failed', 'bc.resendUncertain': 'Re-send uncertain',
    'bc.confirmCancel': 'Cancel this broadcast? The remaining people will not get it.',
    'state.queued': 'Queued', 'state.sending': 'Sending', 'state.sent': 'Sent', 'state.delivered': 'Delivered', 'state.failed': 'Failed',
    'state.skipped': 'Skipped', 'state.uncertain': 'Uncertain', 'state.cancelled': 'Cancelled', 'state.scheduled': 'Scheduled', 'state.paused': 'Paused', 'state.completed': 'Completed',
    'agenda.title': 'Agenda', 'agenda.add': 'Add session', 'agenda.import': 'Import CSV', 'agenda.export': 'Download CSV', 'agenda.edit': 'Edit', 'agenda.delete': 'Delete',
    'agenda.save': 'Save', 'agenda.confirmDelete': 'Delete session {code}?', 'agenda.saved': 'Saved.',
    'f.code': 'Code', 'f.day': 'Day', 'f.start': 'Start', 'f.end': 'End', 'f.title_sw': 'Title (Kiswahili)', 'f.title_en': 'Title (English)',
    'f.short_sw': 'Short (Kiswahili)', 'f.short_en': 'Short (English)', 'f.speaker': 'Speaker (Kiswahili)', 'f.speaker_en': 'Speaker (English, optional)', 'f.room': 'Room', 'f.theme': 'Theme', 'f.actions': 'Actions',
    'del.title': 'Delegates', 'del.search': 'Search', 'del.cohort': 'Cohort', 'del.type': 'Institution type', 'del.any': 'Any', 'del.export': 'Download CSV',
    'del.import': 'Import CSV', 'del.erase': 'Erase', 'del.confirmErase': 'Erase all data of {phone} for good? This cannot be undone.', 'del.prev': 'Previous', 'del.next': 'Next',
    'del.phone': 'Phone', 'del.name': 'Name', 'del.institution': 'Institution', 'del.code': 'Code', 'del.registered': 'Registered', 'del.of': 'of',
    'del.imported': 'New {created}, existing {existing}, duplicates {duplicates}, errors {errors}.',
    'funnel.title': 'USSD funnel', 'funnel.entries': 'Reached', 'funnel.drop': 'Dropped here', 'funnel.done': 'Finished',
    'pack.label': 'Service', 'pack.switched': 'Now managing: {name}', 'pack.sample': 'Sample data',
    error: 'Error', loading: 'Loading…', retry: 'Try again',
  },
};
Object.assign(TEXTS.sw, MORE.sw);
Object.assign(TEXTS.en, MORE.en);
const store = window.sessionStorage;
let lang = store.getItem('kiungo.lang') === 'en' ? 'en' : 'sw';

/** The text for `key` in the current language, with {name} filled from `vars`. */
export function t(key, vars) {
  const text = TEXTS[lang][key] || TEXTS.sw[key] || key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (vars && name in vars ? String(vars[name]) : whole));
}

/** The text for `key` in the form for `n` (`key.one` for 1, `key.other` else, or `key`), with {n} filled. */
export function tn(key, n, vars) {
  const form = `${key}.${n === 1 ? 'one' : 'other'}`;
  const chosen = TEXTS[lang][form] || TEXTS.sw[form] ? form : TEXTS[lang][`${key}.one`] ? `${key}.one` : key;
  return t(chosen, { n, ...(vars || {}) });
}

/** True when the current language has a text for `key` (so a server message can be replaced). */
export function has(key) { return Boolean(TEXTS[lang][key]); }

export function getLang() { return lang; }

/** Switches the language and re-labels every `data-i18n` element. */
export function setLang(next) {
  lang = next === 'en' ? 'en' : 'sw';
  store.setItem('kiungo.lang', lang);
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.getAttribute('data-i18n')); });
}

/** A bilingual value ({ sw, en }) in the current language. */
export function pick(value) {
  return value ? value[lang] ?? value.sw ?? '' : '';
}

// Check-in desk, questions to the panel and feedback.
Object.assign(TEXTS.sw, {
  'nav.checkin': 'Mapokezi', 'nav.questions': 'Maswali', 'nav.feedback': 'Tathmini',
  'checkin.title': 'Mapokezi: thibitisha kufika', 'checkin.search': 'Tafuta kwa namba ya usajili, simu au jina', 'checkin.placeholder': 'mf. K7MQ4, 0712 345 678, Mushi',
  'checkin.go': 'Thibitisha kufika', 'checkin.again': 'Amethibitishwa', 'checkin.notYet': 'Bado hajafika', 'checkin.done': 'Amefika {at}',
  'checkin.ok': '{name}: kufika kumethibitishwa.', 'checkin.already': '{name}: alikwisha thibitishwa leo.', 'checkin.none': 'Hakuna mshiriki anayelingana.',
  'checkin.summary': 'Wamefika: {present} kati ya {registered} waliojisajili',
  'q.title': 'Maswali kwa wazungumzaji', 'q.session': 'Kikao', 'q.choose': 'Chagua kikao', 'q.none': 'Bado hakuna swali kwa kikao hiki.', 'q.refresh': 'Onyesha upya',
  'q.approve': 'Idhinisha', 'q.hide': 'Ficha', 'q.answered': 'Limejibiwa', 'q.pending': 'Rudisha kusubiri', 'q.projector': 'Kiungo cha projekta', 'q.open': 'Fungua projekta',
  'q.status.pending': 'Linasubiri', 'q.status.approved': 'Limeidhinishwa', 'q.status.hidden': 'Limefichwa', 'q.status.answered': 'Limejibiwa',
  'fb.title': 'Tathmini', 'fb.who': 'Nani aombwe tathmini kikao kikiisha', 'fb.aud.subscribers': 'Walioomba kikumbusho cha kikao', 'fb.aud.cohort': 'Kundi zima la siku hiyo', 'fb.aud.off': 'Hakuna',
  'fb.saved': 'Imehifadhiwa.', 'fb.export': 'Pakua tathmini (CSV)', 'fb.summary': 'Tathmini {count}, wastani {average}/5', 'fb.none': 'Bado hakuna tathmini.',
  'fb.survey.title': 'Tathmini ya mkutano (SMS)', 'fb.survey.send': 'Tuma tathmini ya mkutano', 'fb.survey.confirm': 'Tuma swali la kwanza la tathmini kwa kila aliyejisajili ambaye hajaanza?',
  'fb.survey.sent': 'Imetumwa kwa {n}.', 'fb.survey.counts': 'Walioanza: {started} · Waliomaliza: {completed}', 'fb.survey.export': 'Pakua matokeo (CSV)', 'fb.unrated': 'Bado hazina tathmini',
});
Object.assign(TEXTS.en, {
  'nav.checkin': 'Check-in', 'nav.questions': 'Questions', 'nav.feedback': 'Feedback',
  'checkin.title': 'Check-in desk', 'checkin.search': 'Search by registration code, phone or name', 'checkin.placeholder': 'e.g. K7MQ4, 0712 345 678, Mushi',
  'checkin.go': 'Check in', 'checkin.again': 'Checked in', 'checkin.notYet': 'Not checked in', 'checkin.done': 'Checked in {at}',
  'checkin.ok': '{name}: checked in.', 'checkin.already': '{name}: already checked in today.', 'checkin.none': 'No delegate matches.',
  'checkin.summary': 'Checked in: {present} of {registered} registered',
  'q.title': 'Questions to the panel', 'q.session': 'Session', 'q.choose': 'Choose a session', 'q.none': 'No question for this session yet.', 'q.refresh': 'Refresh',
  'q.approve': 'Approve', 'q.hide': 'Hide', 'q.answered': 'Answered', 'q.pending': 'Back to pending', 'q.projector': 'Projector link', 'q.open': 'Open the projector',
  'q.status.pending': 'Pending', 'q.status.approved': 'Approved', 'q.status.hidden': 'Hidden', 'q.status.answered': 'Answered',
  'fb.title': 'Feedback', 'fb.who': 'Who is asked for a rating when a session ends', 'fb.aud.subscribers': 'Its reminder subscribers', 'fb.aud.cohort': 'The whole cohort of that day', 'fb.aud.off': 'Nobody',
  'fb.saved': 'Saved.', 'fb.export': 'Download ratings (CSV)', 'fb.summary': '{count} ratings, average {average}/5', 'fb.none': 'No ratings yet.',
  'fb.survey.title': 'Conference survey (SMS)', 'fb.survey.send': 'Send the conference survey', 'fb.survey.confirm': 'Send the first survey question to every registered delegate who has not started it?',
  'fb.survey.sent': 'Sent to {n}.', 'fb.survey.counts': 'Started: {started} · Completed: {completed}', 'fb.survey.export': 'Download results (CSV)', 'fb.unrated': 'Not rated yet',
});

// The system view: worker layout, the worker child, SMS throughput settings.
Object.assign(TEXTS.sw, {
  'nav.system': 'Mfumo', 'sys.title': 'Mfumo: michakato na mipangilio ya SMS', 'sys.layout': 'Mpangilio', 'sys.mode': 'SERVICE_MODE', 'sys.workerLayout': 'WORKER_LAYOUT',
  'sys.httpPid': 'pid ya HTTP', 'sys.uptime': 'Muda tangu kuanza', 'sys.node': 'Node', 'sys.workers': 'Wafanyakazi wa foleni',
  'sys.inline': 'Wafanyakazi wa foleni wanaendeshwa ndani ya mchakato huu wa HTTP (WORKER_LAYOUT=inline).', 'sys.noWorkers': 'Hakuna wafanyakazi wa foleni katika mchakato huu (SERVICE_MODE={mode}).',
  'sys.state.running': 'Unaendelea', 'sys.state.starting': 'Unaanza', 'sys.state.restarting': 'Umesimama, unaanzishwa upya', 'sys.state.stopped': 'Umesimamishwa', 'sys.state.crashLoop': 'Unaanguka mara kwa mara',
  'sys.pid': 'pid', 'sys.startedAt': 'Ulianza', 'sys.restarts': 'Mara ulizoanzishwa upya', 'sys.lastRestart': 'Ulipoanguka mwisho', 'sys.never': 'Bado haujaanguka',
  'sys.lastReason': 'Sababu', 'sys.lived': 'uliishi {d}', 'sys.nextStart': 'Utaanza tena',
  'sys.sms': 'Kasi ya SMS', 'sys.provider': 'SMS_PROVIDER', 'sys.rate': 'SMS_RATE_PER_SECOND', 'sys.maxInFlight': 'SMS_MAX_IN_FLIGHT',
  'sys.concurrency': 'SMS_WORKER_CONCURRENCY', 'sys.batch': 'SMS_BATCH_SIZE',
  'sys.storage': 'Muundo wa data kwenye Redis', 'sys.storage.layout': 'Muundo wa toleo hili',
  'sys.storage.running': 'Wafanyakazi wa foleni wanaofanya kazi ({n})', 'sys.storage.waitingList': 'Wafanyakazi wa foleni wanaosubiri ({n})',
  'sys.storage.worker': '{about} · muundo {layout} · inathibitishwa tena ndani ya sekunde {s}',
  'sys.storage.none': 'Hakuna mfanyakazi wa foleni anayefanya kazi kwenye Redis hii: SMS hazitumwi.',
  'sys.storage.waiting': 'Wanaosubiri: {n} wa muundo {waiting}, kwa sababu wafanyakazi wa foleni wa muundo {running} bado wanafanya kazi. Wasimamishe hao ili wanaosubiri waanze (au subiri sekunde 30 baada ya mfanyakazi kufa).',
  'sys.storage.unknown': 'Redis haikujibu: orodha ya wafanyakazi wa foleni haipatikani sasa.',
  'sys.storage.mixed': 'Wafanyakazi wa foleni wa miundo {layouts} wanafanya kazi pamoja (Redis ilipoteza orodha yao): simamisha wa muundo mmoja mara moja.',
});
Object.assign(TEXTS.en, {
  'nav.system': 'System', 'sys.title': 'System: processes and SMS settings', 'sys.layout': 'Layout', 'sys.mode': 'SERVICE_MODE', 'sys.workerLayout': 'WORKER_LAYOUT',
  'sys.httpPid': 'HTTP pid', 'sys.uptime': 'Up for', 'sys.node': 'Node', 'sys.workers': 'Queue workers',
  'sys.inline': 'The queue workers run inside this HTTP process (WORKER_LAYOUT=inline).', 'sys.noWorkers': 'No queue workers in this process (SERVICE_MODE={mode}).',
  'sys.state.running': 'Running', 'sys.state.starting': 'Starting', 'sys.state.restarting': 'Down, restarting', 'sys.state.stopped': 'Stopped', 'sys.state.crashLoop': 'Restarting in a loop',
  'sys.pid': 'pid', 'sys.startedAt': 'Started', 'sys.restarts': 'Restarts', 'sys.lastRestart': 'Last death', 'sys.never': 'None yet',
  'sys.lastReason': 'Why', 'sys.lived': 'ran {d}', 'sys.nextStart': 'Starts again',
  'sys.sms': 'SMS throughput', 'sys.provider': 'SMS_PROVIDER', 'sys.rate': 'SMS_RATE_PER_SECOND', 'sys.maxInFlight': 'SMS_MAX_IN_FLIGHT',
  'sys.concurrency': 'SMS_WORKER_CONCURRENCY', 'sys.batch': 'SMS_BATCH_SIZE',
  'sys.storage': 'Stored layout on Redis', 'sys.storage.layout': 'This build\'s layout',
  'sys.storage.running': 'Queue workers running ({n})', 'sys.storage.waitingList': 'Queue workers waiting ({n})',
  'sys.storage.worker': '{about} · layout {layout} · renewed within {s} s',
  'sys.storage.none': 'No queue worker runs on this Redis: no SMS goes out.',
  'sys.storage.waiting': 'Waiting: {n} of layout {waiting}, because queue workers of layout {running} still run. Stop those for the waiting ones to start (or wait 30 s after a worker died).',
  'sys.storage.unknown': 'Redis did not answer: the list of queue workers is not available now.',
  'sys.storage.mixed': 'Queue workers of layouts {layouts} run together (Redis lost their list): stop those of one layout now.',
});
