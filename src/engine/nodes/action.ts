/**
 * A host action (register, subscribe_reminder...). Entering it yields a pending action; the host
 * runs it and calls resolveAction with the outcome, which picks the next node from `outcomes`.
 */
import { z } from 'zod';
import type { NodeKind } from './kind';

export const ActionNodeSchema = z
  .object({
    type: z.literal('action'),
    action: z.string(),
    params: z.record(z.string(), z.string()).default({}),
    outcomes: z.record(z.string(), z.string()),
  })
  .strict();
export type ActionNode = z.infer<typeof ActionNodeSchema>;

export const action: NodeKind<ActionNode> = {
  type: 'action',
  schema: ActionNodeSchema,
  enter: (node, rt) => ({
    kind: 'action',
    action: {
      name: node.action,
      params: Object.fromEntries(Object.entries(node.params).map(([k, tpl]) => [k, rt.fill(tpl)])),
    },
  }),
  links: (node) => Object.entries(node.outcomes).map(([outcome, to]) => ({ path: `outcomes.${outcome}`, to })),
  messageKeys: () => [],
  conditions: () => [],
  templates: (node) => Object.entries(node.params).map(([k, template]) => ({ path: `params.${k}`, template })),
  assigns: () => [],
};
