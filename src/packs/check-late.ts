/**
 * Checks of an action node that declares a deadline (`deadlineMs`, `onLate: sms`): a late outcome
 * is sent as the SMS of the screen it leads to, so every outcome must lead straight to an end
 * screen or a menu (whose numbered choices are left out of the SMS: they cannot be answered
 * there), and the pack must have the "we will send the result
 * by SMS" screen (`late.ended`) in every language.
 */
import type { FlowPack } from '../engine/types';
import { LATE_ENDED_KEY, type ActionNode } from '../engine/nodes/action';
import type { Problem } from './problem';

export function checkLateAction(pack: FlowPack, id: string, node: ActionNode): Problem[] {
  if (node.onLate === undefined) return [];
  const problems: Problem[] = [];
  const at = (file: string, path: string, message: string, fix: string): void => {
    problems.push({ code: 'FLOW.LATE_RESULT', pack: pack.id, file, path, message, fix });
  };
  for (const [outcome, target] of Object.entries(node.outcomes)) {
    const next = pack.nodes[target];
    if (next && next.type !== 'end' && next.type !== 'menu')
      at('ussd.yaml', `nodes.${id}.outcomes.${outcome}`, `outcome '${outcome}' leads to '${target}', a ${next.type}: a late result is sent by SMS, so it must be an end screen or a menu`, `point '${outcome}' at an end or menu node, or drop onLate`);
  }
  for (const lang of pack.languages)
    if (pack.messages[lang][LATE_ENDED_KEY] === undefined)
      at(`messages.${lang}.yaml`, LATE_ENDED_KEY, `'${id}' may end late, but '${LATE_ENDED_KEY}' (the "we will send the result by SMS" screen) is missing`, `add '${LATE_ENDED_KEY}' to messages.${lang}.yaml`);
  return problems;
}
