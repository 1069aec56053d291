/** Templates drop what an empty value would leave behind: `()`, `. .` and blank lines. */
import { renderTemplate } from '../../src/engine';

describe('empty values in templates', () => {
  test('a bracket holding only empty variables goes, with the space before it', () => {
    expect(renderTemplate('Ratiba ({event.note})', { 'event.note': '' })).toBe('Ratiba');
    expect(renderTemplate('Ratiba ({event.note})', { 'event.note': 'Ratiba ya mfano' })).toBe('Ratiba (Ratiba ya mfano)');
  });

  test('a sentence made only of empty variables goes', () => {
    const about = '{event.name}, AICC, 17-20 Agosti 2015. {event.note}.';
    expect(renderTemplate(about, { 'event.name': 'Mkutano', 'event.note': '' })).toBe('Mkutano, AICC, 17-20 Agosti 2015.');
    expect(renderTemplate(about, { 'event.name': 'Mkutano', 'event.note': 'Ratiba ya mfano' })).toBe('Mkutano, AICC, 17-20 Agosti 2015. Ratiba ya mfano.');
  });

  test('a line with variables that renders blank is dropped; the template\'s own blank lines stay', () => {
    const details = '{name}\n{type}\nNamba: {code}\n{cohort}\n\nMwisho';
    expect(renderTemplate(details, { name: 'Asha', type: '', code: 'EG-1', cohort: '' })).toBe('Asha\nNamba: EG-1\n\nMwisho');
    expect(renderTemplate(details, { name: 'Asha', type: 'Wizara', code: 'EG-1', cohort: 'Kundi 1' })).toBe('Asha\nWizara\nNamba: EG-1\nKundi 1\n\nMwisho');
  });

  test('a bracket or sentence with text of its own stays, and values are never expanded again', () => {
    expect(renderTemplate('Saa ({a} asubuhi)', { a: '' })).toBe('Saa ( asubuhi)');
    expect(renderTemplate('Jina: {name}.', { name: '{event.note}' })).toBe('Jina: {event.note}.');
  });
});
