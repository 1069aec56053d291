/**
 * A host action (register, subscribe_reminder...). Entering it yields a pending action; the host
 * runs it and calls resolveAction with the outcome, which picks the next node from `outcomes`.
 */
import { z } from 'zod';
import type { NodeKind } from './kind';

/** The catalogue key of the END a host shows when an action passes its deadline ("we will send the result by SMS"). */
export const LATE_ENDED_KEY = 'late.ended';

export const ActionNodeSchema = z
  .object({
    type: z.literal('action'),
    action: z.string(),
    params: z.record(z.string(), z.string()).default({}),
    outcomes: z.record(z.string(), z.string()),
    /** How long the caller may wait for the action before the host ends the session (ms, below AT's 10 s). */
    deadlineMs: z.number().int().min(100).max(9000).optional(),
    /** What the host does with an outcome that comes after the deadline: `sms` sends its screen by SMS. */
    onLate: z.enum(['sms']).optional(),
  })
  .strict()
  .refine((node) => (node.deadlineMs === undefined) === (node.onLate === undefined), {
    message: 'deadlineMs and onLate go together: a deadline needs to say what happens to a late result',
    path: ['onLate'],
  });
export type ActionNode = z.infer<typeof ActionNodeSchema>;

export const action: NodeKind<ActionNode> = {
  type: 'action',
  schema: ActionNodeSchema,
  enter: (node, rt) => ({
    kind: 'action',
    action: {
      name: node.action,
      params: Object.fromEntries(Object.entries(node.params).map(([k, tpl]) => [k, rt.fill(tpl)])),
      ...(node.deadlineMs !== undefined && node.onLate !== undefined ? { late: { deadlineMs: node.deadlineMs, onLate: node.onLate } } : {}),
    },
  }),
  links: (node) => Object.entries(node.outcomes).map(([outcome, to]) => ({ path: `outcomes.${outcome}`, to })),
  messageKeys: () => [],
  conditions: () => [],
  templates: (node) => Object.entries(node.params).map(([k, template]) => ({ path: `params.${k}`, template })),
  assigns: () => [],
};
