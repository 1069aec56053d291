/** Every keyword command, by name. */
import type { KeywordCommand } from '../../packs/pack-schema';
import type { KeywordHandler } from './command-types';
import { agendaCommand } from './commands/agenda';
import { askCommand } from './commands/ask';
import { checkinCommand } from './commands/checkin';
import { helpCommand } from './commands/help';
import { languageCommand } from './commands/language';
import { mineCommand } from './commands/mine';
import { rateCommand } from './commands/rate';
import { nowCommand } from './commands/now';
import { registerCommand } from './commands/register';
import { remindCommand } from './commands/remind';
import { sessionCommand } from './commands/session';
import { startCommand } from './commands/start';
import { stopCommand } from './commands/stop';
import { unremindCommand } from './commands/unremind';

export const KEYWORD_HANDLERS: Record<KeywordCommand, KeywordHandler> = {
  register: registerCommand,
  agenda: agendaCommand,
  session: sessionCommand,
  remind: remindCommand,
  mine: mineCommand,
  stop: stopCommand,
  unremind: unremindCommand,
  start: startCommand,
  help: helpCommand,
  language: languageCommand,
  rate: rateCommand,
  ask: askCommand,
  checkin: checkinCommand,
  now: nowCommand,
};
