/** The funnel's screens: flow order from the start, names people read, the path to registration. */
import { screensInFlowOrder } from '../../src/packs/flow-order';
import { funnelRows } from '../../src/organiser/stats';
import { samplePacks } from '../support/ussd-stack';

const pack = samplePacks().find((p) => p.id === 'egov2015');
if (!pack) throw new Error('sample pack egov2015 missing');

describe('screens in flow order', () => {
  const screens = screensInFlowOrder(pack);
  const at = (node: string) => screens.findIndex((s) => s.node === node);
  const steps = ['reg_name', 'reg_institution', 'reg_type', 'reg_cohort', 'reg_confirm', 'reg_submit', 'reg_done'];

  it('starts at the main menu and follows registration step by step', () => {
    expect(screens[0]).toMatchObject({ node: 'home', name: { sw: 'Menyu kuu', en: 'Main menu' }, toRegistered: true });
    const positions = steps.map(at);
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Right after the main menu, although an invited caller's "confirm attendance" reaches the same end screen sooner.
    expect(screens.slice(0, steps.length + 1).map((s) => s.node)).toEqual(['home', ...steps]);
    expect(screens.filter((s) => s.toRegistered).map((s) => s.node)).toEqual(['home', ...steps]);
    expect(new Set(screens.map((s) => s.node)).size).toBe(Object.keys(pack.nodes).length);
  });

  it('names screens by their own words in each language, never by variables', () => {
    const name = screens[at('reg_name')]?.name;
    expect(name?.sw).toMatch(/jina/i);
    expect(name?.en).toMatch(/name/i);
    for (const s of screens) expect(`${s.name.sw} ${s.name.en}`).not.toMatch(/[{}]/);
  });

  it('orders the funnel rows by the flow, keeps the path at zero and puts unknown nodes last', () => {
    const rows = funnelRows({ entries: { agenda: 30, home: 40, reg_name: 10, gone_node: 2 }, dropOffs: { reg_name: 4 }, completions: {} }, screens);
    // The main menu, the whole way to registration (screens nobody reached kept at zero), then the others reached.
    expect(rows.map((r) => r.node)).toEqual(['home', ...steps, 'agenda', 'gone_node']);
    expect(rows.find((r) => r.node === 'reg_cohort')).toMatchObject({ entries: 0, toRegistered: true });
    expect(rows[rows.length - 1]).toEqual({ node: 'gone_node', entries: 2, dropOffs: 0, completions: 0 });
    expect(rows[0]?.screen).toEqual({ sw: 'Menyu kuu', en: 'Main menu' });
  });

  it('without the pack, stays busiest first by node id', () => {
    expect(funnelRows({ entries: { a: 1, b: 5 }, dropOffs: {}, completions: {} }).map((r) => r.node)).toEqual(['b', 'a']);
  });
});
