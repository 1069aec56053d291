import { createNetworkDeadlines } from '../../src/ussd/network-deadlines';

describe('adaptive hop deadlines per network', () => {
  test('a Failed session cuts that network\'s deadline, never below the minimum; hops in time give it back up to the maximum', () => {
    const deadlines = createNetworkDeadlines({ maxMs: 1500, minMs: 700 });
    expect(deadlines.current()).toEqual({ vodacom: 1500, yas: 1500, airtel: 1500, halotel: 1500, other: 1500 });
    deadlines.onSessionEnd('64002', 'Failed');
    expect(deadlines.deadlineFor('64002')).toBe(1125);
    expect(deadlines.deadlineFor('64004')).toBe(1500);
    for (let i = 0; i < 20; i++) deadlines.onSessionEnd('64002', 'Failed');
    expect(deadlines.deadlineFor('64002')).toBe(700);
    // Incomplete (the caller left) and Success say nothing about our speed.
    deadlines.onSessionEnd('64004', 'Incomplete');
    deadlines.onSessionEnd('64004', 'Success');
    expect(deadlines.deadlineFor('64004')).toBe(1500);
    // Busy answers give nothing back; each hop in time gives back 16 ms (1/50 of the range).
    deadlines.onHop('64002', true);
    expect(deadlines.deadlineFor('64002')).toBe(700);
    deadlines.onHop('64002', false);
    expect(deadlines.deadlineFor('64002')).toBe(716);
    for (let i = 0; i < 100; i++) deadlines.onHop('64002', false);
    expect(deadlines.deadlineFor('64002')).toBe(1500);
  });

  test('off (minimum 0) every network keeps the configured maximum', () => {
    const deadlines = createNetworkDeadlines({ maxMs: 1500, minMs: 0 });
    deadlines.onSessionEnd('64005', 'Failed');
    expect(deadlines.deadlineFor('64005')).toBe(1500);
  });
});
