import { resumePrompt, type FlowNode } from '../../src/engine';
import { renderCurrent, resolveAction, startSession, step } from '../../src/event/engine';
import type { EventPack as FlowPack } from '../../src/event/event-pack';
import { EngineHost, REGISTERED, samplePack } from '../support/engine-host';

const pack = samplePack();
const host = (): EngineHost => new EngineHost(pack);

function withNodes(base: FlowPack, nodes: Record<string, FlowNode>, screen: Partial<FlowPack['screen']> = {}): FlowPack {
  return { ...base, nodes: { ...base.nodes, ...nodes }, screen: { ...base.screen, ...screen } };
}

describe('engine sessions', () => {
  test('starts in the delegate language, else the pack default, else as asked', () => {
    const ctx = host().context();
    expect(startSession(pack, ctx).snapshot.lang).toBe('sw');
    expect(startSession(pack, { ...ctx, delegate: { ...REGISTERED, language: 'en' } }).snapshot.lang).toBe('en');
    expect(startSession(pack, ctx, { lang: 'en' }).screen?.text).toMatch(/^Welcome/);
  });

  test('an action node returns a pending action and no screen, then the outcome decides', () => {
    const h = new EngineHost(pack, { delegate: REGISTERED });
    h.dial();
    const ctx = h.context();
    let result = step(pack, h.snapshot!, '2', ctx); // agenda
    result = step(pack, result.snapshot, '1', ctx); // by day
    result = step(pack, result.snapshot, '1', ctx); // day 1
    result = step(pack, result.snapshot, '2', ctx); // S102
    const pending = step(pack, result.snapshot, '1', ctx); // remind me
    expect(pending.screen).toBeUndefined();
    expect(pending.pendingAction).toEqual({ name: 'subscribe_reminder', params: { session: 'S102' } });
    const done = resolveAction(pack, pending.snapshot, { result: 'ok' }, ctx);
    expect(done.screen?.type).toBe('CON');
    expect(done.snapshot.node).toBe('remind_done');
  });

  test('an outcome with no mapping ends with a failure screen', () => {
    const h = host();
    h.dial();
    const pending = step(pack, h.snapshot!, '5', h.context());
    const chosen = step(pack, pending.snapshot, '2', h.context());
    expect(chosen.pendingAction?.name).toBe('set_language');
    const result = resolveAction(pack, chosen.snapshot, { result: 'teapot' }, h.context());
    expect(result.failure?.code).toBe('FLOW.UNMAPPED_OUTCOME');
    expect(result.screen?.type).toBe('END');
    expect(result.snapshot.ended).toBe(true);
  });

  test('set_language ok switches the session language', () => {
    const h = host();
    h.dial();
    const [hop] = [h.send('5'), h.send('2')].slice(1);
    expect(hop?.screen).toMatch(/^CON Welcome/);
    expect(h.snapshot?.lang).toBe('en');
  });

  test('home is the root: reached by an outcome or a link, it has no Back line and an empty trail', () => {
    const h = host();
    h.dial();
    const ctx = h.context();
    const pending = step(pack, h.snapshot!, '5', ctx); // language
    const chosen = step(pack, pending.snapshot, '2', ctx); // English -> set_language
    const home = resolveAction(pack, chosen.snapshot, { result: 'ok' }, ctx);
    expect(home.snapshot.node).toBe(pack.start);
    expect(home.snapshot.history).toEqual([]);
    expect(home.screen?.text).not.toMatch(/\n0\. /);
    let linked = step(pack, home.snapshot, '6', ctx); // help
    linked = step(pack, linked.snapshot, '1', ctx); // SMS keywords
    linked = step(pack, linked.snapshot, '1', ctx); // Main menu
    expect(linked.snapshot).toMatchObject({ node: pack.start, history: [] });
    expect(linked.screen?.text).not.toMatch(/\n0\. /);
    expect(step(pack, linked.snapshot, '0', ctx).snapshot.node).toBe(pack.start);
  });

  test('loop guard: automatic transitions without input end cleanly', () => {
    const looping = withNodes(pack, {
      home: { type: 'menu', options: [{ label: 'home.agenda', next: 'loop_a' }] },
      loop_a: { type: 'route', next: 'loop_b' },
      loop_b: { type: 'route', next: [{ when: 'registered', to: 'home' }, { to: 'loop_a' }] },
    });
    const h = new EngineHost(looping);
    h.dial();
    const hop = h.send('1');
    expect(hop.failure).toBe('FLOW.LOOP');
    expect(hop.screen).toMatch(/^END Samahani/);
  });

  test('loop guard: too many steps in one session end cleanly', () => {
    const h = new EngineHost(withNodes(pack, {}, { maxSteps: 10 }));
    h.dial();
    const hops = Array.from({ length: 11 }, () => h.send('9'));
    expect(hops[9]?.failure).toBeUndefined();
    expect(hops[10]?.failure).toBe('FLOW.TOO_MANY_STEPS');
    expect(hops[10]?.screen.startsWith('END ')).toBe(true);
  });

  test('a node gone after a deploy fails cleanly; a changed version with the node present continues', () => {
    const h = host();
    h.dial();
    const gone = step(pack, { ...h.snapshot!, node: 'removed_node' }, '1', h.context());
    expect(gone.failure?.code).toBe('FLOW.NODE_MISSING');
    const moved = step(pack, { ...h.snapshot!, flowVersion: 'old' }, '2', h.context());
    expect(moved.snapshot.node).toBe('agenda');
    expect(moved.snapshot.flowVersion).toBe(pack.version);
  });

  test('input after END is refused with a failure, not a crash', () => {
    const h = new EngineHost(pack, { forceOutcome: 'error' });
    h.dial();
    ['2', '1', '1', '1'].forEach((i) => h.send(i));
    expect(h.send('1').screen).toMatch(/^END /);
    expect(h.send('1').failure).toBe('SESSION.ENDED');
  });

  test('resume: renderCurrent shows the same page again; resumePrompt shows both languages', () => {
    const h = host();
    h.dial();
    ['2', '1', '1'].forEach((i) => h.send(i));
    const page2 = h.send('98');
    const again = renderCurrent(pack, h.snapshot!, h.context());
    expect(`CON ${again.screen?.text}`).toBe(page2.screen);
    expect(resumePrompt(pack, 'sw')).toEqual({ type: 'CON', text: 'Endelea ulipoishia?\n1. Endelea (Continue)\n2. Anza upya (Start over)' });
    expect(resumePrompt(pack, 'en').text).toBe('Continue where you left off?\n1. Continue (Endelea)\n2. Start over (Anza upya)');
  });

  test('text input may opt out of navigation keys: "0" is then a value', () => {
    const zeroPack = withNodes(pack, {
      home: { type: 'menu', options: [{ label: 'home.agenda', next: 'count' }] },
      count: { type: 'input', text: 'reg.name', input: { kind: 'number', min: 0, max: 9 }, assign: 'count', next: 'action_failed', navigation: false },
    });
    const h = new EngineHost(zeroPack);
    h.dial();
    h.send('1');
    expect(h.send('0').screen).toMatch(/^END /);
    const h2 = host();
    h2.dial();
    h2.send('1');
    expect(h2.send('0').screen).toMatch(/^CON Karibu/); // back wins on ordinary text inputs
  });
});
