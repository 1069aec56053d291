/** A menu: numbered options, each shown only when its `when` holds; optional body text above. */
import { z } from 'zod';
import { NextSchema, ValueSchema, nextConditions, nextLinks, optionNumber, type NodeKind } from './kind';

export const MenuNodeSchema = z
  .object({
    type: z.literal('menu'),
    text: z.string().optional(),
    /** false: a caller who hangs up here is not offered to continue (a finished task's next steps). */
    resume: z.boolean().optional(),
    options: z.array(
      z.object({ label: z.string(), next: NextSchema, when: z.string().optional(), set: z.record(z.string(), ValueSchema).optional() }).strict(),
    ),
  })
  .strict();
export type MenuNode = z.infer<typeof MenuNodeSchema>;

export const menu: NodeKind<MenuNode> = {
  type: 'menu',
  schema: MenuNodeSchema,
  render: (node, rt) => ({
    type: 'CON',
    body: node.text === undefined ? [] : [rt.text(node.text)],
    options: node.options.filter((o) => rt.when(o.when)).map((o, i) => `${i + 1}. ${rt.text(o.label)}`),
    paginate: true,
    nav: true,
    optionsFirst: true,
  }),
  handle: (node, input, rt) => {
    const option = node.options.filter((o) => rt.when(o.when))[optionNumber(input) - 1];
    if (!option) return { kind: 'reprompt', reason: 'error.invalid_choice' };
    return { kind: 'goto', next: option.next, set: option.set };
  },
  links: (node) => node.options.flatMap((o, i) => nextLinks(o.next, `options[${i}].next`)),
  messageKeys: (node) => [
    ...(node.text === undefined ? [] : [{ path: 'text', key: node.text }]),
    ...node.options.map((o, i) => ({ path: `options[${i}].label`, key: o.label })),
  ],
  conditions: (node) =>
    node.options.flatMap((o, i) => [
      ...(o.when === undefined ? [] : [{ path: `options[${i}].when`, expr: o.when }]),
      ...nextConditions(o.next, `options[${i}].next`),
    ]),
  templates: () => [],
  assigns: (node) =>
    node.options.flatMap((o, i) =>
      Object.entries(o.set ?? {}).map(([name, v]) => ({ name, path: `options[${i}].set.${name}`, maxLength: String(v ?? '').length })),
    ),
};
