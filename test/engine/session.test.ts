/**
 * Sessions: what the engine's step functions decide (pending actions, outcomes, loop guards, a
 * node gone after a deploy, resume), and what a caller then sees through the real USSD service
 * (language, home as the root, input after END, navigation keys).
 */
import { resumePrompt, type FlowNode, type StepResult } from '../../src/engine';
import { renderCurrent, resolveAction, startSession, step, type EngineContext } from '../../src/event/engine';
import type { EventPack } from '../../src/event/event-pack';
import { SYSTEM_SCREENS } from '../../src/ussd/system-messages';
import { CALLER, FIXED_NOW, REGISTERED, UssdPlayer, type PlayerSetup } from '../support/ussd-player';
import { samplePacks } from '../support/ussd-stack';

jest.mock('../../src/event/registration-code', () => jest.requireActual('../support/fixed-registration-codes'));

const pack = samplePacks().find((p) => p.id === 'egov2015') as EventPack;
const context = (overrides: Partial<EngineContext> = {}): EngineContext => ({
  now: FIXED_NOW, phone: CALLER, delegate: null, event: pack.event, reminders: [], ...overrides,
});
const registered = { ...REGISTERED, language: 'sw' as const };

/** Starts a session and feeds `inputs` to the engine (no host: pending actions stay pending). */
function walk(flows: EventPack, inputs: string[], ctx = context()): StepResult {
  let result = startSession(flows, ctx);
  for (const input of inputs) result = step(flows, result.snapshot, input, ctx);
  return result;
}

function withNodes(base: EventPack, nodes: Record<string, FlowNode>, screen: Partial<EventPack['screen']> = {}): EventPack {
  return { ...base, nodes: { ...base.nodes, ...nodes }, screen: { ...base.screen, ...screen } };
}

/** The screens a caller sees for `inputs` after dialling, through the real service. */
async function screens(setup: Omit<PlayerSetup, 'lang'> & { lang?: PlayerSetup['lang'] }, inputs: string[]): Promise<string[]> {
  const player = await UssdPlayer.start({ lang: 'sw', ...setup });
  try {
    const seen = [(await player.dial()).screen];
    for (const input of inputs) seen.push((await player.send(input)).screen);
    return seen;
  } finally {
    await player.close();
  }
}

describe('engine sessions', () => {
  test('an action node returns a pending action and no screen, then the outcome decides', () => {
    const ctx = context({ delegate: registered });
    const pending = walk(pack, ['3', '1', '1', '2', '1'], ctx); // (registered: 2 is my agenda) agenda, by day, day 1, S102, remind me
    expect(pending.screen).toBeUndefined();
    expect(pending.pendingAction).toEqual({ name: 'subscribe_reminder', params: { session: 'S102' } });
    const done = resolveAction(pack, pending.snapshot, { result: 'ok' }, ctx);
    expect(done.screen?.type).toBe('CON');
    expect(done.snapshot.node).toBe('remind_done');
  });

  test('an outcome with no mapping ends with a failure screen', () => {
    const chosen = walk(pack, ['5', '2']);
    expect(chosen.pendingAction?.name).toBe('set_language');
    const result = resolveAction(pack, chosen.snapshot, { result: 'teapot' }, context());
    expect(result.failure?.code).toBe('FLOW.UNMAPPED_OUTCOME');
    expect(result.screen?.type).toBe('END');
    expect(result.snapshot.ended).toBe(true);
  });

  test('home reached by an outcome has an empty trail', () => {
    const home = resolveAction(pack, walk(pack, ['5', '2']).snapshot, { result: 'ok' }, context());
    expect(home.snapshot).toMatchObject({ node: pack.start, history: [] });
  });

  test('loop guard: automatic transitions without input end cleanly', () => {
    const looping = withNodes(pack, {
      home: { type: 'menu', options: [{ label: 'home.agenda', next: 'loop_a' }] },
      loop_a: { type: 'route', next: 'loop_b' },
      loop_b: { type: 'route', next: [{ when: 'registered', to: 'home' }, { to: 'loop_a' }] },
    });
    const result = walk(looping, ['1']);
    expect(result.failure?.code).toBe('FLOW.LOOP');
    expect(result.screen?.type).toBe('END');
    expect(result.screen?.text).toMatch(/^Samahani/);
  });

  test('loop guard: too many steps in one session end cleanly', () => {
    const capped = withNodes(pack, {}, { maxSteps: 10 });
    const ctx = context();
    let result = startSession(capped, ctx);
    const failures: Array<string | undefined> = [];
    for (let i = 0; i < 11; i++) {
      result = step(capped, result.snapshot, '9', ctx);
      failures.push(result.failure?.code);
    }
    expect(failures.slice(0, 10)).toEqual(Array(10).fill(undefined));
    expect(failures[10]).toBe('FLOW.TOO_MANY_STEPS');
    expect(result.screen?.type).toBe('END');
  });

  test('a node gone after a deploy fails cleanly; a changed version with the node present continues', () => {
    const home = startSession(pack, context()).snapshot;
    const gone = step(pack, { ...home, node: 'removed_node' }, '1', context());
    expect(gone.failure?.code).toBe('FLOW.NODE_MISSING');
    const moved = step(pack, { ...home, flowVersion: 'old' }, '2', context());
    expect(moved.snapshot.node).toBe('agenda');
    expect(moved.snapshot.flowVersion).toBe(pack.version);
  });

  test('input to an ended session is refused with a failure, not a crash', () => {
    const ended = resolveAction(pack, walk(pack, ['2', '1', '1', '1', '1']).snapshot, { result: 'error' }, context());
    expect(ended.snapshot.ended).toBe(true);
    expect(step(pack, ended.snapshot, '1', context()).failure?.code).toBe('SESSION.ENDED');
  });

  test('resume: renderCurrent shows the same page again; resumePrompt shows both languages', () => {
    const page2 = walk(pack, ['2', '1', '1', '98']);
    expect(renderCurrent(pack, page2.snapshot, context()).screen).toEqual(page2.screen);
    expect(resumePrompt(pack, 'sw')).toEqual({ type: 'CON', text: 'Je, uendelee ulipoishia?\n1. Endelea (Continue)\n2. Anza upya (Start over)' });
    expect(resumePrompt(pack, 'en').text).toBe('Continue where you left off?\n1. Continue (Endelea)\n2. Start over (Anza upya)');
  });
});

describe('sessions through the USSD service', () => {
  test('an unknown caller gets the gateway default language, a registered one their own', async () => {
    expect((await screens({}, []))[0]).toMatch(/^CON Karibu/);
    expect((await screens({ lang: 'en' }, []))[0]).toMatch(/^CON Welcome/);
    expect((await screens({ lang: 'en', registered: true }, []))[0]).toMatch(/^CON Welcome/);
  });

  test('set_language ok switches the session language', async () => {
    const [, , english] = await screens({}, ['5', '2']);
    expect(english).toMatch(/^CON Welcome/);
  });

  test('home is the root: reached by an outcome or a link, it has no Back line, and 0 stays home', async () => {
    const seen = await screens({}, ['5', '2', '6', '1', '1', '0']);
    const home = seen[2] ?? '';
    expect(home).toMatch(/^CON Welcome/);
    expect(home).not.toMatch(/\n0\. /);
    expect(seen[5]).toBe(home); // help -> SMS keywords -> main menu
    expect(seen[6]).toBe(home); // Back at home is home
  });

  test('input after END gets the session-ended screen, never a crash or a new session', async () => {
    const seen = await screens({ forceOutcome: 'error' }, ['2', '1', '1', '2', '1', '1']); // S102: S101 has begun at the fixed clock
    expect(seen[5]).toBe('END Samahani, imeshindikana kwa sasa. Tafadhali jaribu tena baadaye.');
    expect(seen[6]).toBe(SYSTEM_SCREENS.ended);
  });

  test('a text input may opt out of navigation keys: "0" is then a value', async () => {
    const zeroPack = withNodes(pack, {
      home: { type: 'menu', options: [{ label: 'home.agenda', next: 'count' }] },
      count: { type: 'input', text: 'reg.name', input: { kind: 'number', min: 0, max: 9 }, assign: 'count', next: 'action_failed', navigation: false },
    });
    expect((await screens({ packs: [zeroPack] }, ['1', '0']))[2]).toMatch(/^END /);
    expect((await screens({}, ['1', '0']))[2]).toMatch(/^CON Karibu/); // back wins on ordinary text inputs
  });
});
