/* eslint-disable no-control-regex -- the test looks for control characters on purpose */
/**
 * Text is cleaned once at the edge: C0/C1 controls and direction marks never reach the store, an
 * export or an SMS; CSV exports quote every cell so a `;`-separated spreadsheet still sees one cell.
 */
import { cleanLine, cleanMultiline } from '../../../src/kernel/text/clean';
import { csvRecords, parseCsv, toCsv } from '../../../src/kernel/text/csv';

const HOSTILE = 'Asha\u0000 \u0007Juma\u001b[2J \u0085\u009b \u202Eamina\u202C \u2066x\u2069\u200F\u061C';

describe('cleaning text at the edge', () => {
  it('drops C0/C1 controls and bidi marks from a line, keeping the letters', () => {
    const clean = cleanLine(HOSTILE);
    expect(clean).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(clean.replace(/\s+/g, ' ')).toBe('Asha Juma [2J amina x');
  });

  it('keeps line breaks in an SMS text, as LF', () => {
    expect(cleanMultiline('Karibu\r\nAICC\u202E\rArusha\t\u0007!')).toBe('Karibu\nAICC\nArusha !');
  });

  it('cleans every imported CSV cell', () => {
    const read = csvRecords(`name,institution\r\n"${HOSTILE}",eGA\u202E\r\n`, ['name']);
    if (!read.ok) throw new Error('header');
    expect(read.records[0]?.values.name).not.toMatch(/[\u0000-\u001f\u0085\u009b\u202e]/);
    expect(read.records[0]?.values.institution).toBe('eGA');
  });

  it('quotes every exported cell, ";" cells and plain ones alike, and reads back the same', () => {
    const csv = toCsv(['phone', 'name'], [['+255716000001', 'A;B'], ['0', '=1+1'], [null, 'plain']]);
    expect(csv).toBe('"phone","name"\r\n"\'+255716000001","A;B"\r\n"0","\'=1+1"\r\n"","plain"\r\n');
    expect(parseCsv(csv).map((row) => row.cells)).toEqual([['phone', 'name'], ["'+255716000001", 'A;B'], ['0', "'=1+1"], ['', 'plain']]);
  });
});
