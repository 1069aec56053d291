/**
 * The engine runs any service's flow, given that service's vocabulary: here a small clinic queue
 * (not a conference) with its own list, variables, condition and action. Nothing in src/engine
 * names any of them.
 */
import { createEngine, defineVocabulary, type FlowNode, type FlowPack, type StepResult } from '../../src/engine';
import { FlowNodeSchema } from '../../src/engine/nodes/schemas';

interface ClinicContext {
  patient: { name: string; ticket: string } | null;
  clinics: Array<{ id: string; name: string; waiting: number }>;
}

const clinicVocabulary = defineVocabulary<ClinicContext>({
  lists: {
    clinics: {
      params: [],
      messages: [],
      items: ({ ctx }) => ctx.clinics.map((c) => ({ value: c.id, label: `${c.name} (${c.waiting})` })),
      universe: ({ ctx }) => ctx.clinics.map((c) => ({ value: c.id, label: `${c.name} (${c.waiting})` })),
    },
  },
  variables: {
    names: ['patient.name', 'patient.ticket', 'clinic.name'],
    values: ({ ctx, values }) => ({
      'patient.name': ctx.patient?.name,
      'patient.ticket': ctx.patient?.ticket,
      'clinic.name': ctx.clinics.find((c) => c.id === values.clinic)?.name,
    }),
    maxLengths: () => ({ 'patient.name': 30, 'patient.ticket': 4, 'clinic.name': 20 }),
  },
  conditions: { checked_in: ({ ctx }) => ctx.patient !== null },
  actions: { take_ticket: { params: ['clinic'], outcomes: ['ok', 'full'] } },
  callerLanguage: () => 'en',
});

const nodes: Record<string, unknown> = {
  home: { type: 'menu', text: 'home.title', options: [
    { label: 'home.queue', next: 'pick', when: '!checked_in' },
    { label: 'home.ticket', next: 'ticket', when: 'checked_in' },
  ] },
  pick: { type: 'list', provider: 'clinics', assign: 'clinic', next: 'take', emptyText: 'pick.none' },
  take: { type: 'action', action: 'take_ticket', params: { clinic: '{values.clinic}' }, outcomes: { ok: 'done', full: 'full' } },
  done: { type: 'end', text: 'done' },
  full: { type: 'end', text: 'full' },
  ticket: { type: 'end', text: 'ticket' },
};

const messages = {
  'home.title': 'Clinic queue', 'home.queue': 'Join a queue', 'home.ticket': 'My ticket', 'pick.none': 'No clinic open',
  done: 'Ticket {values.ticket} for {clinic.name}. Wait for your number.', full: '{clinic.name} is full today.',
  ticket: '{patient.name}: ticket {patient.ticket}', 'failure.generic': 'Sorry, something went wrong.',
};

const pack: FlowPack = {
  id: 'clinic', name: { sw: 'Kliniki', en: 'Clinic' }, version: 'v1', serviceCodes: ['*150*9#'], languages: ['sw', 'en'],
  defaultLanguage: 'sw', screen: { maxChars: 160, maxCharsUcs2: 70, maxSteps: 50, maxAutoTransitions: 10 },
  nav: { back: { key: '0', label: { sw: 'Rudi', en: 'Back' } }, home: { key: '00', label: { sw: 'Mwanzo', en: 'Home' } }, more: { key: '98', label: { sw: 'Zaidi', en: 'More' } } },
  start: 'home',
  nodes: Object.fromEntries(Object.entries(nodes).map(([id, raw]): [string, FlowNode] => [id, FlowNodeSchema.parse(raw)])),
  values: { clinic: { maxLength: 8 }, ticket: { maxLength: 4 } },
  messages: { sw: messages, en: messages },
  keywords: {},
};

const engine = createEngine(clinicVocabulary);
const world: ClinicContext = { patient: null, clinics: [{ id: 'dental', name: 'Dental', waiting: 4 }, { id: 'eye', name: 'Eye clinic', waiting: 0 }] };

describe('an engine with a non-conference vocabulary', () => {
  test('lists, conditions, the action and its variables all come from the vocabulary', () => {
    const start = engine.startSession(pack, world);
    expect(start.snapshot.lang).toBe('en');
    expect(start.screen).toEqual({ type: 'CON', text: 'Clinic queue\n1. Join a queue' });
    const pick = engine.step(pack, start.snapshot, '1', world);
    expect(pick.screen?.text).toBe('1. Dental (4)\n2. Eye clinic (0)\n0. Back');
    const pending = engine.step(pack, pick.snapshot, '2', world);
    expect(pending.pendingAction).toEqual({ name: 'take_ticket', params: { clinic: 'eye' } });
    const done: StepResult = engine.resolveAction(pack, pending.snapshot, { result: 'ok', values: { ticket: 'E017' } }, world);
    expect(done.screen).toEqual({ type: 'END', text: 'Ticket E017 for Eye clinic. Wait for your number.' });
  });

  test('the same flow reads another caller\'s context through the vocabulary only', () => {
    const checkedIn: ClinicContext = { ...world, patient: { name: 'Neema', ticket: 'D004' } };
    const start = engine.startSession(pack, checkedIn);
    expect(start.screen?.text).toBe('Clinic queue\n1. My ticket');
    expect(engine.step(pack, start.snapshot, '1', checkedIn).screen).toEqual({ type: 'END', text: 'Neema: ticket D004' });
  });

  test('an action the vocabulary does not know ends the session cleanly', () => {
    const other = createEngine({ ...clinicVocabulary, actions: {} });
    const pick = other.step(pack, other.startSession(pack, world).snapshot, '1', world);
    const result = other.step(pack, pick.snapshot, '1', world);
    expect(result.failure?.code).toBe('FLOW.UNKNOWN_ACTION');
    expect(result.screen).toEqual({ type: 'END', text: 'Sorry, something went wrong.' });
  });

  test('any action may switch the session language; one the pack does not offer is ignored', () => {
    const pick = engine.step(pack, engine.startSession(pack, world).snapshot, '1', world);
    const pending = engine.step(pack, pick.snapshot, '1', world);
    const switched = engine.resolveAction(pack, pending.snapshot, { result: 'full', language: 'sw' }, world);
    expect(switched.snapshot.lang).toBe('sw');
    expect(switched.effects).toContainEqual({ type: 'language_changed', lang: 'sw' });
    const kept = engine.resolveAction(pack, pending.snapshot, { result: 'full', language: 'fr' as never }, world);
    expect(kept.snapshot.lang).toBe('en');
    expect(kept.screen?.text).toBe('Dental is full today.');
  });
});
