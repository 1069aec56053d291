/** Draws a USSD screen in a terminal box with its character count against the screen budget. */
import { isGsm7, textUnits } from '../../src/kernel/text/gsm';
import type { UssdScreen } from './ussd-client';

const UCS2_SCREEN_CHARS = 70;
const WIDTH = 40;

export interface ScreenCount {
  encoding: 'GSM-7' | 'UCS-2';
  units: number;
  budget: number;
  over: boolean;
}

/** Units and budget of a screen: GSM-7 septets against `maxScreenChars`, or UTF-16 units against 70. */
export function countScreen(text: string, maxScreenChars: number): ScreenCount {
  const encoding = isGsm7(text) ? 'GSM-7' : 'UCS-2';
  const units = textUnits(text, encoding);
  const budget = encoding === 'GSM-7' ? maxScreenChars : UCS2_SCREEN_CHARS;
  return { encoding, units, budget, over: units > budget };
}

function wrap(line: string): string[] {
  const chars = Array.from(line);
  if (chars.length <= WIDTH) return [line];
  const rows: string[] = [];
  for (let start = 0; start < chars.length; start += WIDTH) rows.push(chars.slice(start, start + WIDTH).join(''));
  return rows;
}

/** The boxed screen, e.g. `┌─ CON ─…┐ … └─ 42/160 GSM-7 ─┘`; over-budget counts are flagged. */
export function renderScreen(screen: UssdScreen, maxScreenChars: number): string {
  const count = countScreen(screen.text, maxScreenChars);
  const rows = screen.text.split('\n').flatMap(wrap);
  const inner = Math.max(WIDTH, ...rows.map((row) => Array.from(row).length));
  const pad = (row: string) => row + ' '.repeat(inner - Array.from(row).length);
  const label = `${count.units}/${count.budget} ${count.encoding}${count.over ? ' OVER BUDGET' : ''}`;
  const top = `┌─ ${screen.kind} ${'─'.repeat(inner - screen.kind.length - 1)}┐`;
  const bottom = `└${'─'.repeat(Math.max(1, inner - label.length))} ${label} ┘`;
  return [top, ...rows.map((row) => `│ ${pad(row)} │`), bottom].join('\n');
}
