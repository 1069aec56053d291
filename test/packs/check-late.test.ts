/** flows:check on action deadlines: `deadlineMs` and `onLate` go together, late outcomes are end screens or menus, `late.ended` exists. */
import { join } from 'node:path';
import { FlowNodeSchema } from '../../src/engine';
import { checkPack } from '../../src/packs/check';
import { loadPackFolder, type LoadedPack } from '../../src/packs/load';

function samplePack(): LoadedPack {
  const { loaded } = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015');
  if (!loaded) throw new Error('sample pack did not load');
  return loaded;
}

const codes = (loaded: LoadedPack): string[] => checkPack(loaded).map((p) => `${p.code} ${p.file}: ${p.path}`);

describe('action deadlines in flows:check', () => {
  test('the sample registration declares a deadline below the hop budget and a late SMS', () => {
    const node = samplePack().pack.nodes.reg_submit;
    expect(node).toMatchObject({ type: 'action', action: 'register', deadlineMs: 1000, onLate: 'sms' });
    expect(codes(samplePack())).toEqual([]);
  });

  test('a deadline without onLate (or the reverse), or one at AT\'s limits, is refused by the schema', () => {
    const base = { type: 'action', action: 'register', outcomes: { ok: 'home' } };
    expect(FlowNodeSchema.safeParse({ ...base, deadlineMs: 1000 }).success).toBe(false);
    expect(FlowNodeSchema.safeParse({ ...base, onLate: 'sms' }).success).toBe(false);
    expect(FlowNodeSchema.safeParse({ ...base, deadlineMs: 10_000, onLate: 'sms' }).success).toBe(false);
    expect(FlowNodeSchema.safeParse({ ...base, deadlineMs: 1000, onLate: 'call' }).success).toBe(false);
    expect(FlowNodeSchema.safeParse({ ...base, deadlineMs: 1000, onLate: 'sms' }).success).toBe(true);
  });

  test('a late outcome that leads to an input or a list, and a missing late.ended text, are reported with the fix; a menu is accepted', () => {
    const loaded = samplePack();
    const remind = loaded.pack.nodes.remind_submit;
    if (remind?.type !== 'action') throw new Error('remind_submit is not an action');
    // ok leads to a list and exists to an input (neither can be an SMS); over and missing stay on menus, error on an end.
    expect(loaded.pack.nodes.day_sessions?.type).toBe('list');
    expect(loaded.pack.nodes.ask_text?.type).toBe('input');
    expect(loaded.pack.nodes[remind.outcomes.over ?? '']?.type).toBe('menu');
    const outcomes = { ...remind.outcomes, ok: 'day_sessions', exists: 'ask_text' };
    const nodes = { ...loaded.pack.nodes, remind_submit: { ...remind, outcomes, deadlineMs: 800, onLate: 'sms' } } as typeof loaded.pack.nodes;
    const en = { ...loaded.pack.messages.en };
    delete en['late.ended'];
    const broken = { ...loaded, pack: { ...loaded.pack, nodes, messages: { ...loaded.pack.messages, en } } };
    const found = checkPack(broken).filter((p) => p.code === 'FLOW.LATE_RESULT' || p.path === 'late.ended');
    expect(found.map((p) => `${p.code} ${p.file}: ${p.path}`).sort()).toEqual([
      'FLOW.LATE_RESULT messages.en.yaml: late.ended',
      'FLOW.LATE_RESULT messages.en.yaml: late.ended',
      'FLOW.LATE_RESULT ussd.yaml: nodes.remind_submit.outcomes.exists',
      'FLOW.LATE_RESULT ussd.yaml: nodes.remind_submit.outcomes.ok',
      'FLOW.MISSING_TRANSLATION messages.en.yaml: late.ended',
    ]);
    expect(found.find((p) => p.path === 'nodes.remind_submit.outcomes.ok')?.fix).toMatch(/end or menu node/);
    expect(found.find((p) => p.path === 'nodes.remind_submit.outcomes.exists')?.message).toMatch(/leads to 'ask_text'/);
  });
});
