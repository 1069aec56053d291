/**
 * A dynamic list from a named provider (days, sessions_of_day...). Choosing a row stores its value
 * in `assign` and moves on; an empty list shows `emptyText` (back and home still work).
 */
import { z } from 'zod';
import { NextSchema, nextConditions, nextLinks, optionNumber, type NodeKind } from './kind';

export const ListNodeSchema = z
  .object({
    type: z.literal('list'),
    text: z.string().optional(),
    provider: z.string(),
    params: z.record(z.string(), z.string()).default({}),
    assign: z.string().regex(/^[A-Za-z_]\w*$/, 'use letters, digits and _'),
    next: NextSchema,
    emptyText: z.string(),
  })
  .strict();
export type ListNode = z.infer<typeof ListNodeSchema>;

function params(node: ListNode, fill: (t: string) => string): Record<string, string> {
  return Object.fromEntries(Object.entries(node.params).map(([k, tpl]) => [k, fill(tpl)]));
}

export const list: NodeKind<ListNode> = {
  type: 'list',
  schema: ListNodeSchema,
  render: (node, rt) => {
    const items = rt.list(node.provider, params(node, rt.fill));
    if (items.length === 0) return { type: 'CON', body: [rt.text(node.emptyText)], options: [], paginate: true, nav: true };
    return {
      type: 'CON',
      body: node.text === undefined ? [] : [rt.text(node.text)],
      options: items.map((item, i) => `${i + 1}. ${item.label}`),
      paginate: true,
      nav: true,
    };
  },
  handle: (node, input, rt) => {
    const item = rt.list(node.provider, params(node, rt.fill))[optionNumber(input) - 1];
    if (!item) return { kind: 'reprompt', reason: 'error.invalid_choice' };
    return { kind: 'goto', next: node.next, set: { [node.assign]: item.value } };
  },
  links: (node) => nextLinks(node.next, 'next'),
  messageKeys: (node) => [
    ...(node.text === undefined ? [] : [{ path: 'text', key: node.text }]),
    { path: 'emptyText', key: node.emptyText },
  ],
  conditions: (node) => nextConditions(node.next, 'next'),
  templates: (node) => Object.entries(node.params).map(([k, template]) => ({ path: `params.${k}`, template })),
  assigns: (node, universe) => [
    { name: node.assign, path: 'assign', maxLength: Math.max(0, ...universe(node.provider).map((v) => v.length)) },
  ],
};
