/** Questions as kept and as the projector shows them. */
import { cleanQuestion, projectorView, type Question } from '../../src/questions/questions';

describe('questions', () => {
  it('fold control characters and runs of spaces, and trim', () => {
    expect(cleanQuestion('  Je,\tmfumo\n\n utaanza\u0007 lini?  ')).toBe('Je, mfumo utaanza lini?');
    expect(cleanQuestion('\uFF33\uFF14\uFF10\uFF13')).toBe('S403'); // full-width letters typed on some phones
  });

  it('the projector shows approved questions only, with text and time, never who asked', () => {
    const q = (id: string, status: Question['status']): Question => ({ id, session: 'S403', phone: '+255713000001', name: 'Bi. Asha', text: `Swali ${id}`, lang: 'sw', channel: 'sms', status, at: '2015-08-20T08:00:00.000Z', updatedAt: '2015-08-20T08:00:00.000Z' });
    const shown = projectorView([q('1', 'pending'), q('2', 'approved'), q('3', 'hidden'), q('4', 'answered'), q('5', 'approved')]);
    expect(shown).toEqual([{ id: '2', text: 'Swali 2', at: '2015-08-20T08:00:00.000Z' }, { id: '5', text: 'Swali 5', at: '2015-08-20T08:00:00.000Z' }]);
    expect(JSON.stringify(shown)).not.toMatch(/255|Asha/);
  });
});
