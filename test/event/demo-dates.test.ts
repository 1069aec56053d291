import { join } from 'node:path';
import { shiftEventTo } from '../../src/event/demo-dates';
import { eventProblems } from '../../src/event/event-schema';
import { loadPackFolder } from '../../src/packs/load';

const event = loadPackFolder(join(__dirname, '../../flows/egov2015'), 'egov2015').loaded!.pack.event;

describe('demo dates', () => {
  test('the sample event starts today and keeps its order, cohorts and times', () => {
    const moved = shiftEventTo(event, '2026-12-07');
    expect(moved.days.map((d) => d.date)).toEqual(['2026-12-07', '2026-12-08', '2026-12-09', '2026-12-10']);
    expect(moved.days[0]?.label).toEqual({ sw: 'Jumatatu 7/12 (Kundi 1)', en: 'Monday 7/12 (Cohort 1)' });
    expect(moved.days[3]?.label).toEqual({ sw: 'Alhamisi 10/12 (Kundi 2)', en: 'Thursday 10/12 (Cohort 2)' });
    expect(moved.cohorts.map((c) => c.days)).toEqual([['2026-12-07', '2026-12-08'], ['2026-12-09', '2026-12-10']]);
    const s105 = moved.sessions.find((s) => s.code === 'S105');
    expect(s105).toMatchObject({ day: '2026-12-07', start: '14:00', end: '15:30' });
    expect(eventProblems(moved)).toEqual([]);
  });

  test('crosses a month and a year end', () => {
    expect(shiftEventTo(event, '2026-12-30').days.map((d) => d.date)).toEqual(['2026-12-30', '2026-12-31', '2027-01-01', '2027-01-02']);
  });

  test("an organiser's event (not a sample) never moves", () => {
    const real = { ...event, sample: false };
    expect(shiftEventTo(real, '2026-12-07')).toBe(real);
  });
});
